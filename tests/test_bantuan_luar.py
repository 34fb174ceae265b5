"""Aid decided elsewhere in one ledger: extracts imported (every bad row named, all or nothing,
area, the same extract twice, a newer one replacing an older), recipients not yet registered,
overlap and "receives nothing" seeing national aid, DTSEN deciles and monitoring problems."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from accounts.choices import JenisPenugasan as J
from bantuan import selectors as aid_selectors
from bantuan import services as aid
from bantuan.models import EkstrakBantuan, MasalahBantuanEksternal, PenerimaEksternal
from bantuan.rules import layak_belum_menerima, tanda_untuk
from impor import ekstrak
from pmks import services as registry
from pmks.models import CatatanPmks, DesilKeluarga
from tests import factories as f
from tests.test_aturan import page_text

pytestmark = pytest.mark.django_db

HEADER = ekstrak.KOLOM_WAJIB + ekstrak.KOLOM_OPSIONAL


def extract_file(rows: list[dict], name: str = "pkh.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def row_for(keluarga, **changes) -> dict:
    head = keluarga.anggota.get(hubungan="kepala")
    return {
        "program": "pkh",
        "nik": head.nik,
        "no_kk": keluarga.no_kk,
        "nama": head.nama,
        "kode_kelurahan": keluarga.kelurahan_id,
        "periode_mulai": "01/01/2026",
        "periode_selesai": "31/03/2026",
        "nilai": "750.000",
        "komponen": "",
        "sumber": "SIKS-NG Kemensos",
        "tanggal_ekstrak": "05/04/2026",
        **changes,
    }


def upload(client, file, *, mode="semua", kind="ekstrak"):
    url = reverse("impor:unggah_ekstrak" if kind == "ekstrak" else "impor:unggah_desil")
    return client.post(url, {"berkas": file, "mode": mode}, follow=True)


def import_now(client, response):
    job = response.context["job"]
    return client.post(reverse("impor:detail", args=[job.pk]), follow=True)


def errors_of(response) -> str:
    return " ".join(f"{g['kolom']}: {g['pesan']}" for g in response.context["h"]["galat"])


@pytest.fixture
def pkh(ref):
    return f.make_program_luar("pkh", nama="Program Keluarga Harapan (PKH)")


def test_every_bad_row_is_named_and_nothing_is_saved(city, pkh, login):
    client = login(city.dinsos)
    rows = [
        row_for(city.k_in),
        row_for(city.k_tisno, nik="3574045708800001.0"),  # a NIK Excel turned into a number
        row_for(city.k_out, periode_mulai="01/04/2026", periode_selesai="31/03/2026"),
        row_for(city.k_in, program="bansos-fiktif"),
        row_for(city.k_in, program="rtlh"),  # a city programme: approved here, never imported
        row_for(city.k_in, nik="123", no_kk=""),
        row_for(city.k_in, kode_kelurahan="99.99.99.9999"),
        row_for(city.k_in, tanggal_ekstrak="05/04/2099"),
        row_for(city.k_in, nik="", no_kk=""),
    ]
    response = upload(client, extract_file(rows))
    text = errors_of(response)
    for expected in (
        "periode selesai sebelum periode mulai",
        "program 'bansos-fiktif' tidak dikenal",
        "adalah program kota",
        "kode kelurahan 99.99.99.9999 tidak dikenal",
        "tanggal ekstrak di masa depan",
        "isi NIK atau No. KK",
    ):
        assert expected in text, expected
    assert response.context["h"]["baris_ditolak"] == 8
    assert not response.context["can_import"]  # all or nothing, by default
    assert not PenerimaEksternal.objects.exists()
    # A NIK stored as a number by Excel (cell type number in .xlsx) is refused with its reason.
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER)
    row = row_for(city.k_in)
    wb.active.append([3574041705800001 if h == "nik" else row[h] for h in HEADER])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, SimpleUploadedFile("angka.xlsx", buffer.getvalue()))
    assert "NIK tersimpan sebagai angka" in errors_of(response)


def test_an_extract_imports_matches_and_keeps_the_unregistered(city, pkh, login):
    client = login(city.dinsos)
    stranger = row_for(city.k_in, nik="3574046505900002", no_kk="3574040101209999", nama="Belum Terdaftar")
    response = upload(client, extract_file([row_for(city.k_in), row_for(city.k_out), stranger]))
    h = response.context["h"]
    assert (h["jumlah_galat"], h["belum_terdaftar"]) == (0, 1)
    assert h["kelompok"][0]["masuk"] == 3 and not PenerimaEksternal.objects.exists()
    response = import_now(client, response)
    assert "3 masuk" in page_text(response)
    rows = PenerimaEksternal.objects.berlaku()
    assert {r.keluarga_id for r in rows} == {city.k_in.pk, city.k_out.pk, None}
    ekstrak = EkstrakBantuan.objects.get()
    assert (ekstrak.jumlah, ekstrak.masuk, ekstrak.tidak_cocok, ekstrak.diimpor_oleh) == (
        3,
        3,
        1,
        city.dinsos,
    )
    # The TKSK of Kanigaran sees the unregistered family, registers it, and its aid links itself.
    tksk = login(city.tksk_kanigaran)
    page = tksk.get(reverse("bantuan:belum_terdaftar")).content.decode()
    assert "Belum Terdaftar" in page and "no_kk=3574040101209999" in page
    f.make_keluarga(
        city.tksk_kanigaran,
        f.KEL_KANIGARAN,
        kepala="Belum Terdaftar",
        no_kk="3574040101209999",
    )
    linked = PenerimaEksternal.objects.get(nama="Belum Terdaftar")
    assert linked.keluarga is not None and linked.keluarga.no_kk == "3574040101209999"
    assert "Semua penerima bantuan luar" in tksk.get(reverse("bantuan:belum_terdaftar")).content.decode()


def test_the_same_extract_twice_changes_nothing_and_a_newer_one_replaces_it(city, pkh, login):
    client = login(city.dinsos)
    first = [row_for(city.k_in), row_for(city.k_tisno)]
    import_now(client, upload(client, extract_file(first)))
    response = upload(client, extract_file(first))
    assert response.context["h"]["kelompok"][0]["sama"]
    import_now(client, response)
    assert EkstrakBantuan.objects.count() == 1 and PenerimaEksternal.objects.count() == 2
    # May's extract of the same period: Tisno left (a newcomer took her place in Tisnonegaran),
    # Mayangan came in, In's value changed.
    newcomer = {
        "nik": "3574045505900003",
        "no_kk": "",
        "nama": "Pendatang",
        "kode_kelurahan": f.KEL_TISNONEGARAN,
    }
    newer = [
        row_for(city.k_in, nilai="900.000", tanggal_ekstrak="05/05/2026"),
        row_for(city.k_out, tanggal_ekstrak="05/05/2026"),
        row_for(city.k_in, **newcomer, tanggal_ekstrak="05/05/2026"),
    ]
    response = upload(client, extract_file(newer))
    group = response.context["h"]["kelompok"][0]
    assert (group["masuk"], group["keluar"], group["diubah"], group["tetap"]) == (2, 1, 1, 0)
    import_now(client, response)
    current = PenerimaEksternal.objects.berlaku()
    assert {r.keluarga_id for r in current} == {city.k_in.pk, city.k_out.pk, None}
    assert current.get(keluarga=city.k_in).nilai_rupiah == 900_000
    left = PenerimaEksternal.objects.get(keluarga=city.k_tisno)
    assert left.ekstrak_keluar is not None and left.ekstrak_keluar.tanggal_ekstrak == datetime.date(
        2026, 5, 5
    )
    page = client.get(reverse("bantuan:ekstrak_detail", args=[left.ekstrak_keluar.pk]) + "?arah=keluar")
    assert city.k_tisno.anggota.get(hubungan="kepala").nama in page.content.decode()
    # An older extract than one imported is refused as a whole.
    response = upload(client, extract_file([row_for(city.k_tisno, tanggal_ekstrak="01/04/2026")]))
    assert "lebih lama dari yang sudah diimpor" in errors_of(response)


def test_another_areas_row_and_keeping_the_good_rows(city, pkh, login):
    staff = f.make_user("dinas_kanigaran", roles.DINAS, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    client = login(staff)
    rows = [row_for(city.k_in), row_for(city.k_out), row_for(city.k_in)]
    response = upload(client, extract_file(rows), mode="sebagian")
    text = errors_of(response)
    assert "kelurahan 35.74.03.1001 di luar wilayah Anda" in text
    assert "penerima yang sama sudah ada di baris 2" in text
    assert response.context["can_import"]
    import_now(client, response)
    assert list(PenerimaEksternal.objects.values_list("keluarga_id", flat=True)) == [city.k_in.pk]
    # A Kanigaran import never makes Mayangan's recipients leave: replacement stays in the area.
    f.make_penerima_luar(city.dinsos, city.k_out, pkh)
    import_now(client, upload(client, extract_file([row_for(city.k_in, tanggal_ekstrak="06/04/2026")])))
    assert PenerimaEksternal.objects.berlaku().filter(keluarga=city.k_out).exists()


def test_overlap_and_receiving_nothing_see_national_aid(city, pkh, login):
    for c in (city.pmks_in, city.pmks_tisno):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=c)
    business = f.make_program("modal-uji")
    business.tidak_bersama.add(pkh)  # a policy choice: configurable, not hard-coded
    bpnt = f.make_program_luar("bpnt-uji")
    f.make_penerima_luar(city.dinsos, city.k_in, pkh)
    f.make_penerima_luar(city.dinsos, city.k_in, bpnt)  # PKH + BPNT together is normal
    tahap = f.make_tahap(business)
    flags = tanda_untuk(tahap, [city.k_in.pk, city.k_tisno.pk])
    assert [t.kode for t in flags[city.k_in.pk]] == ["tumpang_tindih"]
    assert "PKH" in flags[city.k_in.pk][0].pesan and "ekstrak bantuan luar" in flags[city.k_in.pk][0].pesan
    assert city.k_tisno.pk not in flags
    # "Receives nothing" means nothing in the ledger either.
    eligible = layak_belum_menerima(CatatanPmks.objects.all(), business, 2026)
    assert city.k_in.pk not in eligible and city.k_tisno.pk in eligible
    # The overlap report counts PKH + BPNT once national aid is seen, and not city-only.
    page = login(city.dinsos).get(reverse("bantuan:laporan_tumpang_tindih"), {"tahun": 2026})
    assert city.k_in.no_kk in page.content.decode()
    page = login(city.dinsos).get(reverse("bantuan:laporan_tumpang_tindih"), {"tahun": 2026, "luar": "0"})
    assert city.k_in.no_kk not in page.content.decode()
    # A proposal shows the flag before it is sent, the list asks the approver for a reason.
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    daftar = f.verify_list(tahap, builder=city.dinsos, verifier=city.dinsos3)
    assert [t["kode"] for t in daftar.entri.get().tanda_verifikasi] == ["tumpang_tindih"]


def test_desil_imports_ranks_flags_and_asks_for_a_field_check(city, login):
    for c in (city.pmks_in, city.pmks_tisno):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=c)
    client = login(city.dinsos)
    head_in = city.k_in.anggota.get(hubungan="kepala")
    header = "nik,no_kk,desil,sumber,tanggal_ekstrak\n"
    body = (
        f"{head_in.nik},,9,DTSEN,01/04/2026\n"
        f",{city.k_tisno.no_kk},1,DTSEN,01/04/2026\n"
        f"3574046505900002,,3,DTSEN,01/04/2026\n"  # not registered: skipped, counted
        f",{city.k_out.no_kk},11,DTSEN,01/04/2026\n"  # not a decile
    )
    response = upload(client, SimpleUploadedFile("desil.csv", (header + body).encode()), kind="desil")
    assert "desil harus angka 1 sampai 10" in errors_of(response)
    assert response.context["h"]["belum_terdaftar"] == 1
    response = upload(
        client, SimpleUploadedFile("desil.csv", (header + body).encode()), mode="sebagian", kind="desil"
    )
    import_now(client, response)
    assert dict(DesilKeluarga.objects.values_list("keluarga_id", "desil")) == {
        city.k_in.pk: 9,
        city.k_tisno.pk: 1,
    }
    # Again: nothing new. A later extract adds to the history; the latest counts.
    response = upload(
        client, SimpleUploadedFile("desil.csv", (header + body).encode()), mode="sebagian", kind="desil"
    )
    assert response.context["h"]["tetap"] == 2 and response.context["h"]["baru"] == 0
    DesilKeluarga.objects.create(
        keluarga=city.k_in, desil=2, tanggal=datetime.date(2026, 5, 1), sumber="DTSEN"
    )
    program = f.make_program("modal-desil", desil_maks=4)
    flags = tanda_untuk(f.make_tahap(program), [city.k_in.pk, city.k_tisno.pk])
    assert not flags  # desil 2 and 1 are inside 1–4
    DesilKeluarga.objects.create(
        keluarga=city.k_in, desil=8, tanggal=datetime.date(2026, 6, 1), sumber="DTSEN"
    )
    flags = tanda_untuk(f.make_tahap(program, tahap=2), [city.k_in.pk])
    assert [t.kode for t in flags[city.k_in.pk]] == ["di_luar_desil"]
    # Decile 1 with a low score: listed for a field check, on its own page and the household's.
    page = client.get(reverse("bantuan:cek_desil")).content.decode()
    assert city.k_tisno.no_kk in page and "termiskin" in page and city.k_in.no_kk not in page
    household = client.get(reverse("pmks:keluarga_detail", args=[city.k_tisno.pk])).content.decode()
    assert "Perlu verifikasi ulang" in household and "Desil DTSEN: <strong>1</strong>" in household
    # Ranking by decile first, and the desil beside the score.
    rows = aid_selectors.laporan_belum_menerima(
        user=city.dinsos, program=f.make_program("rank"), tahun=2026, urut="desil"
    )
    assert [r.keluarga for r in rows] == [city.k_tisno, city.k_in]
    assert [r.desil for r in rows] == [1, 8]


def test_problems_reported_from_the_household_page_and_closed_by_the_office(city, pkh, login):
    penerima = f.make_penerima_luar(city.dinsos, city.k_in, pkh)
    tksk = login(city.tksk_kanigaran)
    page = tksk.get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).content.decode()
    assert "Program Keluarga Harapan (PKH)" in page and "Laporkan masalah" in page
    tksk.post(
        reverse("bantuan:masalah_create", args=[penerima.pk]),
        {"jenis": "belum_menerima", "uraian": "Tahap 1 belum cair."},
    )
    masalah = MasalahBantuanEksternal.objects.get()
    assert (masalah.dilaporkan_oleh, masalah.selesai) == (city.tksk_kanigaran, False)
    # Another area's TKSK cannot report on this household; the office closes it with a reason.
    other = login(city.tksk_mayangan)
    assert other.get(reverse("bantuan:masalah_create", args=[penerima.pk])).status_code == 404
    office = login(city.dinsos)
    response = office.post(
        reverse("bantuan:masalah_list"), {"masalah": masalah.pk, "tindak_lanjut": ""}, follow=True
    )
    assert "Tuliskan tindak lanjutnya" in page_text(response)
    office.post(
        reverse("bantuan:masalah_list"), {"masalah": masalah.pk, "tindak_lanjut": "Diteruskan ke Kemensos."}
    )
    masalah.refresh_from_db()
    assert masalah.selesai and masalah.tindak_lanjut == "Diteruskan ke Kemensos."


def test_a_kelurahan_file_replaces_that_kelurahan_only(city, pkh, login):
    """SIKS-NG often exports one file per kelurahan: B's file must not empty A's recipients,
    and A's file dated before B's is still A's newest."""
    client = login(city.dinsos)
    import_now(client, upload(client, extract_file([row_for(city.k_in, tanggal_ekstrak="06/04/2026")])))
    import_now(client, upload(client, extract_file([row_for(city.k_out, tanggal_ekstrak="07/04/2026")])))
    assert {r.keluarga_id for r in PenerimaEksternal.objects.berlaku()} == {city.k_in.pk, city.k_out.pk}
    response = upload(client, extract_file([row_for(city.k_tisno, tanggal_ekstrak="05/04/2026")]))
    assert response.context["h"]["jumlah_galat"] == 0
    # Kanigaran's own newer file replaces Kanigaran's list: In leaves, Tisno's kelurahan is another.
    response = upload(client, extract_file([row_for(city.k_in, nik="", tanggal_ekstrak="08/04/2026")]))
    group = response.context["h"]["kelompok"][0]
    assert (group["masuk"], group["keluar"]) == (1, 1)  # In's key changed from NIK to No. KK
    # An older file for a kelurahan already imported is refused, row by row.
    response = upload(client, extract_file([row_for(city.k_in, tanggal_ekstrak="01/04/2026")]))
    assert "lebih lama dari yang sudah diimpor" in errors_of(response)


