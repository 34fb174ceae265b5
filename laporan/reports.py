"""The reports every role can download for its own area. Each report is a title, columns and a
row iterator built on the apps' scoped selectors, so an export shows exactly what the user may
see on screen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bantuan.models import EntriDaftar, Penyaluran, TahapProgram
from inti.spreadsheet import Kolom
from pmks import choices
from pmks.filters import KeluargaFilter
from pmks.models import AnggotaKeluarga, CatatanPmks, KategoriPmks, Keluarga
from tksk.models import Kegiatan
from wilayah.selectors import kelurahan_for_user


@dataclass
class Hasil:
    kolom: list[Kolom]
    rows: Iterator[list[Any]]
    periode: str
    jumlah: int = 0  # rows to expect (0: small by nature); large reports go to the background


@dataclass(frozen=True)
class Laporan:
    kode: str
    nama: str | Promise
    keterangan: str | Promise
    permission: str
    build: Callable[[Any, QueryDict], Hasil]


def _text(v: Any) -> str:
    return "" if v is None else str(v)


# -- 1. PMKS recap per kelurahan x category ------------------------------------------------------------


def rekap_pmks(user: Any, params: QueryDict) -> Hasil:
    kategori = list(KategoriPmks.objects.filter(aktif=True).order_by("nomor"))
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    rows = (
        CatatanPmks.objects.for_user(user)
        .open()
        .values("keluarga__kelurahan_id", "kategori_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        counts[r["keluarga__kelurahan_id"]][r["kategori_id"]] = r["n"]
    households = dict(
        CatatanPmks.objects.for_user(user)
        .open()
        .values("keluarga__kelurahan_id")
        .annotate(n=Count("keluarga", distinct=True))
        .values_list("keluarga__kelurahan_id", "n")
    )
    kolom = [Kolom("Kelurahan", lebar=24), Kolom("Kecamatan", lebar=18)]
    kolom += [Kolom(k.singkatan or str(k.nomor), "int", 8) for k in kategori]
    kolom += [Kolom("Keluarga dengan PMKS berlaku", "int", 14)]

    def gen():
        for kel in kelurahan_for_user(user=user).select_related("induk").order_by("kode"):
            c = counts.get(kel.kode, {})
            yield [
                kel.nama.title(),
                kel.induk.nama.title() if kel.induk else "",
                *[c.get(k.pk, 0) for k in kategori],
                households.get(kel.kode, 0),
            ]

    return Hasil(kolom, gen(), "Catatan PMKS berstatus diusulkan/terverifikasi")


# -- 2. Households and members by filter ----------------------------------------------------------------


def _labels(choices_) -> dict[str, str]:
    return {code: str(label) for code, label in choices_}


def keluarga_anggota(user: Any, params: QueryDict) -> Hasil:
    f = KeluargaFilter(params or None, queryset=Keluarga.objects.for_user(user), user=user)
    people = (
        AnggotaKeluarga.objects.filter(keluarga__in=f.qs.values("pk"))
        .order_by("keluarga__kelurahan_id", "keluarga__no_kk", "tanggal_lahir", "pk")
        .values_list(
            "keluarga_id",
            "keluarga__no_kk",
            "nik",
            "nama",
            "jenis_kelamin",
            "tempat_lahir",
            "tanggal_lahir",
            "hubungan",
            "pendidikan",
            "pekerjaan",
            "disabilitas",
            "keluarga__alamat",
            "keluarga__rt",
            "keluarga__rw",
            "keluarga__kelurahan__nama",
            "keluarga__kelurahan__induk__nama",
            "keluarga__penghasilan_bulanan",
        )
    )
    kolom = [
        Kolom("No. KK", "nomor", 19),
        Kolom("NIK", "nomor", 19),
        Kolom("Nama", lebar=26),
        Kolom("L/P", lebar=5),
        Kolom("Tempat lahir", lebar=14),
        Kolom("Tanggal lahir", "tanggal", 12),
        Kolom("Hubungan", lebar=14),
        Kolom("Pendidikan", lebar=14),
        Kolom("Pekerjaan", lebar=18),
        Kolom("Disabilitas", lebar=12),
        Kolom("Alamat", lebar=28),
        Kolom("RT", lebar=5),
        Kolom("RW", lebar=5),
        Kolom("Kelurahan", lebar=18),
        Kolom("Kecamatan", lebar=14),
        Kolom("PMKS berlaku", lebar=20),
        Kolom("Penghasilan/bulan", "rupiah", 14),
    ]
    hubungan = _labels(choices.Hubungan.choices)
    pendidikan = _labels(choices.Pendidikan.choices)
    disabilitas = _labels(choices.Disabilitas.choices)

    def emit(batch: list[tuple]) -> Iterator[list[Any]]:
        pmks: dict[int, set[str]] = defaultdict(set)
        records = CatatanPmks.objects.open().filter(keluarga_id__in={r[0] for r in batch})
        for keluarga_id, singkatan, nama in records.values_list(
            "keluarga_id", "kategori__singkatan", "kategori__nama"
        ):
            pmks[keluarga_id].add(singkatan or nama)
        for r in batch:
            yield [
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                hubungan.get(r[7], r[7]),
                pendidikan.get(r[8], r[8]),
                r[9],
                disabilitas.get(r[10], r[10]),
                r[11],
                r[12],
                r[13],
                r[14].title(),
                (r[15] or "").title(),
                ", ".join(sorted(pmks.get(r[0], ()))),
                r[16],
            ]

    def gen() -> Iterator[list[Any]]:
        # Chunks of plain tuples: memory stays flat and no model objects are built per row.
        batch: list[tuple] = []
        for row in people.iterator(chunk_size=5000):
            batch.append(row)
            if len(batch) == 5000:
                yield from emit(batch)
                batch = []
        yield from emit(batch)

    periode = (
        ", ".join(f"{k}={v}" for k, v in params.items() if v and k not in ("format", "latar")) or "semua"
    )
    return Hasil(kolom, gen(), periode, people.count())


# -- 3. Beneficiaries of a programme stage -------------------------------------------------------------


def _tahap(params: QueryDict) -> TahapProgram | None:
    raw = params.get("tahap", "")
    return TahapProgram.objects.select_related("program").filter(pk=raw).first() if raw.isdigit() else None


def penerima(user: Any, params: QueryDict) -> Hasil:
    tahap = _tahap(params)
    entries = (
        EntriDaftar.objects.for_user(user)
        .select_related("daftar__tahap__program", "keluarga__kelurahan__induk", "anggota")
        .prefetch_related("penyaluran")
        .order_by("daftar__tahap_id", "keluarga__kelurahan_id", "keluarga__no_kk")
    )
    if tahap:
        entries = entries.filter(daftar__tahap=tahap)
    kelurahan = params.get("kelurahan")
    if kelurahan:
        entries = entries.filter(keluarga__kelurahan_id=kelurahan)
    heads = AnggotaKeluarga.objects.filter(hubungan="kepala")
    kolom = [
        Kolom("Program", lebar=26),
        Kolom("Tahun", "int", 7),
        Kolom("Tahap", "int", 6),
        Kolom("Status daftar", lebar=14),
        Kolom("No. SK", lebar=20),
        Kolom("No. KK", "nomor", 19),
        Kolom("NIK penerima", "nomor", 19),
        Kolom("Nama penerima", lebar=26),
        Kolom("Kelurahan", lebar=18),
        Kolom("Kecamatan", lebar=14),
        Kolom("Nilai (Rp)", "rupiah", 14),
        Kolom("Aktif", lebar=7),
        Kolom("Tanggal penyaluran", "tanggal", 12),
        Kolom("Skor saat disetujui", "int", 10),
        Kolom("PMKS saat disetujui", lebar=16),
        Kolom("Tanda saat disetujui", lebar=40),
        Kolom("Alasan penyetuju", lebar=40),
    ]

    def gen():
        for e in entries.prefetch_related(
            Prefetch("keluarga__anggota", queryset=heads, to_attr="kepala")
        ).iterator(chunk_size=2000):
            person = e.anggota or (e.keluarga.kepala[0] if e.keluarga.kepala else None)
            t = e.daftar.tahap
            disalurkan = [p.tanggal for p in e.penyaluran.all()]
            dasar = e.dasar_persetujuan or {}
            yield [
                t.program.nama,
                t.tahun,
                t.tahap,
                e.daftar.get_status_display(),
                e.daftar.nomor_sk,
                e.keluarga.no_kk,
                person.nik if person else "",
                person.nama if person else "",
                e.keluarga.kelurahan.nama.title(),
                e.keluarga.kelurahan.induk.nama.title(),
                t.program.nilai_rupiah,
                "ya" if e.aktif else "tidak",
                disalurkan[0] if disalurkan else None,
                dasar.get("skor"),
                ", ".join(dasar.get("kategori", [])),
                " ".join(t["pesan"] for t in dasar.get("tanda", [])),
                e.alasan_pengecualian,
            ]

    return Hasil(kolom, gen(), str(tahap) if tahap else "semua tahap", entries.count())


# -- 4. Distributions ----------------------------------------------------------------------------------


def penyaluran(user: Any, params: QueryDict) -> Hasil:
    tahap = _tahap(params)
    rows = (
        Penyaluran.objects.for_user(user)
        .select_related(
            "entri__daftar__tahap__program", "entri__keluarga__kelurahan", "entri__anggota", "petugas"
        )
        .order_by("tanggal", "pk")
    )
    if tahap:
        rows = rows.filter(entri__daftar__tahap=tahap)
    kolom = [
        Kolom("Tanggal", "tanggal", 12),
        Kolom("Program", lebar=26),
        Kolom("Tahap", lebar=12),
        Kolom("No. KK", "nomor", 19),
        Kolom("Kelurahan", lebar=18),
        Kolom("Yang diserahkan", lebar=30),
        Kolom("Diterima oleh", lebar=24),
        Kolom("Petugas", lebar=20),
        Kolom("Foto bukti", lebar=8),
    ]

    def gen():
        for p in rows.iterator(chunk_size=2000):
            t = p.entri.daftar.tahap
            oleh = f"{p.nama_wakil} ({p.hubungan_wakil})" if p.penerima == "wakil" else "penerima sendiri"
            yield [
                p.tanggal,
                t.program.nama,
                f"{t.tahun}/{t.tahap}",
                p.entri.keluarga.no_kk,
                p.entri.keluarga.kelurahan.nama.title(),
                p.uraian,
                oleh,
                _text(p.petugas),
                "ada" if p.foto else "tidak",
            ]

    return Hasil(kolom, gen(), str(tahap) if tahap else "semua tahap", rows.count())


# -- 5. TKSK activity per month ------------------------------------------------------------------------


def kegiatan_bulanan(user: Any, params: QueryDict) -> Hasil:
    raw = params.get("tahun", "")
    latest = Kegiatan.objects.for_user(user).order_by("-tanggal").values_list("tanggal", flat=True).first()
    tahun = int(raw) if raw.isdigit() else (latest or timezone.localdate()).year
    labels = dict(Kegiatan._meta.get_field("jenis").flatchoices)
    rows = (
        Kegiatan.objects.for_user(user)
        .filter(tanggal__year=tahun)
        .annotate(bulan=TruncMonth("tanggal"))
        .values("kecamatan__nama", "bulan", "jenis")
        .annotate(n=Count("pk"))
        .order_by("kecamatan__nama", "bulan", "jenis")
    )
    kolom = [
        Kolom("Kecamatan", lebar=18),
        Kolom("Bulan", lebar=10),
        Kolom("Jenis kegiatan", lebar=30),
        Kolom("Jumlah", "int", 10),
    ]

    def gen():
        for r in rows:
            yield [
                r["kecamatan__nama"].title(),
                r["bulan"].strftime("%m/%Y"),
                str(labels.get(r["jenis"])),
                r["n"],
            ]

    return Hasil(kolom, gen(), f"Tahun {tahun}")


LAPORAN = [
    Laporan(
        "rekap-pmks",
        _("Rekap PMKS per kelurahan dan kategori"),
        _("Jumlah catatan PMKS berlaku per kategori di setiap kelurahan."),
        "pmks.view_catatanpmks",
        rekap_pmks,
    ),
    Laporan(
        "keluarga",
        _("Keluarga dan anggota"),
        _("Satu baris per orang; saringan sama dengan daftar keluarga."),
        "pmks.view_keluarga",
        keluarga_anggota,
    ),
    Laporan(
        "penerima",
        _("Penerima bantuan per tahap"),
        _("Daftar penerima per tahap program dan kelurahan."),
        "bantuan.view_entridaftar",
        penerima,
    ),
    Laporan(
        "penyaluran",
        _("Penyaluran bantuan"),
        _("Setiap penyaluran dengan tanggal dan penerimanya."),
        "bantuan.view_penyaluran",
        penyaluran,
    ),
    Laporan(
        "kegiatan",
        _("Kegiatan TKSK per bulan"),
        _("Jumlah kegiatan per kecamatan, bulan dan jenis."),
        "tksk.view_kegiatan",
        kegiatan_bulanan,
    ),
]
BY_KODE = {r.kode: r for r in LAPORAN}
