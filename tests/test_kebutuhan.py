"""Needs recorded at visits: the visit forms record them, the yearly report sets them beside
quotas and the aid received, scoped to the user's area and exportable."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bantuan import services as aid
from bantuan.models import EkstrakBantuan, EntriDaftar, KuotaKecamatan, PenerimaEksternal, ProgramBantuan
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tksk.models import Kegiatan
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db

HEADER_ROW = 5  # title rows, a blank row, then the header (0-based index of the header)


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _report(client, **params) -> list[list[str]]:
    rows = _csv(client.get(reverse("laporan:unduh", args=["kebutuhan"]), {"format": "csv", **params}))
    assert rows[HEADER_ROW][0] == "Kebutuhan"
    return rows[HEADER_ROW + 1 :]


def _rows_of(rows: list[list[str]], kebutuhan: str) -> list[list[str]]:
    return [r for r in rows if r[0] == kebutuhan]


# -- The visit forms ---------------------------------------------------------------------------------


def _kegiatan_post(keluarga, **extra) -> dict:
    return {
        "jenis": "kunjungan_rumah",
        "tanggal": "2026-03-10",
        "keluarga": [k.pk for k in keluarga],
        "uraian": "Kunjungan rumah.",
        **extra,
    }


def test_activity_form_records_the_need_and_shows_it(city, login):
    client = login(city.tksk_kanigaran)
    form_page = client.get(reverse("tksk:kegiatan_create")).content.decode()
    assert 'name="kebutuhan"' in form_page and "Perbaikan rumah" in form_page

    response = client.post(reverse("tksk:kegiatan_create"), _kegiatan_post([city.k_in], kebutuhan="rumah"))
    kegiatan = Kegiatan.objects.get()
    assert response.status_code == 302
    assert kegiatan.kebutuhan == "rumah"
    detail = client.get(reverse("tksk:kegiatan_detail", args=[kegiatan.pk])).content.decode()
    assert "Perbaikan rumah" in detail
    assert "Perbaikan rumah" in client.get(reverse("tksk:kegiatan_list")).content.decode()
    household = client.get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).content.decode()
    assert "Perbaikan rumah" in household


def test_a_need_for_two_households_is_refused_and_nothing_saved(city, login):
    client = login(city.tksk_kanigaran)
    response = client.post(
        reverse("tksk:kegiatan_create"),
        _kegiatan_post([city.k_in, city.k_tisno], kebutuhan="pangan", jenis="bimbingan_kelompok"),
    )
    assert response.status_code == 200
    assert "Kebutuhan utama dicatat untuk satu keluarga per kegiatan." in response.content.decode()
    assert not Kegiatan.objects.exists()


def test_quick_visit_records_the_need(city, login):
    client = login(city.tksk_kanigaran)
    response = client.post(
        reverse("tksk:kunjungan_create", args=[city.k_tisno.pk]),
        {"jenis": "kunjungan_rumah", "tanggal": "2026-03-11", "uraian": "Atap bocor.", "kebutuhan": "rumah"},
    )
    assert response.status_code == 302
    assert Kegiatan.objects.get().kebutuhan == "rumah"


# -- The yearly report ---------------------------------------------------------------------------------


def _visit(tksk, keluarga, kebutuhan: str, tanggal: datetime.date) -> Kegiatan:
    return f.make_kegiatan(tksk, keluarga, tanggal=tanggal, kebutuhan=kebutuhan)


def _external(
    program, keluarga, kelurahan: str, *, tahun: int = 2026, actor, keluar: bool = False
) -> PenerimaEksternal:
    mulai, selesai = datetime.date(tahun, 1, 1), datetime.date(tahun, 6, 30)
    ekstrak = EkstrakBantuan.objects.create(
        program=program,
        periode_mulai=mulai,
        periode_selesai=selesai,
        sumber="SIKS-NG Kemensos",
        tanggal_ekstrak=datetime.date(tahun, 1, 15),
        nama_berkas="ekstrak.xlsx",
        wilayah="Kota Probolinggo",
        diimpor_oleh=actor,
    )
    no_kk = keluarga.no_kk if keluarga else f.no_kk_for(kelurahan)
    return PenerimaEksternal.objects.create(
        program=program,
        periode_mulai=mulai,
        periode_selesai=selesai,
        kunci=no_kk,
        no_kk=no_kk,
        nama="Penerima Luar",
        kelurahan=Wilayah.objects.get(pk=kelurahan),
        keluarga=keluarga,
        ekstrak_masuk=ekstrak,
        ekstrak_keluar=ekstrak if keluar else None,
    )


@pytest.fixture
def needs(city):
    """2026: Kanigaran (k_in) asks for house repair and is on the approved RTLH list; Tisnonegaran
    (k_tisno) asks for house repair and receives nothing that counts, and k_modal asks for
    business capital but only receives food aid; Mayangan (k_out) asks for food and is on the
    external BPNT ledger, next to one BPNT recipient not yet registered."""
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    rtlh = f.make_program("rtlh-uji", kebutuhan="rumah", jenis_pemantauan="rumah", nilai_rupiah=20_000_000)
    tahap = f.make_tahap(rtlh, kuota=40)
    KuotaKecamatan.objects.create(tahap=tahap, kecamatan=Wilayah.objects.get(pk=f.KANIGARAN), kuota=15)
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="Rumah tidak layak.")
    f.approve_list(tahap, builder=city.dinsos, approver=city.dinsos2)
    assert EntriDaftar.objects.filter(keluarga=city.k_in, daftar__status="disetujui").exists()

    bpnt = ProgramBantuan.objects.create(
        kode="bpnt-uji",
        nama="BPNT Uji",
        asal="eksternal",
        sumber_dana="apbn",
        sasaran="keluarga",
        kebutuhan="pangan",
    )
    bsps = ProgramBantuan.objects.create(
        kode="bsps-uji",
        nama="BSPS Uji",
        asal="eksternal",
        sumber_dana="apbn",
        sasaran="keluarga",
        kebutuhan="rumah",
    )
    _external(bpnt, city.k_out, f.KEL_MAYANGAN, actor=city.dinsos)
    # Food aid does not answer a stated need for business capital.
    city.k_modal = f.make_keluarga(city.tksk_kanigaran, f.KEL_TISNONEGARAN, kepala="Siti Modal")
    _external(bpnt, city.k_modal, f.KEL_TISNONEGARAN, actor=city.dinsos)
    _external(bpnt, None, f.KEL_MAYANGAN, actor=city.dinsos)  # not yet registered here
    # What does not count for Tisnonegaran: another year's ledger, and a row a newer extract dropped.
    _external(bsps, city.k_tisno, f.KEL_TISNONEGARAN, tahun=2025, actor=city.dinsos)
    _external(bsps, city.k_tisno, f.KEL_TISNONEGARAN, actor=city.dinsos, keluar=True)

    # The latest visit of the year with a need decides: k_in first said food, then house repair.
    _visit(city.tksk_kanigaran, city.k_in, "pangan", datetime.date(2026, 2, 1))
    _visit(city.tksk_kanigaran, city.k_in, "rumah", datetime.date(2026, 4, 1))
    f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=datetime.date(2026, 5, 1))  # no need noted
    _visit(city.tksk_kanigaran, city.k_tisno, "ternak", datetime.date(2025, 11, 1))  # another year
    _visit(city.tksk_kanigaran, city.k_tisno, "rumah", datetime.date(2026, 3, 5))
    _visit(city.tksk_mayangan, city.k_out, "pangan", datetime.date(2026, 3, 6))
    _visit(city.tksk_kanigaran, city.k_modal, "modal_usaha", datetime.date(2026, 3, 7))
    return city


COLUMNS = [
    "Kebutuhan",
    "Kecamatan",
    "Kelurahan",
    "Keluarga menyatakan kebutuhan",
    "Menyatakan dan menerima",
    "Menyatakan, belum menerima",
    "Keluarga penerima bantuan untuk kebutuhan ini",
    "Penerima bantuan luar belum terdaftar",
    "Kuota",
]


def test_report_counts_stated_received_and_quotas_for_the_city(needs, login):
    client = login(needs.dinsos)
    response = client.get(reverse("laporan:unduh", args=["kebutuhan"]), {"format": "csv", "tahun": 2026})
    all_rows = _csv(response)
    assert all_rows[HEADER_ROW] == COLUMNS
    assert all_rows[2] == ["Periode / saringan", "Tahun 2026"]
    rows = all_rows[HEADER_ROW + 1 :]
    assert _rows_of(rows, "Perbaikan rumah") == [
        ["Perbaikan rumah", "Kanigaran", "Tisnonegaran", "1", "0", "1", "0", "0", ""],
        ["Perbaikan rumah", "Kanigaran", "Kanigaran", "1", "1", "0", "1", "0", ""],
        ["Perbaikan rumah", "Kanigaran", "Jumlah kecamatan", "2", "1", "1", "1", "0", "15"],
        ["Perbaikan rumah", "Jumlah", "Kota Probolinggo", "2", "1", "1", "1", "0", "40"],
    ]
    assert _rows_of(rows, "Pangan / makanan") == [
        ["Pangan / makanan", "Mayangan", "Mayangan", "1", "1", "0", "1", "1", ""],
        ["Pangan / makanan", "Mayangan", "Jumlah kecamatan", "1", "1", "0", "1", "1", ""],
        ["Pangan / makanan", "Kanigaran", "Tisnonegaran", "0", "0", "0", "1", "0", ""],
        ["Pangan / makanan", "Kanigaran", "Jumlah kecamatan", "0", "0", "0", "1", "0", ""],
        ["Pangan / makanan", "Jumlah", "Kota Probolinggo", "1", "1", "0", "2", "1", "0"],
    ]
    assert _rows_of(rows, "Modal usaha") == [
        ["Modal usaha", "Kanigaran", "Tisnonegaran", "1", "0", "1", "0", "0", ""],
        ["Modal usaha", "Kanigaran", "Jumlah kecamatan", "1", "0", "1", "0", "0", ""],
        ["Modal usaha", "Jumlah", "Kota Probolinggo", "1", "0", "1", "0", "0", "0"],
    ]
    # Every need has its city row, even where nobody asked and nothing was given.
    assert _rows_of(rows, "Ternak") == [
        ["Ternak", "Jumlah", "Kota Probolinggo", "0", "0", "0", "0", "0", "0"]
    ]
    assert len(rows) == 4 + 5 + 3 + 7


def test_report_year_defaults_to_the_latest_need_and_other_years_are_apart(needs, login):
    client = login(needs.dinsos)
    assert _report(client) == _report(client, tahun=2026)
    rows_2025 = _report(client, tahun=2025)
    assert _rows_of(rows_2025, "Ternak")[0] == [
        "Ternak",
        "Kanigaran",
        "Tisnonegaran",
        "1",
        "0",
        "1",
        "0",
        "0",
        "",
    ]
    assert _rows_of(rows_2025, "Perbaikan rumah")[-1][3:] == ["0", "0", "0", "1", "0", "0"]  # BSPS 2025


def test_report_is_scoped_to_the_users_area(needs, login):
    rows = _report(login(needs.tksk_mayangan), tahun=2026)
    assert not [r for r in rows if "Kanigaran" in r or "Tisnonegaran" in r]
    assert _rows_of(rows, "Perbaikan rumah") == [
        ["Perbaikan rumah", "Jumlah", "Wilayah laporan", "0", "0", "0", "0", "0", ""]
    ]
    assert _rows_of(rows, "Pangan / makanan")[0] == [
        "Pangan / makanan",
        "Mayangan",
        "Mayangan",
        "1",
        "1",
        "0",
        "1",
        "1",
        "",
    ]

    rows = _report(login(needs.tksk_kanigaran), tahun=2026)
    assert not [r for r in rows if "Mayangan" in r]
    assert _rows_of(rows, "Perbaikan rumah")[2] == [
        "Perbaikan rumah",
        "Kanigaran",
        "Jumlah kecamatan",
        "2",
        "1",
        "1",
        "1",
        "0",
        "15",
    ]

    # A kelurahan officer sees the report for the kelurahan only: no kecamatan or city figures.
    client = login(needs.kelurahan)
    assert (
        "Kebutuhan keluarga dibanding kuota dan bantuan"
        in client.get(reverse("laporan:index")).content.decode()
    )
    rows = _report(client, tahun=2026)
    assert _rows_of(rows, "Perbaikan rumah") == [
        ["Perbaikan rumah", "Kanigaran", "Kanigaran", "1", "1", "0", "1", "0", ""],
        ["Perbaikan rumah", "Jumlah", "Wilayah laporan", "1", "1", "0", "1", "0", ""],
    ]


def test_report_kecamatan_filter(needs, login):
    rows = _report(login(needs.dinsos), tahun=2026, kecamatan=f.MAYANGAN)
    assert not [r for r in rows if "Kanigaran" in r]
    assert _rows_of(rows, "Pangan / makanan")[-1] == [
        "Pangan / makanan",
        "Jumlah",
        "Wilayah laporan",
        "1",
        "1",
        "0",
        "1",
        "1",
        "",
    ]


def test_report_exports_to_xlsx_with_numbers(needs, login):
    response = login(needs.dinsos).get(
        reverse("laporan:unduh", args=["kebutuhan"]), {"format": "xlsx", "tahun": 2026}
    )
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kebutuhan-keluarga-dibanding-kuota-dan-bantuan-'
    )
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[HEADER_ROW]) == COLUMNS
    assert ("Perbaikan rumah", "Kanigaran", "Jumlah kecamatan", 2, 1, 1, 1, 0, 15) in rows
    assert ("Pangan / makanan", "Mayangan", "Mayangan", 1, 1, 0, 1, 1, None) in rows


def test_report_queries_do_not_grow_with_households(needs):
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from laporan.reports import kebutuhan

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(kebutuhan(needs.dinsos, QueryDict("tahun=2026")).rows)
        assert rows
        return len(ctx.captured_queries)

    before = queries()
    for n in range(3):
        keluarga = f.make_keluarga(needs.tksk_mayangan, f.KEL_MAYANGAN, kepala=f"Tambahan {n}")
        _visit(needs.tksk_mayangan, keluarga, "kesehatan", datetime.date(2026, 6, 1 + n))
    assert queries() == before <= 10
