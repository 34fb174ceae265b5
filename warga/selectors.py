"""Reads of the warga app: the public look-ups (what a citizen may learn, nothing more) and the
staff's scoped lists, panels and overview."""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bantuan.choices import StatusDaftar, StatusUsulan
from bantuan.models import AmandemenDaftar, DaftarPenerima, EntriDaftar, ProgramBantuan, Usulan
from pmks.choices import Hubungan
from pmks.models import AnggotaKeluarga
from warga.choices import TERBUKA, HasilAduan, JenisAduan, StatusAduan
from warga.models import Aduan, Publikasi
from warga.pengaman import rapikan_nama, samarkan_nik, token_baris
from wilayah.models import Wilayah

HARI_MENJELANG_TENGGAT = 3

# -- Public ---------------------------------------------------------------------------------------


KODE_KECAMATAN = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", flags=re.ASCII)


def publikasi_aktif() -> QuerySet[Publikasi]:
    """Publications citizens may open: not withdrawn, of a list still approved."""
    return (
        Publikasi.objects.filter(ditarik_pada__isnull=True, daftar__status=StatusDaftar.DISETUJUI)
        .select_related("daftar__tahap__program", "kelurahan__induk")
        .order_by("kelurahan__induk__nama", "kelurahan__nama", "daftar__tahap__program__nama", "pk")
    )


def publikasi_publik_or_404(kode: str) -> Publikasi:
    """A withdrawn or unknown publication is a 404, as if it never existed."""
    return get_object_or_404(publikasi_aktif(), kode=kode[:16])


@dataclass(frozen=True)
class BarisPublik:
    nama: str
    rt: str
    rw: str
    nik: str  # masked
    token: str


def _entri_publik(publikasi: Publikasi) -> QuerySet[EntriDaftar]:
    return (
        EntriDaftar.objects.filter(
            daftar=publikasi.daftar, aktif=True, keluarga__kelurahan_id=publikasi.kelurahan_id
        )
        .select_related("keluarga", "anggota")
        .order_by("keluarga__rw", "keluarga__rt", "pk")
    )


def baris_publikasi(publikasi: Publikasi) -> list[BarisPublik]:
    """Published rows: the recipient person (or the household's head), RT/RW and a masked NIK;
    never the No. KK, the address or the reasons."""
    entri = list(_entri_publik(publikasi))
    heads = {
        a.keluarga_id: a
        for a in AnggotaKeluarga.objects.filter(
            keluarga_id__in=[e.keluarga_id for e in entri], hubungan=Hubungan.KEPALA
        )
    }
    rows = []
    for e in entri:
        person = e.anggota or heads.get(e.keluarga_id)
        rows.append(
            BarisPublik(
                nama=person.nama if person else "–",
                rt=e.keluarga.rt,
                rw=e.keluarga.rw,
                nik=samarkan_nik(person.nik) if person else "*" * 16,
                token=token_baris(publikasi.kode, e.pk),
            )
        )
    return rows


def entri_dari_token(publikasi: Publikasi, token: str) -> EntriDaftar:
    """The published row a Sanggah link names; 404 for anything else (a withdrawn entry too)."""
    for e in _entri_publik(publikasi):
        if token_baris(publikasi.kode, e.pk) == token:
            return e
    raise Http404


@dataclass(frozen=True)
class HasilCek:
    program: str
    tahap: str
    periode_mulai: datetime.date
    periode_selesai: datetime.date
    nomor_sk: str
    tanggal_sk: datetime.date | None


def cek_penerima(*, nik: str, nama: str) -> list[HasilCek]:
    """Approved, active entries of the person with this NIK whose name matches: the household's
    entry for any member, a person's entry for that person only. The same empty answer for an
    unknown NIK and a wrong name."""
    person = AnggotaKeluarga.objects.filter(nik=nik).first()
    if person is None or rapikan_nama(person.nama) != rapikan_nama(nama):
        return []
    entri = (
        EntriDaftar.objects.filter(
            keluarga_id=person.keluarga_id, aktif=True, daftar__status=StatusDaftar.DISETUJUI
        )
        .filter(Q(anggota__isnull=True) | Q(anggota=person))
        .select_related("daftar__tahap__program")
        .order_by("-daftar__tahap__periode_mulai", "pk")
    )
    return [
        HasilCek(
            program=e.daftar.tahap.program.nama,
            tahap=f"{e.daftar.tahap.tahun} tahap {e.daftar.tahap.tahap}",
            periode_mulai=e.daftar.tahap.periode_mulai,
            periode_selesai=e.daftar.tahap.periode_selesai,
            nomor_sk=e.daftar.nomor_sk,
            tanggal_sk=e.daftar.tanggal_sk,
        )
        for e in entri
    ]


