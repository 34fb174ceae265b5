"""Reads of the PMKS registry. Every read that serves a user starts from ``for_user``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inti.tugas import Butir, Tugas
from pmks.choices import Hubungan, StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, DesilKeluarga, KategoriPmks, Keluarga


def keluarga_list(*, user: Any) -> QuerySet[Keluarga]:
    """Households the user may see, with what the list shows, in a fixed number of queries."""
    kepala = AnggotaKeluarga.objects.filter(keluarga=OuterRef("pk"), hubungan=Hubungan.KEPALA).values("nama")[
        :1
    ]
    open_pmks = CatatanPmks.objects.open().select_related("kategori").order_by("kategori__nomor")
    return (
        Keluarga.objects.for_user(user)
        .select_related("kelurahan")
        .annotate(nama_kepala=Subquery(kepala), jumlah_anggota=Count("anggota", distinct=True))
        .prefetch_related(Prefetch("catatan_pmks", queryset=open_pmks, to_attr="pmks_berlaku"))
        .order_by("-dibuat_pada", "-pk")
    )


def keluarga_search(qs: QuerySet[Keluarga], text: str) -> QuerySet[Keluarga]:
    """Match a No. KK or NIK (prefix) or a member's name (part)."""
    text = text.strip()
    if not text:
        return qs
    members = AnggotaKeluarga.objects.filter(Q(nik__startswith=text) | Q(nama__icontains=text)).values(
        "keluarga_id"
    )
    return qs.filter(Q(no_kk__startswith=text) | Q(pk__in=members))


def keluarga_with_pmks(
    qs: QuerySet[Keluarga], *, kategori: KategoriPmks | None, status: str | None
) -> QuerySet[Keluarga]:
    """Households holding a PMKS record of that category and/or status (the same record)."""
    if not kategori and not status:
        return qs
    records = CatatanPmks.objects.all()
    if kategori:
        records = records.filter(kategori=kategori)
    if status:
        records = records.filter(status=status)
    return qs.filter(pk__in=records.values("keluarga_id"))


def keluarga_get_for_user_or_404(*, user: Any, pk: int) -> Keluarga:
    """The household page's object; another area's household is a 404 like a missing one."""
    return get_object_or_404(
        Keluarga.objects.for_user(user)
        .select_related("kelurahan__induk", "dibuat_oleh")
        .prefetch_related(
            Prefetch("anggota", queryset=AnggotaKeluarga.objects.order_by("tanggal_lahir")),
            Prefetch(
                "catatan_pmks",
                queryset=CatatanPmks.objects.select_related(
                    "kategori", "anggota", "diidentifikasi_oleh", "diverifikasi_oleh"
                ),
            ),
        ),
        pk=pk,
    )


def catatan_pmks_get_for_user_or_404(*, user: Any, pk: int) -> CatatanPmks:
    return get_object_or_404(CatatanPmks.objects.for_user(user).select_related("keluarga", "kategori"), pk=pk)


def catatan_pmks_list(*, user: Any) -> QuerySet[CatatanPmks]:
    return (
        CatatanPmks.objects.for_user(user)
        .select_related("kategori", "anggota", "keluarga__kelurahan", "diidentifikasi_oleh")
        .order_by("tanggal_identifikasi", "pk")
    )


def anggota_find_by_nik(nik: str) -> AnggotaKeluarga | None:
    """City-wide, unscoped: to catch a duplicate NIK even when it lives in another area."""
    return AnggotaKeluarga.objects.select_related("keluarga").filter(nik=nik).first()


def keluarga_find_by_no_kk(no_kk: str) -> Keluarga | None:
    """City-wide, unscoped, for the same reason as ``anggota_find_by_nik``."""
    return Keluarga.objects.filter(no_kk=no_kk).first()


def kategori_pmks_active() -> QuerySet[KategoriPmks]:
    return KategoriPmks.objects.filter(aktif=True)


# -- Dashboard -----------------------------------------------------------------------------------


@dataclass
class RingkasanBeranda:
    """The counts on *Beranda* for the user's area."""

    keluarga: int
    anggota: int
    pmks_status: dict[str, int]
    per_kategori: list[dict[str, Any]]
    per_kelurahan: list[dict[str, Any]]


def dashboard_summary(*, user: Any) -> RingkasanBeranda:
    """Counts for the user's area: households, people, PMKS by status, category and kelurahan."""
    keluarga = Keluarga.objects.for_user(user)
    catatan = CatatanPmks.objects.for_user(user)
    status_counts = dict(catatan.values_list("status").annotate(n=Count("pk")).order_by())
    per_kategori = list(
        catatan.open()
        .values("kategori__nama", "kategori__singkatan", "kategori_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "kategori__nomor")[:10]
    )
    per_kelurahan = list(
        keluarga.values("kelurahan_id", "kelurahan__nama")
        .annotate(
            n=Count("pk", distinct=True),
            terverifikasi=Count("catatan_pmks", filter=Q(catatan_pmks__status=StatusPmks.TERVERIFIKASI)),
        )
        .order_by("kelurahan_id")
    )
    return RingkasanBeranda(
        keluarga=keluarga.count(),
        anggota=AnggotaKeluarga.objects.for_user(user).count(),
        pmks_status={s: status_counts.get(s, 0) for s in StatusPmks.values},
        per_kategori=per_kategori,
        per_kelurahan=per_kelurahan,
    )


# -- Change history ------------------------------------------------------------------------------


@dataclass
class Perubahan:
    waktu: Any
    oleh: Any
    jenis: str  # "+", "~", "-"
    objek: str
    rincian: list[str] = field(default_factory=list)


_JENIS = {"+": gettext_lazy("dibuat"), "~": gettext_lazy("diubah"), "-": gettext_lazy("dihapus")}


def _display(field, value) -> str:
    """A history value as people read it: choice labels, names and local times, not codes."""
    if value in (None, ""):
        return "–"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    choices_map = dict(field.flatchoices) if field.choices else {}
    return str(choices_map.get(value, value))


def _entries(history_qs, label) -> list[Perubahan]:
    records = list(history_qs.select_related("history_user").order_by("history_id"))
    previous: dict[int, Any] = {}
    out = []
    for rec in records:
        prev = previous.get(rec.id)
        rincian = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev, excluded_fields=["diubah_pada", "dibuat_pada"])
            model = rec.instance_type
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                rincian.append(
                    f"{field.verbose_name}: {_display(field, change.old)} → {_display(field, change.new)}"
                )
            if not rincian:
                previous[rec.id] = rec
                continue
        previous[rec.id] = rec
        out.append(
            Perubahan(
                waktu=rec.history_date,
                oleh=rec.history_user,
                jenis=_JENIS.get(rec.history_type, rec.history_type),
                objek=label(rec),
                rincian=rincian,
            )
        )
    return out


