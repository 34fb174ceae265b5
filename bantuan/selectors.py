"""Reads for aid. Anything that names households starts from ``for_user``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from bantuan.choices import StatusDaftar, StatusUsulan
from bantuan.models import (
    DaftarPenerima,
    EntriDaftar,
    Pemantauan,
    PemantauanQuerySet,
    Penyaluran,
    ProgramBantuan,
    TahapProgram,
    Usulan,
)
from bantuan.rules import (
    Skor,
    Tanda,
    bertentangan,
    jumlah_pmks_terverifikasi,
    larangan_program,
    skor_kerentanan,
    tanda_untuk,
)
from inti.scoping import Scope, scope_of
from pmks.choices import StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from wilayah.models import Wilayah


def program_list() -> QuerySet[ProgramBantuan]:
    return ProgramBantuan.objects.prefetch_related("kategori_sasaran", "tidak_bersama").order_by("nama")


def tahap_open_for_proposals() -> QuerySet[TahapProgram]:
    return (
        TahapProgram.objects.filter(usulan_dibuka=True, program__aktif=True)
        .select_related("program")
        .order_by("-tahun", "program__nama", "tahap")
    )


def tahap_list() -> QuerySet[TahapProgram]:
    return TahapProgram.objects.select_related("program", "daftar").order_by(
        "-tahun", "program__nama", "tahap"
    )


def tahun_terakhir() -> int | None:
    """The latest year with a programme stage: the reports' default."""
    return TahapProgram.objects.order_by("-tahun").values_list("tahun", flat=True).first()


def tahap_get_or_404(pk: int) -> TahapProgram:
    return get_object_or_404(TahapProgram.objects.select_related("program"), pk=pk)


# -- Usulan ----------------------------------------------------------------------------------------


@dataclass
class Nasib:
    """What became of a proposal, in words a TKSK can pass on to the family."""

    label: str
    css: str
    keterangan: str = ""


def usulan_list(*, user: Any) -> QuerySet[Usulan]:
    return (
        Usulan.objects.for_user(user)
        .select_related("tahap__program", "keluarga__kelurahan", "anggota", "diusulkan_oleh", "entri__daftar")
        .prefetch_related("entri__penyaluran")
        .order_by("-dibuat_pada", "-pk")
    )


def usulan_get_for_user_or_404(*, user: Any, pk: int) -> Usulan:
    return get_object_or_404(usulan_list(user=user), pk=pk)


def nasib_usulan(usulan: Usulan) -> Nasib:
    """The proposal's fate, from its own status and the list it is on (no extra queries when
    ``usulan_list`` loaded it)."""
    entri = getattr(usulan, "entri", None)  # reverse one-to-one: None when not on a list
    if usulan.status == StatusUsulan.DITOLAK:
        return Nasib(_("Ditolak"), "danger", usulan.keterangan_status)
    if usulan.status == StatusUsulan.DIBATALKAN:
        return Nasib(_("Dibatalkan"), "secondary", usulan.keterangan_status)
    if entri is None:
        return Nasib(_("Menunggu disusun ke daftar"), "secondary")
    daftar = entri.daftar
    if daftar.status == StatusDaftar.DISETUJUI:
        disalurkan = list(entri.penyaluran.all())
        if disalurkan:
            return Nasib(
                _("Disetujui, sudah disalurkan"),
                "success",
                _("Disalurkan %(d)s") % {"d": disalurkan[0].tanggal.strftime("%d/%m/%Y")},
            )
        return Nasib(
            _("Disetujui"),
            "success",
            _("SK %(n)s tanggal %(d)s")
            % {
                "n": daftar.nomor_sk,
                "d": daftar.tanggal_sk.strftime("%d/%m/%Y") if daftar.tanggal_sk else "–",
            },
        )
    if daftar.status == StatusDaftar.DITOLAK:
        return Nasib(_("Daftar dikembalikan Dinas"), "warning", daftar.alasan_penolakan)
    return Nasib(_("Dalam daftar: %(s)s") % {"s": daftar.get_status_display()}, "info")


