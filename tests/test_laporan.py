"""Reports and exports: scoped, logged, Excel-friendly, and never carrying a live formula."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inti.models import LogBerkas
from inti.spreadsheet import Judul, Kolom, write_xlsx
from pmks import services

pytestmark = pytest.mark.django_db


def _xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _poison(city):
    """Put formula-looking text into the Mayangan household and a member."""
    kepala = city.k_out.anggota.get(hubungan="kepala")
    services.keluarga_save(
        actor=city.tksk_mayangan,
        keluarga=city.k_out,
        data={"alamat": "=1+1"},
        anggota=[{"pk": kepala.pk, "pekerjaan": "@SUM(A1)"}],
    )


def test_households_report_xlsx_layout_types_and_scope(aid, login):
    response = login(aid.tksk_kanigaran).get(reverse("laporan:unduh", args=["keluarga"]), {"format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="keluarga-dan-anggota-')
    ws = _xlsx(response).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("Laporan", "Keluarga dan anggota")
    assert (rows[1][0] == "Wilayah" and "35.74.04" in rows[1][1]) or "Kanigaran" in rows[1][1]
    assert rows[3][0] == "Dibuat" and "Tksk Kanigaran Uji" in rows[3][1]
    header_row = 6
    assert rows[header_row - 1][:2] == ("No. KK", "NIK")
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:")
    data = rows[header_row:]
    kks = {r[0] for r in data}
    assert kks == {aid.k_in.no_kk, aid.k_tisno.no_kk}
    nik_cell = ws.cell(row=header_row + 1, column=2)
    assert nik_cell.data_type == "s" and len(nik_cell.value) == 16  # NIK stays text, all 16 digits
    assert isinstance(ws.cell(row=header_row + 1, column=6).value, datetime.datetime)  # a real date
    assert ws.cell(row=header_row + 1, column=6).number_format == "DD/MM/YYYY"
    assert LogBerkas.objects.filter(
        pengguna=aid.tksk_kanigaran, nama="Keluarga dan anggota", format="xlsx", jumlah_baris=len(data)
    ).exists()


def test_every_report_neutralises_formulas_in_xlsx_and_csv(aid, login):
    _poison(aid)
    client = login(aid.dinsos)
    for kode in ("rekap-pmks", "keluarga", "penerima", "penyaluran", "kegiatan"):
        ws = _xlsx(client.get(reverse("laporan:unduh", args=[kode]), {"format": "xlsx"})).active
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v[:1] in "=+-@\t\r" and not v.lstrip("+-").isdigit()), (
                    kode,
                    v,
                )
        for row in _csv(client.get(reverse("laporan:unduh", args=[kode]), {"format": "csv"})):
            for v in row:
                assert not (v and (v[0] in "=+@\t\r" or (v[0] == "-" and not v[1:].isdigit()))), (kode, v)
    values = {
        v for r in _csv(client.get(reverse("laporan:unduh", args=["keluarga"]), {"format": "csv"})) for v in r
    }
    assert {"'=1+1", "'@SUM(A1)"} <= values


def test_filters_apply_to_the_export(aid, login):
    client = login(aid.dinsos)
    rows = _csv(
        client.get(
            reverse("laporan:unduh", args=["keluarga"]), {"format": "csv", "kelurahan": "35.74.04.1001"}
        )
    )
    kks = {r[0] for r in rows[6:]}
    assert kks == {aid.k_tisno.no_kk}


def test_kelurahan_officer_reports(aid, login):
    client = login(aid.kelurahan)
    rows = _csv(client.get(reverse("laporan:unduh", args=["rekap-pmks"]), {"format": "csv"}))
    assert [r[0] for r in rows[6:]] == ["Kanigaran"]
    rows = _csv(
        client.get(reverse("laporan:unduh", args=["penerima"]), {"format": "csv", "tahap": aid.tahap.pk})
    )
    assert {r[5] for r in rows[6:]} == {aid.k_in.no_kk}
    assert client.get(reverse("laporan:unduh", args=["kegiatan"]), {"format": "csv"}).status_code == 403
    page = client.get(reverse("laporan:index")).content.decode()
    assert "Rekap PMKS" in page and "Kegiatan TKSK per bulan" not in page


def test_activity_report_counts_per_month(aid, login):
    rows = _csv(
        login(aid.tksk_kanigaran).get(
            reverse("laporan:unduh", args=["kegiatan"]), {"format": "csv", "tahun": 2026}
        )
    )
    assert rows[6:] == [["Kanigaran", "03/2026", "Kunjungan rumah", "2"]]


def test_unknown_report_or_format_is_404(aid, login):
    client = login(aid.dinsos)
    assert client.get(reverse("laporan:unduh", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("laporan:unduh", args=["keluarga"]), {"format": "pdf"}).status_code == 404


def test_admin_exports_are_logged_and_neutralised(aid, client):
    from django.contrib import admin

    from pmks.models import Keluarga

    _poison(aid)
    client.force_login(aid.dinsos)
    formats = [fmt().get_title() for fmt in admin.site._registry[Keluarga].get_export_formats()]
    response = client.post(
        reverse("admin:pmks_keluarga_export"),
        {
            "format": formats.index("csv"),
            "resource": 0,
            "keluargaresource_no_kk": True,
            "keluargaresource_alamat": True,
        },
    )
    assert "'=1+1" in response.content.decode()
    log = LogBerkas.objects.get(jenis="ekspor", nama__startswith="Admin")
    assert (log.pengguna, log.jumlah_baris) == (aid.dinsos, 3)


def test_sheets_split_past_the_row_limit(tmp_path):
    judul = Judul("Uji", "Kota", "semua", "uji", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    path = tmp_path / "besar.xlsx"
    n = write_xlsx(
        path, judul, [Kolom("No"), Kolom("Nilai", "int")], ([str(i), i] for i in range(25)), max_rows=16
    )
    assert n == 25
    wb = load_workbook(path)
    assert wb.sheetnames == ["Data", "Data 2", "Data 3"]
    per_sheet = [len(list(ws.iter_rows(values_only=True))) - 6 for ws in wb.worksheets]
    assert per_sheet == [10, 10, 5]
    assert [r for r in wb["Data 2"].iter_rows(values_only=True)][5] == ("No", "Nilai")


def test_large_reports_are_written_in_the_background(aid, login, settings):
    settings.EKSPOR_LATAR_BARIS = 2  # the demo-sized city is "large" here
    client = login(aid.dinsos)
    response = client.get(reverse("laporan:unduh", args=["keluarga"]), {"format": "xlsx"})
    job_url = response["Location"]
    assert job_url.startswith("/laporan/ekspor/")
    page = client.get(job_url).content.decode()
    assert "Unduh" in page  # the immediate backend has already finished it
    from laporan.models import EksporBerkas

    job = EksporBerkas.objects.get(pengguna=aid.dinsos, format="xlsx")
    assert (job.status, job.baris_selesai) == ("selesai", 6)
    ws = _xlsx(client.get(reverse("laporan:ekspor_berkas", args=[job.pk]))).active
    assert {r[0] for r in list(ws.iter_rows(values_only=True))[6:]} == {
        aid.k_in.no_kk,
        aid.k_tisno.no_kk,
        aid.k_out.no_kk,
    }
    assert LogBerkas.objects.filter(pengguna=aid.dinsos, nama="Keluarga dan anggota", jumlah_baris=6).exists()
    other = login(aid.tksk_kanigaran)
    assert other.get(reverse("laporan:ekspor_berkas", args=[job.pk])).status_code == 404
    # A TKSK's own background export holds only the TKSK's area.
    response = other.get(reverse("laporan:unduh", args=["keluarga"]), {"format": "csv", "latar": "1"})
    job = EksporBerkas.objects.get(pengguna=aid.tksk_kanigaran)
    text = b"".join(other.get(reverse("laporan:ekspor_berkas", args=[job.pk])).streaming_content).decode()
    assert aid.k_in.no_kk in text and aid.k_out.no_kk not in text