def test_a_refused_row_never_makes_its_recipient_leave(city, pkh, login):
    client = login(city.dinsos)
    neighbour = {
        "nik": "3574045505900003",
        "no_kk": "",
        "nama": "Tetangga",
        "kode_kelurahan": f.KEL_TISNONEGARAN,
    }
    first = [row_for(city.k_in), row_for(city.k_tisno), row_for(city.k_in, **neighbour)]
    import_now(client, upload(client, extract_file(first)))
    newer = [
        row_for(city.k_in, tanggal_ekstrak="06/04/2026"),
        row_for(city.k_in, **neighbour, tanggal_ekstrak="06/04/2026"),  # Tisnonegaran is in the file
        row_for(city.k_tisno, nilai="abc", tanggal_ekstrak="06/04/2026"),
    ]
    response = upload(client, extract_file(newer), mode="sebagian")
    assert "bukan angka rupiah" in errors_of(response)
    assert response.context["h"]["kelompok"][0]["keluar"] == 0
    import_now(client, response)
    assert PenerimaEksternal.objects.berlaku().filter(keluarga=city.k_tisno).exists()


def test_rupiah_as_offices_write_it_and_a_typing_error(city, pkh, login):
    client = login(city.dinsos)
    rows = [
        row_for(city.k_in, nilai="Rp 1.500.000,00"),
        row_for(city.k_tisno, nilai="1,500,000.00"),
        row_for(city.k_out, nilai="750000"),
    ]
    import_now(client, upload(client, extract_file(rows)))
    assert sorted(PenerimaEksternal.objects.values_list("nilai_rupiah", flat=True)) == [
        750_000,
        1_500_000,
        1_500_000,
    ]
    response = upload(client, extract_file([row_for(city.k_in, nilai="99999999999999999999")]))
    assert "angka terlalu besar" in errors_of(response)
    response = upload(client, extract_file([row_for(city.k_in, nilai="750000.5")]))
    assert "rupiah harus bilangan bulat" in errors_of(response)


