"""The reports every role can download for its own area. Each report is a title, columns and a
row iterator built on the apps' scoped selectors, so an export shows exactly what the user may
see on screen."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bantuan.choices import StatusDaftar
from bantuan.models import (
    EntriDaftar,
    KuotaKecamatan,
    PenerimaEksternal,
    PenerimaEksternalQuerySet,
    Penyaluran,
    TahapProgram,
)
from inti.spreadsheet import Kolom
from pmks import choices
from pmks.choices import Kebutuhan
from pmks.filters import KeluargaFilter
from pmks.models import AnggotaKeluarga, CatatanPmks, KategoriPmks, Keluarga
from tksk.models import Kegiatan
from wilayah.choices import Tingkat
from wilayah.models import Wilayah
from wilayah.selectors import kecamatan_for_user, kelurahan_for_user


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


# -- 6. Needs stated at visits against quotas and aid received ---------------------------------------


def _penerimaan(tahun: int) -> tuple[QuerySet[EntriDaftar], PenerimaEksternalQuerySet]:
    """Aid received in ``tahun`` from programmes that answer a need: active entries of the
    year's approved city lists, and external-ledger rows still listed whose period overlaps the
    year."""
    kota = EntriDaftar.objects.filter(
        aktif=True, daftar__status=StatusDaftar.DISETUJUI, daftar__tahap__tahun=tahun
    ).exclude(daftar__tahap__program__kebutuhan="")
    luar = (
        PenerimaEksternal.objects.berlaku()
        .dalam_periode(datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31))
        .exclude(program__kebutuhan="")
    )
    return kota, luar


def _menerima(penerimaan: tuple[QuerySet[EntriDaftar], PenerimaEksternalQuerySet], kebutuhan: Any) -> Q:
    """The household (the outer query's row) received aid answering ``kebutuhan`` (a need, or
    an OuterRef to one): the one definition of "received" the report's columns share."""
    kota, luar = penerimaan
    return Q(Exists(kota.filter(keluarga=OuterRef("pk"), daftar__tahap__program__kebutuhan=kebutuhan))) | Q(
        Exists(luar.filter(keluarga=OuterRef("pk"), program__kebutuhan=kebutuhan))
    )