# -- Daftar penerima -------------------------------------------------------------------------------


def daftar_list() -> QuerySet[DaftarPenerima]:
    return (
        DaftarPenerima.objects.select_related("tahap__program", "diajukan_oleh", "diputuskan_oleh")
        .annotate(jumlah=Count("entri", filter=Q(entri__aktif=True)))
        .order_by("-tahap__tahun", "tahap__program__nama", "tahap__tahap")
    )


def daftar_riwayat(*, user: Any, daftar: DaftarPenerima) -> QuerySet:
    """The list's history; an amendment row only when its entry lies in the user's area."""
    visible = EntriDaftar.objects.for_user(user).filter(daftar=daftar).values("pk")
    return (
        daftar.riwayat.filter(Q(entri__isnull=True) | Q(entri__in=visible))
        .select_related("oleh", "entri__keluarga")
        .order_by("pada", "pk")
    )


def daftar_get_or_404(pk: int) -> DaftarPenerima:
    return get_object_or_404(
        DaftarPenerima.objects.select_related(
            "tahap__program", "dibuat_oleh", "diajukan_oleh", "diverifikasi_oleh", "diputuskan_oleh"
        ),
        pk=pk,
    )


@dataclass
class BarisDaftar:
    entri: EntriDaftar
    kepala: str
    tanda: list[Tanda]


def daftar_rows(*, user: Any, daftar: DaftarPenerima, kelurahan: str | None = None) -> list[BarisDaftar]:
    """The list's entries that the user may see, each with its flags (batch-computed)."""
    entries = (
        EntriDaftar.objects.for_user(user)
        .filter(daftar=daftar)
        .select_related("keluarga__kelurahan__induk", "anggota", "usulan__diusulkan_oleh")
        .prefetch_related("penyaluran")
        .order_by("-aktif", "keluarga__kelurahan_id", "keluarga__no_kk")
    )
    if kelurahan:
        entries = entries.filter(keluarga__kelurahan_id=kelurahan)
    shown = list(entries)
    ids = [e.keluarga_id for e in shown]
    heads = dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=ids, hubungan="kepala").values_list(
            "keluarga_id", "nama"
        )
    )
    flags = tanda_untuk(daftar.tahap, ids, {e.keluarga_id: e.anggota_id for e in entries})
    return [BarisDaftar(e, heads.get(e.keluarga_id, ""), flags.get(e.keluarga_id, [])) for e in shown]


def entri_get_for_user_or_404(*, user: Any, pk: int) -> EntriDaftar:
    return get_object_or_404(
        EntriDaftar.objects.for_user(user).select_related(
            "daftar__tahap__program", "keluarga__kelurahan", "anggota"
        ),
        pk=pk,
    )


def usulan_pending_for_tahap(*, user: Any, tahap: TahapProgram) -> QuerySet[Usulan]:
    return (
        Usulan.objects.for_user(user)
        .filter(tahap=tahap, status=StatusUsulan.DIAJUKAN)
        .select_related("keluarga__kelurahan", "diusulkan_oleh")
    )


# -- Penyaluran, Berita Acara, pemantauan ----------------------------------------------------------


def penyaluran_get_for_user_or_404(*, user: Any, pk: int) -> Penyaluran:
    return get_object_or_404(
        Penyaluran.objects.for_user(user).select_related(
            "entri__keluarga__kelurahan", "entri__daftar__tahap__program", "petugas"
        ),
        pk=pk,
    )