def aduan_by_kode(kode: str) -> Aduan | None:
    if not kode:
        return None
    return (
        Aduan.objects.filter(kode=kode)
        .select_related(
            "kelurahan", "program", "hasil_usulan__tahap", "hasil_amandemen", "entri__daftar__tahap"
        )
        .first()
    )


def kelurahan_kota() -> QuerySet[Wilayah]:
    return Wilayah.objects.filter(tingkat="kelurahan").select_related("induk").order_by("induk__nama", "nama")


def program_usul() -> QuerySet[ProgramBantuan]:
    """Programmes a citizen may name in an usul: the city's own, active ones."""
    return ProgramBantuan.objects.filter(aktif=True, asal="kota").order_by("nama")


# -- Staff ----------------------------------------------------------------------------------------


def aduan_list(*, user: Any, filters: dict[str, str] | None = None) -> QuerySet[Aduan]:
    """The items of the user's area; overdue ones come first because the oldest deadline does."""
    qs = Aduan.objects.for_user(user).select_related("kelurahan", "kecamatan", "ditugaskan_ke")
    filters = filters or {}
    if filters.get("status") in StatusAduan.values:
        qs = qs.filter(status=filters["status"])
    elif filters.get("status") == "terbuka":
        qs = qs.filter(status__in=TERBUKA)
    if filters.get("jenis") in JenisAduan.values:
        qs = qs.filter(jenis=filters["jenis"])
    kecamatan = filters.get("kecamatan") or ""
    if KODE_KECAMATAN.fullmatch(kecamatan):  # anything else (a NUL byte, say) filters nothing
        qs = qs.filter(kecamatan_id=kecamatan)
    # Open items first (the answered ones have nothing left to do), each by the nearest deadline.
    return qs.order_by(Case(When(status__in=TERBUKA, then=0), default=1), "tenggat", "dibuat_pada", "pk")


def aduan_get_for_user_or_404(*, user: Any, pk: int) -> Aduan:
    return get_object_or_404(
        Aduan.objects.for_user(user).select_related(
            "kelurahan",
            "kecamatan",
            "program",
            "entri__keluarga",
            "entri__daftar__tahap__program",
            "hasil_usulan__tahap",
            "hasil_usulan__keluarga",
            "hasil_amandemen",
            "ditugaskan_ke",
            "diperiksa_oleh",
            "dijawab_oleh",
        ),
        pk=pk,
    )


def usulan_calon(*, user: Any, aduan: Aduan) -> QuerySet[Usulan]:
    """Proposals an usul may be answered with: in the user's area and the item's kelurahan, of
    the family it names when it gave a No. KK or NIK."""
    qs = (
        Usulan.objects.for_user(user)
        .filter(keluarga__kelurahan_id=aduan.kelurahan_id)
        .exclude(status__in=[StatusUsulan.DITOLAK, StatusUsulan.DIBATALKAN])
    )
    if aduan.program_id:
        qs = qs.filter(tahap__program_id=aduan.program_id)
    if not (aduan.no_kk or aduan.nik):
        qs = qs.filter(dibuat_pada__gte=aduan.dibuat_pada)
    if aduan.no_kk:
        qs = qs.filter(keluarga__no_kk=aduan.no_kk)
    if aduan.nik:
        qs = qs.filter(keluarga__anggota__nik=aduan.nik)
    return qs.select_related("tahap__program", "keluarga").order_by("-dibuat_pada")


def amandemen_calon(*, user: Any, aduan: Aduan) -> QuerySet[AmandemenDaftar]:
    """Amendments a sanggah may be answered with: those removing the entry objected to."""
    if aduan.entri_id is None:
        return AmandemenDaftar.objects.none()
    return (
        AmandemenDaftar.objects.for_user(user)
        .filter(entri_id=aduan.entri_id, jenis=AmandemenDaftar.Jenis.KELUARKAN)
        .exclude(status=AmandemenDaftar.Status.DITOLAK)
        .order_by("-dibuat_pada")
    )


def panel_tksk(*, user: Any) -> list[Aduan]:
    """Open items of the TKSK's kecamatan, overdue first. A kecamatan has one TKSK at a time, so
    these are the items assigned to them — and, after a hand-over, those assigned to the
    predecessor, which are now theirs to answer."""
    return list(
        Aduan.objects.for_user(user)
        .filter(status__in=TERBUKA)
        .select_related("kelurahan")
        .order_by("tenggat", "pk")[:10]
    )