def keluarga_history(*, keluarga: Keluarga) -> list[Perubahan]:
    """What changed in the household, its members and its PMKS records, newest first."""
    entries = _entries(
        Keluarga.history.filter(id=keluarga.pk), lambda r: _("Keluarga %(kk)s") % {"kk": r.no_kk}
    )
    entries += _entries(
        AnggotaKeluarga.history.filter(keluarga_id=keluarga.pk),
        lambda r: _("Anggota %(nama)s") % {"nama": r.nama},
    )
    entries += _entries(
        CatatanPmks.history.filter(keluarga_id=keluarga.pk).select_related("kategori"),
        lambda r: _("PMKS %(k)s") % {"k": r.kategori.singkatan or r.kategori.nama},
    )
    return sorted(entries, key=lambda e: e.waktu, reverse=True)


def desil_terkini(keluarga_ids: Iterable[int]) -> dict[int, DesilKeluarga]:
    """Each household's latest decile (by date, then by when it was recorded), in one query."""
    out: dict[int, DesilKeluarga] = {}
    rows = DesilKeluarga.objects.filter(keluarga_id__in=list(keluarga_ids)).order_by(
        "keluarga_id", "-tanggal", "-pk"
    )
    for row in rows:
        out.setdefault(row.keluarga_id, row)
    return out


def sebutan_keluarga(keluarga_ids: Iterable[int]) -> dict[int, str]:
    """Keluarga.sebutan() for many households in one query: the head's name, then the No. KK."""
    ids = list(keluarga_ids)
    names = dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=ids, hubungan=Hubungan.KEPALA).values_list(
            "keluarga_id", "nama"
        )
    )
    return {
        pk: f"{names[pk]} (KK {no_kk})" if pk in names else f"KK {no_kk}"
        for pk, no_kk in Keluarga.objects.filter(pk__in=ids).values_list("pk", "no_kk")
    }


# -- Beranda: what waits for the user today --------------------------------------------------------

HARI_KEMBALI = 30  # rejected items stay on the field's home page this many days
TUGAS_BUTIR = 5  # items named on a card; the card counts them all


def _umur(moment: Any, today: datetime.date) -> int:
    return (today - timezone.localtime(moment).date()).days


def tugas_pmks(*, user: Any) -> list[Tugas]:
    """A verifier sees the records awaiting verification, oldest first; the field sees its
    records rejected in the last 30 days (with the reason) so it can record them again."""
    catatan = CatatanPmks.objects.for_user(user).select_related("kategori")
    today = timezone.localdate()
    if user.has_perm("pmks.verify_catatanpmks"):
        waiting = catatan.filter(status=StatusPmks.DIUSULKAN)
        total = waiting.count()
        if not total:
            return []
        oldest = list(waiting.order_by("dibuat_pada", "pk")[:TUGAS_BUTIR])
        names = sebutan_keluarga(c.keluarga_id for c in oldest)
        butir = [
            Butir(
                f"{c.kategori.singkatan or c.kategori.nama} – {names[c.keluarga_id]}",
                reverse("pmks:keluarga_detail", args=[c.keluarga_id]),
                _("menunggu %(d)s hari") % {"d": _umur(c.dibuat_pada, today)},
                mendesak=_umur(c.dibuat_pada, today) > 14,
            )
            for c in oldest
        ]
        return [
            Tugas(
                "pmks-verifikasi",
                _("Catatan PMKS menunggu verifikasi (terlama dahulu)"),
                total,
                butir,
                semua=reverse("pmks:catatanpmks_list") + "?status=diusulkan",
                mendesak=any(b.mendesak for b in butir),
            )
        ]
    if not user.has_perm("pmks.add_catatanpmks"):
        return []
    since = timezone.now() - datetime.timedelta(days=HARI_KEMBALI)
    rejected = catatan.filter(status=StatusPmks.DITOLAK, diverifikasi_pada__gte=since)
    total = rejected.count()
    if not total:
        return []
    latest = list(rejected.order_by("-diverifikasi_pada", "-pk")[:TUGAS_BUTIR])
    names = sebutan_keluarga(c.keluarga_id for c in latest)
    return [
        Tugas(
            "pmks-ditolak",
            _("Catatan PMKS ditolak (30 hari terakhir)"),
            total,
            [
                Butir(
                    f"{c.kategori.singkatan or c.kategori.nama} – {names[c.keluarga_id]}",
                    reverse("pmks:keluarga_detail", args=[c.keluarga_id]),
                    c.catatan_verifikasi,
                )
                for c in latest
            ],
            semua=reverse("pmks:catatanpmks_list") + "?status=ditolak",
        )
    ]