def berita_acara(*, user: Any, tahap: TahapProgram, kelurahan_kode: str) -> tuple[Wilayah, list[Any]]:
    """A kelurahan's hand-over record for a stage: 404 when the kelurahan is outside the area."""
    kelurahan = get_object_or_404(
        Wilayah.objects.for_user(user).select_related("induk"),
        pk=kelurahan_kode,
        tingkat__in=["kelurahan", "desa"],
    )
    rows = list(
        Penyaluran.objects.for_user(user)
        .filter(entri__daftar__tahap=tahap, entri__keluarga__kelurahan=kelurahan)
        .select_related("entri__keluarga", "entri__anggota", "petugas")
        .order_by("tanggal", "entri__keluarga__no_kk")
    )
    heads = dict(
        AnggotaKeluarga.objects.filter(
            keluarga_id__in=[r.entri.keluarga_id for r in rows], hubungan="kepala"
        ).values_list("keluarga_id", "nama")
    )
    for r in rows:
        r.nama_kepala = heads.get(r.entri.keluarga_id, "")
    return kelurahan, rows


def berita_acara_kelurahan(*, user: Any, tahap: TahapProgram) -> list[dict[str, Any]]:
    """Kelurahan of the user's area with distributions in the stage (links to their records)."""
    return list(
        Penyaluran.objects.for_user(user)
        .filter(entri__daftar__tahap=tahap)
        .values("entri__keluarga__kelurahan_id", "entri__keluarga__kelurahan__nama")
        .annotate(n=Count("pk"))
        .order_by("entri__keluarga__kelurahan_id")
    )


def pemantauan_list(*, user: Any) -> PemantauanQuerySet:
    return (
        Pemantauan.objects.for_user(user)
        .select_related("penyaluran__entri__keluarga__kelurahan", "penyaluran__entri__daftar__tahap__program")
        .order_by("jadwal", "pk")
    )


def pemantauan_get_for_user_or_404(*, user: Any, pk: int) -> Pemantauan:
    return get_object_or_404(pemantauan_list(user=user), pk=pk)


def pemantauan_due(*, user: Any, within_days: int = 14) -> dict[str, list[Pemantauan]]:
    """Follow-ups overdue and due soon, for the dashboard."""
    today = timezone.localdate()
    rows = list(
        pemantauan_list(user=user)
        .terjadwal()
        .filter(jadwal__lte=today + datetime.timedelta(days=within_days))
    )
    return {
        "terlambat": [p for p in rows if p.jadwal < today],
        "segera": [p for p in rows if p.jadwal >= today],
    }


# -- Reports: overlap and its mirror ---------------------------------------------------------------


@dataclass
class BarisTumpangTindih:
    keluarga: Keluarga
    kepala: str
    program: list[str]
    bertentangan: bool  # at least two of them exclude each other


@dataclass(frozen=True)
class _Tahap:
    program_id: int
    nama: str
    periode_mulai: datetime.date
    periode_selesai: datetime.date


def laporan_tumpang_tindih(*, user: Any, tahun: int) -> list[BarisTumpangTindih]:
    """Households on approved lists of two or more programmes whose periods fall in the year;
    marked when two of them may not go together (``rules.bertentangan``, the same rule as the
    flags on proposals and lists)."""
    awal, akhir = datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)
    entries = (
        EntriDaftar.objects.for_user(user)
        .filter(
            aktif=True,
            daftar__status=StatusDaftar.DISETUJUI,
            daftar__tahap__periode_mulai__lte=akhir,
            daftar__tahap__periode_selesai__gte=awal,
        )
        .values_list(
            "keluarga_id",
            "daftar__tahap__program_id",
            "daftar__tahap__program__nama",
            "daftar__tahap__periode_mulai",
            "daftar__tahap__periode_selesai",
        )
    )
    stages: dict[int, list[_Tahap]] = defaultdict(list)
    for keluarga_id, program_id, nama, mulai, selesai in entries:
        stages[keluarga_id].append(_Tahap(program_id, nama, mulai, selesai))
    many = {k: v for k, v in stages.items() if len({t.program_id for t in v}) > 1}
    if not many:
        return []
    larangan = larangan_program()
    households = Keluarga.objects.select_related("kelurahan").in_bulk(list(many))
    heads = dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=list(many), hubungan="kepala").values_list(
            "keluarga_id", "nama"
        )
    )
    rows = []
    for keluarga_id, held in many.items():
        clash = any(bertentangan(a, b, larangan) for a, b in combinations(held, 2))
        names = sorted({t.nama for t in held})
        rows.append(BarisTumpangTindih(households[keluarga_id], heads.get(keluarga_id, ""), names, clash))
    return sorted(rows, key=lambda r: (not r.bertentangan, -len(r.program), r.keluarga.no_kk))


