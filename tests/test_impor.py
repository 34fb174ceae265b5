"""Importing people files: every bad input gets a clear message and changes nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from impor.kolom import KOLOM_WAJIB
from impor.models import ImporBerkas
from inti.models import LogBerkas
from pmks.models import AnggotaKeluarga, Keluarga
from tests import factories as f

pytestmark = pytest.mark.django_db
HEADER = [*KOLOM_WAJIB, "pekerjaan"]


def person(
    kk, nama, *, kel=f.KEL_KANIGARAN, sex="L", born=datetime.date(1980, 5, 17), hubungan="kepala", **kw
):
    row = {
        "no_kk": kk,
        "kode_kelurahan": kel,
        "alamat": "Jl. Impor 1",
        "rt": "1",
        "rw": "2",
        "nik": f.nik_for(kel, born, sex),
        "nama": nama,
        "jenis_kelamin": sex,
        "tempat_lahir": "Probolinggo",
        "tanggal_lahir": born.strftime("%d/%m/%Y"),
        "hubungan": hubungan,
        "status_perkawinan": "kawin",
        "pekerjaan": "Buruh",
    }
    row.update(kw)
    return row


def household(nama, kel=f.KEL_KANIGARAN):
    kk = f.no_kk_for(kel)
    return [
        person(kk, nama, kel=kel),
        person(kk, f"Istri {nama}", kel=kel, sex="P", born=datetime.date(1984, 2, 3), hubungan="istri"),
    ]


def csv_file(rows, name="penduduk.csv", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="penduduk.xlsx", header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([r.get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, file, mode="semua", duplikat="tolak"):
    return client.post(
        reverse("impor:unggah"), {"berkas": file, "mode": mode, "duplikat": duplikat}, follow=True
    )


def errors_of(response):
    return " ".join(g["pesan"] for g in response.context["h"]["galat"])


def test_valid_file_previews_then_imports_with_history_and_log(city, login):
    client = login(city.tksk_kanigaran)
    before = Keluarga.objects.count()
    response = upload(client, csv_file(household("Slamet Impor") + household("Budi Impor")))
    assert response.context["h"]["jumlah_galat"] == 0 and response.context["can_import"]
    assert Keluarga.objects.count() == before  # the preview saves nothing
    job = response.context["job"]
    response = client.post(reverse("impor:detail", args=[job.pk]), follow=True)
    assert "2 keluarga dan 4 orang diimpor" in response.content.decode()
    person_ = AnggotaKeluarga.objects.get(nama="Slamet Impor")
    assert person_.keluarga.rt == "001"
    assert person_.history.get().history_user == city.tksk_kanigaran
    assert person_.keluarga.history.get().history_type == "+"
    assert LogBerkas.objects.filter(jenis="impor", pengguna=city.tksk_kanigaran, jumlah_baris=4).exists()
    # Posted twice: nothing more.
    client.post(reverse("impor:detail", args=[job.pk]))
    assert Keluarga.objects.count() == before + 2


def test_spreadsheet_realities_in_xlsx(city, login):
    rows = household("Nyata Impor")
    rows[0]["tanggal_lahir"] = datetime.datetime(1980, 5, 17)  # noqa: DTZ001 - a spreadsheet date cell
    rows[1]["tanggal_lahir"] = (datetime.date(1984, 2, 3) - datetime.date(1899, 12, 30)).days  # Excel serial
    rows[0]["jenis_kelamin"] = "Laki-laki"
    rows[1]["jenis_kelamin"] = "Perempuan"
    rows[0]["nama"] = "\xa0Nyata Impor "
    rows[1]["nik"] = f" {rows[1]['nik']}\xa0"
    rows[0]["hubungan"] = "Kepala keluarga"
    rows.append({})  # empty trailing rows are ignored
    rows.append({h: "" for h in HEADER})
    response = upload(login(city.tksk_kanigaran), xlsx_file(rows))
    assert response.context["h"]["jumlah_galat"] == 0, errors_of(response)
    assert response.context["h"]["baris"] == 2


def test_windows_code_page_csv(city, login):
    rows = household("Andre Impor")
    rows[0]["nama"] = "André Impor"
    response = upload(login(city.tksk_kanigaran), csv_file(rows, encoding="cp1252"))
    assert response.context["h"]["jumlah_galat"] == 0
    job = response.context["job"]
    login(city.tksk_kanigaran).post(reverse("impor:detail", args=[job.pk]))
    assert AnggotaKeluarga.objects.filter(nama="André Impor").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SimpleUploadedFile("data.xlsx", b"%PDF-1.7 not a workbook"), "bukan spreadsheet"),
        (lambda: SimpleUploadedFile("kosong.csv", b""), "kosong"),
        (lambda: SimpleUploadedFile("spasi.csv", b"\n\n  \n"), "kosong"),
        (lambda: xlsx_file([], header=["nama", "alamat"]), "Kolom wajib tidak ada: no_kk"),
        (lambda: SimpleUploadedFile("gambar.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary"), "bukan spreadsheet"),
    ],
)
def test_unreadable_files_are_refused(city, login, make, message):
    before = ImporBerkas.objects.filter(status="diperiksa").count()
    response = upload(login(city.tksk_kanigaran), make())
    assert message in response.content.decode()
    assert ImporBerkas.objects.filter(status="diperiksa").count() == before


def test_too_large_file_is_refused(city, login, settings):
    settings.IMPOR_MAKS_MB = 1
    big = SimpleUploadedFile("besar.csv", b"a" * (1024 * 1024 + 1))
    response = upload(login(city.tksk_kanigaran), big)
    assert "terlalu besar" in response.content.decode()
    assert not ImporBerkas.objects.exists()


def _bad(city, login, rows, fragment, file=None):
    before = (Keluarga.objects.count(), AnggotaKeluarga.objects.count())
    response = upload(login(city.tksk_kanigaran), file or csv_file(rows))
    assert fragment in errors_of(response), errors_of(response)
    assert not response.context["can_import"]
    job = response.context["job"]
    login(city.tksk_kanigaran).post(reverse("impor:detail", args=[job.pk]))  # forcing it saves nothing
    assert (Keluarga.objects.count(), AnggotaKeluarga.objects.count()) == before
    return response


def test_nik_as_a_number_is_explained(city, login):
    rows = household("Angka Impor")
    rows[1]["nik"] = 3574044302840001
    _bad(city, login, rows, "tersimpan sebagai angka", file=xlsx_file(rows))
    rows[1]["nik"] = "3.57404E+15"
    _bad(city, login, rows, "tersimpan sebagai angka")


def test_duplicate_nik_in_the_file(city, login):
    rows = household("Kembar Impor") + household("Lain Impor")
    rows[3]["nik"] = rows[1]["nik"]
    response = _bad(city, login, rows, "sudah ada di baris 3")
    assert any(g["baris"] == 5 for g in response.context["h"]["galat"])


def test_nik_registered_elsewhere(city, login):
    rows = household("Sudah Ada")
    existing = city.k_out.anggota.get(hubungan="kepala")
    rows[0].update(nik=existing.nik, tanggal_lahir=existing.tanggal_lahir.strftime("%d/%m/%Y"))
    response = _bad(city, login, rows, "sudah terdaftar di kecamatan lain")
    assert city.k_out.no_kk not in response.content.decode()


def test_unknown_region_bad_date_formula_and_other_area(city, login):
    rows = household("Salah Impor")
    rows[0]["kode_kelurahan"] = rows[1]["kode_kelurahan"] = "35.74.09.1001"
    _bad(city, login, rows, "kode kelurahan 35.74.09.1001 tidak dikenal")
    rows = household("Tanggal Impor")
    rows[0]["tanggal_lahir"] = "31/02/1990"
    _bad(city, login, rows, "tanggal tidak sah (31/02/1990)")
    rows = household("Rumus Impor")
    rows[1]["pekerjaan"] = '=HYPERLINK("http://x","klik")'
    _bad(city, login, rows, "sel berisi rumus")
    _bad(city, login, household("Mayangan Impor", kel=f.KEL_MAYANGAN), "di luar wilayah tugas Anda")


def test_household_rules_and_nik_consistency_are_the_registrys(city, login):
    rows = household("Dua Kepala")
    rows[1]["hubungan"] = "kepala"
    _bad(city, login, rows, "hanya boleh memiliki satu kepala")
    rows = household("Salah Kelamin")
    rows[1]["jenis_kelamin"] = "L"
    _bad(city, login, rows, "NIK menunjukkan perempuan")


def test_one_bad_row_saves_nothing_unless_keeping_good_rows(city, login):
    good, bad = household("Baik Impor"), household("Buruk Impor")
    bad[0]["tanggal_lahir"] = "31/02/1990"
    _bad(city, login, good + bad, "tanggal tidak sah")
    client = login(city.tksk_kanigaran)
    response = upload(client, csv_file(good + bad), mode="sebagian")
    job = response.context["job"]
    assert response.context["can_import"]
    client.post(reverse("impor:detail", args=[job.pk]))
    assert AnggotaKeluarga.objects.filter(nama="Baik Impor").exists()
    assert not AnggotaKeluarga.objects.filter(nama="Buruk Impor").exists()
    response = client.get(reverse("impor:ditolak", args=[job.pk]))
    rejected = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(rejected)))
    assert lines[0][:2] == ["galat", "baris"]
    assert [r[1] for r in lines[1:]] == ["4", "5"]
    assert "tanggal tidak sah" in lines[1][0]


def test_second_upload_of_the_same_file_creates_no_duplicates(city, login):
    client = login(city.tksk_kanigaran)
    content = csv_file(household("Sekali Impor")).read()
    job = upload(client, SimpleUploadedFile("a.csv", content)).context["job"]
    client.post(reverse("impor:detail", args=[job.pk]))
    count = Keluarga.objects.count()
    response = upload(client, SimpleUploadedFile("a.csv", content))
    assert "sudah diimpor pada" in response.content.decode()
    assert "sudah terdaftar di wilayah Anda" in errors_of(response)
    response = upload(client, SimpleUploadedFile("a.csv", content), duplikat="lewati")
    assert response.context["h"]["dilewati"] == 1 and response.context["h"]["jumlah_galat"] == 0
    client.post(reverse("impor:detail", args=[response.context["job"].pk]))
    assert Keluarga.objects.count() == count


def test_template_downloads_and_its_example_row_is_valid(city, login):
    client = login(city.tksk_kanigaran)
    response = client.get(reverse("impor:templat"))
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in wb.active[1]]
    assert header[: len(KOLOM_WAJIB)] == KOLOM_WAJIB
    assert wb.active["F2"].number_format == "@"  # NIK column is text
    response = upload(client, SimpleUploadedFile("templat.xlsx", response.content))
    assert response.context["h"]["jumlah_galat"] == 0, errors_of(response)


def test_roles_and_ownership(city, login):
    assert login(city.kelurahan).get(reverse("impor:unggah")).status_code == 403
    job = upload(login(city.tksk_kanigaran), csv_file(household("Milik Impor"))).context["job"]
    client = login(city.tksk_mayangan)
    assert client.get(reverse("impor:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("impor:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("impor:ditolak", args=[job.pk])).status_code == 404


def test_update_existing_households_and_people(city, login):
    client = login(city.tksk_kanigaran)
    rows = household("Lama Impor")
    job = upload(client, csv_file(rows)).context["job"]
    client.post(reverse("impor:detail", args=[job.pk]))
    rows[1]["pekerjaan"] = "Pedagang"
    rows.append(
        person(
            rows[0]["no_kk"],
            "Anak Baru Impor",
            born=datetime.date(2015, 1, 9),
            hubungan="anak",
            status_perkawinan="belum_kawin",
        )
    )
    response = upload(client, csv_file(rows), duplikat="perbarui")
    assert response.context["h"]["jumlah_galat"] == 0, errors_of(response)
    client.post(reverse("impor:detail", args=[response.context["job"].pk]))
    istri = AnggotaKeluarga.objects.get(nama="Istri Lama Impor")
    assert istri.pekerjaan == "Pedagang"
    assert (
        istri.history.first().history_type == "~"
        and istri.history.first().history_user == city.tksk_kanigaran
    )
    assert AnggotaKeluarga.objects.filter(nama="Anak Baru Impor", keluarga=istri.keluarga).exists()
    assert Keluarga.objects.filter(no_kk=rows[0]["no_kk"]).count() == 1


def test_update_refuses_people_of_another_area_or_another_kk(city, login):
    rows = household("Pindah Impor")
    existing = city.k_out.anggota.get(hubungan="kepala")
    rows[0].update(nik=existing.nik, tanggal_lahir=existing.tanggal_lahir.strftime("%d/%m/%Y"))
    response = upload(login(city.tksk_kanigaran), csv_file(rows), duplikat="perbarui")
    assert "kecamatan lain" in errors_of(response)
    rows = household("Pindah Lagi")
    other = city.k_tisno.anggota.get(hubungan="kepala")
    rows[0].update(nik=other.nik, tanggal_lahir=other.tanggal_lahir.strftime("%d/%m/%Y"))
    response = upload(login(city.tksk_kanigaran), csv_file(rows), duplikat="perbarui")
    assert f"terdaftar pada KK {city.k_tisno.no_kk}" in errors_of(response)


def test_large_files_run_in_the_background_with_progress(city, login, monkeypatch):
    """With a queueing backend the page shows progress and polls; a worker finishes the job."""
    from types import SimpleNamespace

    from impor import jobs, views

    queued = []
    waiting = SimpleNamespace(enqueue=queued.append)  # a queue that waits for a worker
    monkeypatch.setattr(views, "tasks", SimpleNamespace(periksa=waiting, impor=waiting))
    client = login(city.tksk_kanigaran)
    response = upload(client, csv_file(household("Latar Impor")))
    job = response.context["job"]
    assert job.status == "antre" and 'hx-trigger="every 2s"' in response.content.decode()
    polled = client.get(reverse("impor:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"progress-bar" in polled.content
    jobs.run_check(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.baris_selesai, job.total_baris, job.progres) == ("diperiksa", 2, 2, 100)
    done = client.get(reverse("impor:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    client.post(reverse("impor:detail", args=[job.pk]))
    client.post(reverse("impor:detail", args=[job.pk]))  # a double click queues it once
    job.refresh_from_db()
    assert job.status == "antre" and len(queued) == 2  # one check, one import
    jobs.run_import(job.pk)
    assert AnggotaKeluarga.objects.filter(nama="Latar Impor").count() == 1


def test_uploads_get_server_made_names_and_own_rejected_files(city, login):
    a = upload(login(city.tksk_kanigaran), csv_file(household("Nama Sama"), name="data.csv")).context["job"]
    b = upload(
        login(city.tksk_mayangan), csv_file(household("Lain", kel=f.KEL_MAYANGAN), name="data.csv")
    ).context["job"]
    assert a.berkas.name != b.berkas.name and "data" not in a.berkas.name
    planted = upload(login(city.tksk_kanigaran), SimpleUploadedFile("x.baris.jsonl", b"[]")).context["job"]
    assert planted.berkas.name.endswith(".dat")


def test_a_zip_that_is_not_a_workbook_ends_the_job_with_a_message(city, login):
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    response = upload(login(city.tksk_kanigaran), SimpleUploadedFile("surat.xlsx", buf.getvalue()))
    job = response.context["job"]
    assert job.status == "gagal" and "bukan spreadsheet" in response.content.decode()
    assert LogBerkas.objects.filter(jenis="impor", format="gagal").exists()


def test_odd_values_are_row_errors_not_crashes(city, login):
    rows = household("Aneh Impor")
    rows[0]["pekerjaan"] = "x" * 200_000  # longer than a CSV field may be
    response = upload(login(city.tksk_kanigaran), csv_file(rows))
    assert response.context["job"].status == "gagal"
    assert "terlalu panjang" in response.content.decode() or "rusak" in response.content.decode()
    header = [*HEADER, "luas_lantai", "penghasilan_bulanan"]
    rows = household("Angka Aneh")
    rows[0].update(luas_lantai="nan", penghasilan_bulanan="99999999999999999999")
    rows[1].update(luas_lantai="1234567", penghasilan_bulanan="1.500.000")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    response = upload(login(city.tksk_kanigaran), SimpleUploadedFile("angka.csv", out.getvalue().encode()))
    text = errors_of(response)
    assert "bukan angka (nan)" in text and "luas_lantai" in str(response.context["h"]["galat"])
    assert response.context["h"]["jumlah_galat"] >= 3


def test_windows_code_page_detected_anywhere_in_the_file(city, login):
    rows = [r for i in range(40) for r in household(f"Orang {i} Impor")]
    rows[-1]["nama"] = "Istri Rén"
    response = upload(login(city.tksk_kanigaran), csv_file(rows, encoding="cp1252"))
    assert response.context["h"]["jumlah_galat"] == 0, errors_of(response)


def test_keeping_good_rows_never_saves_half_a_household(city, login):
    client = login(city.tksk_kanigaran)
    rows = household("Separuh Impor")
    rows[1]["tanggal_lahir"] = "31/02/1990"
    rows[1]["pekerjaan"] = "=1+1"
    job = upload(client, csv_file(rows + household("Utuh Impor")), mode="sebagian").context["job"]
    client.post(reverse("impor:detail", args=[job.pk]))
    assert not AnggotaKeluarga.objects.filter(nama="Separuh Impor").exists()
    assert AnggotaKeluarga.objects.filter(nama="Utuh Impor").exists()
    response = client.get(reverse("impor:ditolak", args=[job.pk]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert "'=1+1" in text and ",=1+1" not in text  # the file to fix carries no live formula
    assert LogBerkas.objects.filter(nama__startswith="Baris ditolak").exists()


def test_special_cell_objects_are_refused():
    from impor import sel

    with pytest.raises(sel.SelGalat, match="rumus"):
        sel.teks(object())