def panel_dinas(*, user: Any) -> list[Aduan]:
    """Open items at or past their deadline within HARI_MENJELANG_TENGGAT days."""
    batas = timezone.localdate() + datetime.timedelta(days=HARI_MENJELANG_TENGGAT)
    return list(
        Aduan.objects.for_user(user)
        .filter(status__in=TERBUKA, tenggat__lte=batas)
        .select_related("kelurahan", "kecamatan")
        .order_by("tenggat", "pk")[:15]
    )


def panel_kelurahan(*, user: Any) -> list[Aduan]:
    """Open objections in the officer's kelurahan."""
    return list(
        Aduan.objects.for_user(user)
        .filter(status__in=TERBUKA, jenis=JenisAduan.SANGGAH)
        .select_related("kelurahan")
        .order_by("tenggat", "pk")[:15]
    )


@dataclass
class RingkasanKecamatan:
    kecamatan: Wilayah
    terbuka: int = 0
    dijawab: int = 0
    terlambat: int = 0
    umur_terbuka: list[int] = field(default_factory=list)
    lama_jawab: list[int] = field(default_factory=list)
    hasil: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HasilAduan.values, 0))

    @property
    def median_umur(self) -> float | None:
        return statistics.median(self.umur_terbuka) if self.umur_terbuka else None

    @property
    def median_jawab(self) -> float | None:
        return statistics.median(self.lama_jawab) if self.lama_jawab else None


def ringkasan_per_kecamatan(*, user: Any) -> list[RingkasanKecamatan]:
    """Per kecamatan of the user's area: open, answered and overdue items, the median age of the
    open ones and the median days to an answer, and what the answers changed."""
    today = timezone.localdate()
    kecamatan = Wilayah.objects.for_user(user).filter(tingkat="kecamatan").order_by("nama")  # type: ignore[attr-defined]
    rows = {k.kode: RingkasanKecamatan(k) for k in kecamatan}
    for a in Aduan.objects.for_user(user).only(
        "kecamatan_id", "status", "tenggat", "dibuat_pada", "dijawab_pada", "hasil"
    ):
        row = rows.get(a.kecamatan_id)
        if row is None:
            continue
        filed = timezone.localdate(a.dibuat_pada)
        if a.terbuka:
            row.terbuka += 1
            row.terlambat += a.tenggat < today
            row.umur_terbuka.append((today - filed).days)
        else:
            row.dijawab += 1
            if a.dijawab_pada:
                row.lama_jawab.append((timezone.localdate(a.dijawab_pada) - filed).days)
            if a.hasil:
                row.hasil[a.hasil] += 1
    return list(rows.values())


# -- Publications (staff) --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalonPublikasi:
    daftar: DaftarPenerima
    kelurahan: Wilayah
    penerima: int
    publikasi: Publikasi | None


def calon_publikasi(*, user: Any) -> list[CalonPublikasi]:
    """Approved lists per kelurahan of the user's area, with the current publication if any."""
    counts = (
        EntriDaftar.objects.for_user(user)
        .filter(aktif=True, daftar__status=StatusDaftar.DISETUJUI)
        .values("daftar_id", "keluarga__kelurahan_id")
        .annotate(n=Count("pk"))
    )
    daftar = {
        d.pk: d
        for d in DaftarPenerima.objects.filter(status=StatusDaftar.DISETUJUI).select_related("tahap__program")
    }
    kelurahan = {w.kode: w for w in Wilayah.objects.filter(tingkat="kelurahan")}
    aktif = {
        (p.daftar_id, p.kelurahan_id): p
        for p in Publikasi.objects.for_user(user).filter(ditarik_pada__isnull=True)
    }
    out = [
        CalonPublikasi(
            daftar=daftar[c["daftar_id"]],
            kelurahan=kelurahan[c["keluarga__kelurahan_id"]],
            penerima=c["n"],
            publikasi=aktif.get((c["daftar_id"], c["keluarga__kelurahan_id"])),
        )
        for c in counts
        if c["daftar_id"] in daftar
    ]
    return sorted(out, key=lambda c: (c.kelurahan.kode, str(c.daftar)))


def publikasi_log(*, user: Any) -> QuerySet[Publikasi]:
    return (
        Publikasi.objects.for_user(user)
        .select_related("daftar__tahap__program", "kelurahan", "diterbitkan_oleh", "ditarik_oleh")
        .order_by("-diterbitkan_pada", "-pk")
    )


def publikasi_get_for_user_or_404(*, user: Any, pk: int) -> Publikasi:
    return get_object_or_404(Publikasi.objects.for_user(user), pk=pk)