@dataclass
class BarisBelumMenerima:
    keluarga: Keluarga
    kepala: str
    kategori: list[str]
    skor: Skor


def laporan_belum_menerima(
    *, user: Any, program: ProgramBantuan, tahun: int, limit: int = 200
) -> list[BarisBelumMenerima]:
    """Eligible households (verified PMKS in the programme's target categories) that receive no
    aid at all in the year, most vulnerable first."""
    kategori = list(program.kategori_sasaran.all())
    records = CatatanPmks.objects.for_user(user).filter(status=StatusPmks.TERVERIFIKASI)
    if kategori:
        records = records.filter(kategori__in=kategori)
    eligible = set(records.values_list("keluarga_id", flat=True))
    served = set(
        EntriDaftar.objects.filter(
            aktif=True,
            daftar__status=StatusDaftar.DISETUJUI,
            daftar__tahap__tahun=tahun,
            keluarga_id__in=eligible,
        ).values_list("keluarga_id", flat=True)
    )
    ids = sorted(eligible - served)
    if not ids:
        return []
    households = (
        Keluarga.objects.filter(pk__in=ids)
        .select_related("kelurahan")
        .prefetch_related(
            Prefetch("anggota", queryset=AnggotaKeluarga.objects.all()),
            Prefetch(
                "catatan_pmks",
                queryset=CatatanPmks.objects.filter(status=StatusPmks.TERVERIFIKASI).select_related(
                    "kategori"
                ),
                to_attr="pmks_verified",
            ),
        )
    )
    counts = jumlah_pmks_terverifikasi(ids)
    today = timezone.localdate()
    rows = []
    for k in households:
        members = list(k.anggota.all())
        head = next((a.nama for a in members if a.hubungan == "kepala"), "")
        kats = sorted({c.kategori.singkatan or c.kategori.nama for c in k.pmks_verified})
        rows.append(
            BarisBelumMenerima(k, head, kats, skor_kerentanan(k, members, counts.get(k.pk, 0), today))
        )
    rows.sort(key=lambda r: (-r.skor.total, r.keluarga.no_kk))
    return rows[:limit]


def area_label(user: Any) -> str:
    scope = scope_of(user)
    if scope.unrestricted:
        return _("Semua wilayah")
    names = Wilayah.objects.filter(pk__in=scope.kode_wilayah or []).values_list("nama", flat=True)
    return ", ".join(n.title() for n in names) or _("(tanpa wilayah)")


def ringkasan_bulanan(*, kecamatan_kode: str, mulai: datetime.date, sampai: datetime.date) -> dict[str, Any]:
    """Aid work in a kecamatan over a period, for the TKSK's monthly report (tksk reads it)."""
    area = Scope(frozenset({kecamatan_kode}))  # the same prefix rule as access scoping

    def per_program(qs: QuerySet, program: str) -> list[tuple[str, int]]:
        return list(qs.values_list(program).annotate(n=Count("pk")).order_by(program))

    usulan = Usulan.objects.within(area).filter(dibuat_pada__date__gte=mulai, dibuat_pada__date__lte=sampai)
    salur = Penyaluran.objects.within(area).filter(tanggal__gte=mulai, tanggal__lte=sampai)
    return {
        "usulan": per_program(usulan, "tahap__program__nama"),
        "penyaluran": per_program(salur, "entri__daftar__tahap__program__nama"),
        "pemantauan": Pemantauan.objects.within(area).filter(tanggal__gte=mulai, tanggal__lte=sampai).count(),
    }