def _tahun(params: QueryDict, latest: datetime.date | None) -> int:
    raw = params.get("tahun", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return (latest or timezone.localdate()).year


def kebutuhan(user: Any, params: QueryDict) -> Hasil:
    """Per need and kelurahan: households whose latest stated need of the year it was, how many
    of them received aid answering it, and all households receiving such aid; kecamatan and
    city rows add the quotas (quotas are not set per kelurahan). Every figure is an aggregate:
    a few queries whatever the number of households."""
    keluarga = Keluarga.objects.for_user(user)
    kode = params.get("kecamatan", "")
    kecamatan = Wilayah.objects.filter(pk=kode, tingkat=Tingkat.KECAMATAN).first() if kode else None
    if kecamatan:
        keluarga = keluarga.filter(kelurahan__induk=kecamatan)
    dinyatakan = Kegiatan.objects.exclude(kebutuhan="")
    latest = dinyatakan.filter(keluarga__in=keluarga).aggregate(t=Max("tanggal"))["t"]
    tahun = _tahun(params, latest)
    dinyatakan = dinyatakan.filter(tanggal__year=tahun)
    penerimaan = _penerimaan(tahun)
    kota, luar = penerimaan

    # The latest visit of the year that recorded a need decides the household's need.
    terakhir = dinyatakan.filter(keluarga=OuterRef("pk")).order_by("-tanggal", "-pk").values("kebutuhan")[:1]
    nyata: dict[tuple[str, str], int] = {}
    dapat: dict[tuple[str, str], int] = {}
    for r in (
        keluarga.filter(pk__in=dinyatakan.values("keluarga"))
        .annotate(kebutuhan_akhir=Subquery(terakhir))
        .values("kelurahan_id", "kebutuhan_akhir")
        .annotate(n=Count("pk"), dapat=Count("pk", filter=_menerima(penerimaan, OuterRef("kebutuhan_akhir"))))
        .order_by()
    ):
        nyata[(r["kelurahan_id"], r["kebutuhan_akhir"])] = r["n"]
        dapat[(r["kelurahan_id"], r["kebutuhan_akhir"])] = r["dapat"]

    # Households receiving aid answering each need, whatever they said (or if never visited).
    terima: dict[tuple[str, str], int] = {}
    for r in (
        keluarga.filter(Q(pk__in=kota.values("keluarga")) | Q(pk__in=luar.values("keluarga")))
        .values("kelurahan_id")
        .annotate(**{f"t_{k}": Count("pk", filter=_menerima(penerimaan, k)) for k in Kebutuhan.values})
        .order_by()
    ):
        for k in Kebutuhan.values:
            terima[(r["kelurahan_id"], k)] = r[f"t_{k}"]

    # External recipients not (yet) matched to a registered household, by No. KK or else NIK.
    belum_terdaftar_qs = luar.for_user(user).filter(keluarga__isnull=True)
    if kecamatan:
        belum_terdaftar_qs = belum_terdaftar_qs.filter(kelurahan__induk=kecamatan)
    belum_terdaftar = {
        (r["kelurahan_id"], r["program__kebutuhan"]): r["n"]
        for r in belum_terdaftar_qs.values("kelurahan_id", "program__kebutuhan")
        .annotate(n=Count(Coalesce(NullIf("no_kk", Value("")), "nik"), distinct=True))
        .order_by()
    }

    tahap = TahapProgram.objects.filter(tahun=tahun).exclude(program__kebutuhan="")
    kuota_kota = dict(tahap.values_list("program__kebutuhan").annotate(n=Sum("kuota")).order_by())
    kuota_kecamatan = {
        (r[0], r[1]): r[2]
        for r in KuotaKecamatan.objects.filter(tahap__in=tahap)
        .values_list("kecamatan_id", "tahap__program__kebutuhan")
        .annotate(n=Sum("kuota"))
        .order_by()
    }

    kelurahan = kelurahan_for_user(user=user).select_related("induk").order_by("kode")
    kecamatan_list = kecamatan_for_user(user=user).order_by("kode")
    if kecamatan:
        kelurahan = kelurahan.filter(induk=kecamatan)
        kecamatan_list = kecamatan_list.filter(pk=kecamatan.pk)
    per_kecamatan: dict[str | None, list[Wilayah]] = defaultdict(list)
    for kel in kelurahan:
        per_kecamatan[kel.induk_id].append(kel)
    # Subtotals only for kecamatan the user sees whole, the city quota only for the whole city.
    utuh = {k.kode: k for k in kecamatan_list}
    seluruh_kota = (
        None
        if kecamatan
        else Wilayah.objects.for_user(user).filter(tingkat__in=(Tingkat.KOTA, Tingkat.KABUPATEN)).first()
    )
    labels = _labels(Kebutuhan.choices)
    kolom = [
        Kolom("Kebutuhan", lebar=26),
        Kolom("Kecamatan", lebar=18),
        Kolom("Kelurahan", lebar=20),
        Kolom("Keluarga menyatakan kebutuhan", "int", 14),
        Kolom("Menyatakan dan menerima", "int", 14),
        Kolom("Menyatakan, belum menerima", "int", 14),
        Kolom("Keluarga penerima bantuan untuk kebutuhan ini", "int", 16),
        Kolom("Penerima bantuan luar belum terdaftar", "int", 16),
        Kolom("Kuota", "int", 10),
    ]

    def angka(keys: list[tuple[str, str]]) -> list[int]:
        n = sum(nyata.get(x, 0) for x in keys)
        d = sum(dapat.get(x, 0) for x in keys)
        return [
            n,
            d,
            n - d,
            sum(terima.get(x, 0) for x in keys),
            sum(belum_terdaftar.get(x, 0) for x in keys),
        ]

    def gen() -> Iterator[list[Any]]:
        for k in Kebutuhan.values:
            semua: list[tuple[str, str]] = []
            for kode_kec, daftar in per_kecamatan.items():
                keys = [(kel.kode, k) for kel in daftar]
                semua += keys
                for kel in daftar:
                    baris = angka([(kel.kode, k)])
                    if any(baris):
                        kec = kel.induk.nama.title() if kel.induk else ""
                        yield [labels[k], kec, kel.nama.title(), *baris, None]
                if kode_kec in utuh:
                    baris, kuota = angka(keys), kuota_kecamatan.get((kode_kec, k))
                    if any(baris) or kuota is not None:
                        yield [labels[k], utuh[kode_kec].nama.title(), "Jumlah kecamatan", *baris, kuota]
            yield [
                labels[k],
                "Jumlah",
                seluruh_kota.nama.title() if seluruh_kota else "Wilayah laporan",
                *angka(semua),
                kuota_kota.get(k, 0) if seluruh_kota else None,
            ]

    periode = f"Tahun {tahun}" + (f", Kecamatan {kecamatan.nama.title()}" if kecamatan else "")
    return Hasil(kolom, gen(), periode)


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
    Laporan(
        "kebutuhan",
        _("Kebutuhan keluarga dibanding kuota dan bantuan"),
        _(
            "Per kebutuhan dan kelurahan: keluarga yang menyatakannya saat kunjungan (kunjungan "
            "terakhir tahun itu), yang sudah dan belum menerima bantuan untuk kebutuhan itu, semua "
            "penerima, dan kuota kecamatan/kota."
        ),
        "bantuan.view_entridaftar",
        kebutuhan,
    ),
]
BY_KODE = {r.kode: r for r in LAPORAN}