def test_a_corrected_nik_links_the_waiting_row(city, pkh, login):
    wife = city.k_in.anggota.get(hubungan="istri")
    right_nik = wife.nik
    wrong = f.nik_for(f.KEL_KANIGARAN, wife.tanggal_lahir, "P")
    registry.anggota_save(actor=city.admin, anggota=wife, data={"nik": wrong})
    client = login(city.dinsos)
    row = row_for(city.k_in, nik=right_nik, no_kk="", nama=wife.nama)
    import_now(client, upload(client, extract_file([row])))
    waiting = PenerimaEksternal.objects.get()
    assert waiting.keluarga is None
    registry.anggota_save(actor=city.admin, anggota=wife, data={"nik": right_nik})  # the typo fixed
    waiting.refresh_from_db()
    assert waiting.keluarga == city.k_in


def test_an_area_importer_cannot_duplicate_a_row_listed_elsewhere(city, pkh, login):
    staff = f.make_user("dinas_kel", roles.DINAS, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    f.make_penerima_luar(city.dinsos, city.k_in, pkh)
    PenerimaEksternal.objects.update(kelurahan_id=f.KEL_MAYANGAN)  # listed in another area then
    response = upload(login(staff), extract_file([row_for(city.k_in)]))
    assert "sudah tercatat pada periode ini di luar wilayah Anda" in errors_of(response)


def test_two_rows_of_one_component_for_one_mother(city, pkh, login):
    client = login(city.dinsos)
    rows = [row_for(city.k_in, komponen="anak sekolah SD"), row_for(city.k_in, komponen="anak sekolah SD")]
    import_now(client, upload(client, extract_file(rows)))
    assert PenerimaEksternal.objects.count() == 2
    assert upload(client, extract_file(rows)).context["h"]["kelompok"][0]["sama"]
    # Listed once per person and programme for the TKSK, however many periods.
    stranger = {"nik": "3574046505900002", "no_kk": "", "nama": "Belum Terdaftar"}
    monthly = [
        row_for(city.k_in, **stranger, periode_mulai=f"01/{m:02d}/2026", periode_selesai=f"28/{m:02d}/2026")
        for m in (1, 2, 3)
    ]
    import_now(client, upload(client, extract_file(monthly)))
    tksk = login(city.tksk_kanigaran).get(reverse("bantuan:belum_terdaftar")).content.decode()
    assert tksk.count("Belum Terdaftar") == 1 and "3 periode" in tksk


def test_closing_a_problem_with_a_made_up_id_is_not_found(city, login):
    response = login(city.dinsos).post(reverse("bantuan:masalah_list"), {"masalah": "abc"})
    assert response.status_code == 404
