"""Reads for TKSK work: activity lists, the agenda, workload and the monthly summary."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import JenisPenugasan
from accounts.models import Penugasan
from bantuan.selectors import ringkasan_bulanan
from inti.tugas import Butir, Tugas
from pmks.choices import StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from pmks.selectors import TUGAS_BUTIR
from tksk.choices import JENIS_KUNJUNGAN, HasilRujukan, JenisKegiatan, StatusLaporan
from tksk.models import Kegiatan, LaporanBulanan, Psks
from wilayah.models import Wilayah
from wilayah.selectors import kecamatan_for_user


def kegiatan_list(*, user: Any) -> QuerySet[Kegiatan]:
    return (
        Kegiatan.objects.for_user(user)
        .select_related("kecamatan", "petugas")
        .prefetch_related("keluarga", "anggota", "psks")
        .order_by("-tanggal", "-pk")
    )


def kegiatan_get_for_user_or_404(*, user: Any, pk: int) -> Kegiatan:
    return get_object_or_404(kegiatan_list(user=user), pk=pk)


def kegiatan_for_keluarga(*, user: Any, keluarga: Keluarga) -> QuerySet[Kegiatan]:
    return kegiatan_list(user=user).filter(keluarga=keluarga)


def psks_list(*, user: Any) -> QuerySet[Psks]:
    return Psks.objects.for_user(user).select_related("jenis", "kelurahan").order_by("jenis__nomor", "nama")


def psks_get_for_user_or_404(*, user: Any, pk: int) -> Psks:
    return get_object_or_404(psks_list(user=user), pk=pk)


def kecamatan_get_for_user_or_404(*, user: Any, kode: str) -> Wilayah:
    return get_object_or_404(kecamatan_for_user(user=user), pk=kode)


# -- Agenda ------------------------------------------------------------------------------------------


@dataclass
class Agenda:
    terlambat: list[Kegiatan]
    segera: list[Kegiatan]
    belum_dikunjungi: list[tuple[Keluarga, datetime.date | None]]
    rujukan_menunggu: list[Kegiatan]
    hari: int
    jumlah_belum_dikunjungi: int = 0  # totals: the two lists above are cut at ``limit``
    jumlah_rujukan_menunggu: int = 0


def agenda(
    *, user: Any, kecamatan: Wilayah | None = None, hari: int | None = None, limit: int = 50
) -> Agenda:
    """What a TKSK should do next: follow-ups due and overdue, households with a verified PMKS
    record not visited for ``hari`` days, and referrals still waiting for an outcome."""
    hari = hari or settings.AGENDA_HARI_TANPA_KUNJUNGAN
    today = timezone.localdate()
    kegiatan = Kegiatan.objects.for_user(user).select_related("kecamatan").prefetch_related("keluarga")
    keluarga = Keluarga.objects.for_user(user)
    if kecamatan is not None:
        kegiatan = kegiatan.filter(kecamatan=kecamatan)
        keluarga = keluarga.filter(kelurahan__induk=kecamatan)
    open_follow_ups = list(
        kegiatan.tindak_lanjut_terbuka()
        .filter(tindak_lanjut_tanggal__lte=today + datetime.timedelta(days=7))
        .order_by("tindak_lanjut_tanggal")
    )
    last_visit = (
        keluarga.filter(catatan_pmks__status=StatusPmks.TERVERIFIKASI)
        .annotate(terakhir=Max("kegiatan__tanggal", filter=Q(kegiatan__jenis__in=JENIS_KUNJUNGAN)))
        .filter(Q(terakhir__isnull=True) | Q(terakhir__lt=today - datetime.timedelta(days=hari)))
        .select_related("kelurahan")
        .order_by(F("terakhir").asc(nulls_first=True), "pk")
        .distinct()
    )
    return Agenda(
        terlambat=[k for k in open_follow_ups if k.tindak_lanjut_tanggal < today],
        segera=[k for k in open_follow_ups if k.tindak_lanjut_tanggal >= today],
        belum_dikunjungi=[(k, k.terakhir) for k in last_visit[:limit]],
        rujukan_menunggu=list(kegiatan.rujukan_tanpa_hasil().order_by("tanggal")[:limit]),
        hari=hari,
        jumlah_belum_dikunjungi=last_visit.count(),
        jumlah_rujukan_menunggu=kegiatan.rujukan_tanpa_hasil().count(),
    )


# -- Workload ----------------------------------------------------------------------------------------


@dataclass
class BebanKerja:
    kecamatan: Wilayah
    keluarga_pmks: int
    orang_pmks: int
    tindak_lanjut_terlambat: int
    tksk: list[str]
    keluarga_per_tksk: int | None
    kegiatan_per_bulan: list[int] = field(default_factory=list)


def _last_months(n: int, today: datetime.date) -> list[datetime.date]:
    months = []
    y, m = today.year, today.month
    for _i in range(n):
        months.append(datetime.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return list(reversed(months))


def beban_kerja(*, user: Any, bulan: int = 12) -> tuple[list[datetime.date], list[BebanKerja]]:
    """Per kecamatan of the user's area: open PMKS load, activity per month, overdue follow-ups,
    households per active TKSK. A handful of grouped queries for the whole city."""
    today = timezone.localdate()
    months = _last_months(bulan, today)
    kecamatan = list(kecamatan_for_user(user=user).order_by("kode"))
    open_records = CatatanPmks.objects.open()
    by_kec_households: Counter[str] = Counter()
    for kel_id, n in (
        open_records.values("keluarga__kelurahan__induk_id")
        .annotate(n=Count("keluarga", distinct=True))
        .values_list("keluarga__kelurahan__induk_id", "n")
    ):
        by_kec_households[kel_id] = n
    # People: those named on an open record, plus every member of a household whose open
    # record covers the whole household.
    open_status = [StatusPmks.DIUSULKAN, StatusPmks.TERVERIFIKASI]
    by_kec_people: Counter[str] = Counter(
        dict(
            AnggotaKeluarga.objects.filter(
                Q(catatan_pmks__status__in=open_status)
                | Q(
                    keluarga__catatan_pmks__status__in=open_status,
                    keluarga__catatan_pmks__anggota__isnull=True,
                )
            )
            .values("keluarga__kelurahan__induk_id")
            .annotate(n=Count("pk", distinct=True))
            .values_list("keluarga__kelurahan__induk_id", "n")
        )
    )
    overdue: Counter[str] = Counter(
        dict(
            Kegiatan.objects.tindak_lanjut_terbuka()
            .filter(tindak_lanjut_tanggal__lt=today)
            .values("kecamatan_id")
            .annotate(n=Count("pk"))
            .values_list("kecamatan_id", "n")
        )
    )
    monthly: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    rows = (
        Kegiatan.objects.filter(tanggal__gte=months[0])
        .annotate(m=TruncMonth("tanggal"))
        .values("kecamatan_id", "m")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        m = r["m"].date() if isinstance(r["m"], datetime.datetime) else r["m"]
        monthly[r["kecamatan_id"]][m] = r["n"]
    households = Counter(
        dict(
            Keluarga.objects.values("kelurahan__induk_id")
            .annotate(n=Count("pk"))
            .values_list("kelurahan__induk_id", "n")
        )
    )
    tksk: dict[str, list[str]] = defaultdict(list)
    for p in Penugasan.objects.active_on(today).filter(jenis=JenisPenugasan.TKSK).select_related("user"):
        tksk[p.wilayah_id].append(str(p.user))
    out = []
    for kec in kecamatan:
        names = tksk.get(kec.kode, [])
        out.append(
            BebanKerja(
                kecamatan=kec,
                keluarga_pmks=by_kec_households.get(kec.kode, 0),
                orang_pmks=by_kec_people.get(kec.kode, 0),
                tindak_lanjut_terlambat=overdue.get(kec.kode, 0),
                tksk=names,
                keluarga_per_tksk=(households.get(kec.kode, 0) // len(names)) if names else None,
                kegiatan_per_bulan=[monthly[kec.kode].get(m, 0) for m in months],
            )
        )
    return months, out


# -- Monthly report ----------------------------------------------------------------------------------


@dataclass
class RingkasanLaporan:
    """A TKSK's month in a kecamatan, in the monthly report's shape (frozen as JSON when submitted)."""

    bulan: str
    kecamatan: str
    per_jenis: list[tuple[str, int]]
    per_kelurahan: list[tuple[str, int]]
    keluarga_terjangkau: int
    kegiatan_total: int
    rujukan: list[tuple[str, str, int]]  # (tujuan, hasil, n)
    kasus_menonjol: list[dict[str, str]]
    bantuan: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def month_bounds(bulan: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(bulan.year, bulan.month)[1]
    return bulan.replace(day=1), bulan.replace(day=last)


def _rujukan_hasil(k: Kegiatan) -> str:
    if k.jenis != JenisKegiatan.RUJUKAN or not k.rujukan_hasil:
        return ""
    return (
        _("Rujukan: %(h)s") % {"h": k.get_rujukan_hasil_display()} + f" {k.rujukan_hasil_catatan}"
    ).strip()


def laporan_ringkasan(*, kecamatan: Wilayah, bulan: datetime.date) -> RingkasanLaporan:
    """The month's recorded work in a kecamatan, in the report's shape."""
    mulai, sampai = month_bounds(bulan)
    kegiatan = Kegiatan.objects.filter(kecamatan=kecamatan, tanggal__range=(mulai, sampai))
    labels = dict(JenisKegiatan.choices)
    per_jenis = Counter(dict(kegiatan.values("jenis").annotate(n=Count("pk")).values_list("jenis", "n")))
    per_kelurahan = (
        Keluarga.objects.filter(kegiatan__in=kegiatan)
        .values("kelurahan__nama")
        .annotate(n=Count("kegiatan", distinct=True))
        .order_by("kelurahan__nama")
    )
    reached = Keluarga.objects.filter(kegiatan__in=kegiatan).distinct().count()
    tujuan = dict(Kegiatan._meta.get_field("rujukan_tujuan").flatchoices)
    hasil = dict(HasilRujukan.choices)
    rujukan = (
        kegiatan.filter(jenis=JenisKegiatan.RUJUKAN)
        .values("rujukan_tujuan", "rujukan_hasil")
        .annotate(n=Count("pk"))
        .order_by("rujukan_tujuan", "rujukan_hasil")
    )
    notable = [
        {
            "tanggal": k.tanggal.strftime("%d/%m/%Y"),
            "jenis": str(labels[k.jenis]),
            "uraian": k.uraian,
            "hasil": "; ".join(filter(None, [k.hasil, _rujukan_hasil(k)])),
        }
        for k in kegiatan.filter(menonjol=True).order_by("tanggal")
    ]
    return RingkasanLaporan(
        bulan=mulai.strftime("%m/%Y"),
        kecamatan=kecamatan.nama.title(),
        per_jenis=[(str(labels[j]), per_jenis[j]) for j in JenisKegiatan.values if per_jenis.get(j)],
        per_kelurahan=[(r["kelurahan__nama"].title(), r["n"]) for r in per_kelurahan],
        keluarga_terjangkau=reached,
        kegiatan_total=sum(per_jenis.values()),
        rujukan=[
            (
                str(tujuan.get(r["rujukan_tujuan"], r["rujukan_tujuan"])),
                str(hasil.get(r["rujukan_hasil"], r["rujukan_hasil"])),
                r["n"],
            )
            for r in rujukan
        ],
        kasus_menonjol=notable,
        bantuan=ringkasan_bulanan(kecamatan_kode=kecamatan.kode, mulai=mulai, sampai=sampai),
    )


def laporan_list(*, user: Any) -> QuerySet[LaporanBulanan]:
    return LaporanBulanan.objects.for_user(user).select_related("kecamatan", "tksk", "diputuskan_oleh")


def laporan_find(*, kecamatan: Wilayah, bulan: datetime.date) -> LaporanBulanan | None:
    return (
        LaporanBulanan.objects.filter(kecamatan=kecamatan, bulan=bulan.replace(day=1))
        .select_related("tksk", "diputuskan_oleh")
        .first()
    )


def tugas_laporan(*, user: Any) -> list[Tugas]:
    """City staff: monthly reports waiting for review, oldest first. The TKSK: reports returned
    with a comment, to correct and submit again."""
    reports = laporan_list(user=user)
    reviewer = user.has_perm("tksk.review_laporanbulanan")
    if reviewer:
        waiting = reports.filter(status=StatusLaporan.DIAJUKAN).order_by("diajukan_pada", "pk")
        kode, judul = "laporan-diperiksa", _("Laporan bulanan menunggu pemeriksaan")
    elif user.has_perm("tksk.add_laporanbulanan"):
        waiting = reports.filter(status=StatusLaporan.DIKEMBALIKAN).order_by("bulan", "pk")
        kode, judul = "laporan-dikembalikan", _("Laporan bulanan dikembalikan untuk diperbaiki")
    else:
        return []
    rows = list(waiting.select_related("kecamatan"))
    if not rows:
        return []
    today = timezone.localdate()
    butir = []
    for r in rows[:TUGAS_BUTIR]:
        tautan = reverse("tksk:laporan_detail", args=[r.kecamatan_id, r.bulan.strftime("%Y-%m")])
        label = f"{r.bulan:%m/%Y} – {r.kecamatan.nama.title()}"
        if reviewer and r.diajukan_pada:
            days = (today - timezone.localtime(r.diajukan_pada).date()).days
            butir.append(Butir(label, tautan, _("menunggu %(d)s hari") % {"d": days}, mendesak=days > 7))
        else:
            butir.append(Butir(label, tautan, r.komentar_dinas, mendesak=True))
    return [
        Tugas(
            kode,
            judul,
            len(rows),
            butir,
            semua=reverse("tksk:laporan_list"),
            mendesak=any(b.mendesak for b in butir),
        )
    ]
