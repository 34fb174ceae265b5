"""Citizens' usul and sanggah, published lists, and the public pages' guards."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.choices import JenisPenugasan as J
from accounts.models import HakBawaan
from bantuan.models import AmandemenDaftar, EntriDaftar, Usulan
from bantuan.services import daftar_build, usulan_create
from kabar.choices import Peristiwa
from kabar.models import Notifikasi
from pmks.models import AnggotaKeluarga
from tests import factories as f
from warga import selectors, services
from warga.models import Aduan, Batasan, Publikasi, SoalTerpakai
from warga.pengaman import ANGKA, rapikan_kode, rapikan_nama, samarkan_nik, soal_baru, soal_benar

pytestmark = pytest.mark.django_db

ARABIC = "٣٥٧٤٠٤١٧٠٥٨٠٠٠٠١"  # sixteen Arabic-Indic digits: str.isdigit() says True


@pytest.fixture
def pub(aid):
    """``aid`` with Kanigaran's and Mayangan's kelurahan lists published."""
    aid.publikasi_in = f.publish(aid.daftar, f.KEL_KANIGARAN, aid.dinsos)
    aid.publikasi_out = f.publish(aid.daftar, f.KEL_MAYANGAN, aid.dinsos)
    return aid


def soal_dari(html: str) -> dict[str, str]:
    """The human check of a rendered public form, answered."""
    token = re.search(r'name="soal" value="([^"]+)"', html).group(1)
    a, b = re.search(r"Berapa ([a-z ]+) ditambah ([a-z ]+)\?", html).groups()
    return {"soal": token, "jawaban_soal": str(ANGKA.index(a) + ANGKA.index(b))}


def snapshot():
    """What a refused public request must leave unchanged (the hashed attempt counter aside)."""
    return (
        list(Aduan.objects.order_by("pk").values_list("pk", "status")),
        list(Notifikasi.objects.order_by("pk").values_list("pk")),
        list(SoalTerpakai.objects.order_by("pk").values_list("nonce")),
        list(Usulan.objects.order_by("pk").values_list("pk", "status")),
        list(EntriDaftar.objects.order_by("pk").values_list("pk", "aktif")),
        list(AmandemenDaftar.objects.order_by("pk").values_list("pk")),
    )


def sanggah_url(publikasi, entri) -> str:
    row = next(r for r in selectors.baris_publikasi(publikasi) if r.token.startswith(""))
    rows = {r.token: r for r in selectors.baris_publikasi(publikasi)}
    token = next(t for t in rows if selectors.entri_dari_token(publikasi, t) == entri)
    assert row
    return reverse("warga:publik_sanggah", args=[publikasi.kode, token])


def file_sanggah(client, publikasi, entri, alasan="Sudah mampu, rumahnya bertingkat.", **extra):
    url = sanggah_url(publikasi, entri)
    page = client.get(url)
    data = {"alasan": alasan, "nama_pelapor": "", "kontak_pelapor": "", **soal_dari(page.content.decode())}
    data.update(extra)
    return client.post(url, data)


def usul_data(html: str, **extra) -> dict[str, str]:
    return {
        "kelurahan": f.KEL_KANIGARAN,
        "nama_keluarga": "Sumiati",
        "alamat": "Jl. Mawar Gg. 3 No. 7",
        "rt": "002",
        "rw": "005",
        "nik": "",
        "no_kk": "",
        "program": "",
        "alasan": "Janda, tiga anak sekolah, rumah bocor.",
        "nama_pelapor": "Pak RT Wahyudi",
        "kontak_pelapor": "081234567890",
        **soal_dari(html),
        **extra,
    }


# -- Codes, names, masking -------------------------------------------------------------------------


def test_ticket_codes_are_random_unambiguous_and_read_back_however_typed(pub):
    aduan = f.sanggah(pub.publikasi_in, pub.entri_in)
    assert re.fullmatch(r"SG-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{3}", aduan.kode)
    assert rapikan_kode(aduan.kode.lower().replace("-", " ")) == aduan.kode
    assert rapikan_kode("<script>") == ""
    assert len({f.usul(f.KEL_KANIGARAN).kode for _ in range(20)}) == 20


def test_names_compare_without_case_spaces_or_apostrophes_and_nik_is_masked():
    assert rapikan_nama("  MA'RUF   amin ") == rapikan_nama("Ma’ruf Amin") == "maruf amin"
    assert samarkan_nik("3574041705800001") == "357404********01"


# -- Published lists -------------------------------------------------------------------------------


def test_publishing_is_for_approved_lists_by_dinas_and_logged(aid, client):
    with pytest.raises(PermissionDenied):
        f.publish(aid.daftar, f.KEL_KANIGARAN, aid.tksk_kanigaran)
    draft = daftar_build(actor=aid.dinsos, tahap=f.make_tahap(aid.program, tahap=2))
    with pytest.raises(ValidationError, match="disetujui"):
        f.publish(draft, f.KEL_KANIGARAN, aid.dinsos)
    publikasi = f.publish(aid.daftar, f.KEL_KANIGARAN, aid.dinsos)
    with pytest.raises(ValidationError, match="sudah diterbitkan"):
        f.publish(aid.daftar, f.KEL_KANIGARAN, aid.dinsos2)

    page = client.get(reverse("warga:publik_daftar", args=[publikasi.kode]))
    body = page.content.decode()
    head = aid.k_in.anggota.get(hubungan="kepala")
    assert page.status_code == 200
    assert head.nama in body and samarkan_nik(head.nik) in body and "460/12/425.104/2026" in body
    assert head.nik not in body and aid.k_in.no_kk not in body and aid.k_in.alamat not in body
    assert aid.k_tisno.anggota.get(hubungan="kepala").nama not in body  # another kelurahan
    assert f"/publik/sanggah/{publikasi.kode}/" in body and f"/{aid.entri_in.pk}/" not in body
    cetak = client.get(reverse("warga:publik_cetak", args=[publikasi.kode])).content.decode()
    assert "PENGUMUMAN" in cetak and samarkan_nik(head.nik) in cetak and head.nik not in cetak
    assert publikasi.kode in client.get(reverse("warga:publik_daftar_index")).content.decode()

    services.publikasi_tarik(actor=aid.dinsos2, publikasi=publikasi, alasan="Salah kelurahan")
    assert client.get(reverse("warga:publik_daftar", args=[publikasi.kode])).status_code == 404
    assert client.get(reverse("warga:publik_cetak", args=[publikasi.kode])).status_code == 404
    again = f.publish(aid.daftar, f.KEL_KANIGARAN, aid.dinsos)
    log = list(Publikasi.objects.filter(kelurahan_id=f.KEL_KANIGARAN).order_by("pk"))
    assert [(p.diterbitkan_oleh, p.ditarik_oleh) for p in log] == [
        (aid.dinsos, aid.dinsos2),
        (aid.dinsos, None),
    ]
    assert log[0].alasan_tarik == "Salah kelurahan" and again.kode != publikasi.kode
    assert Publikasi.history.filter(id=publikasi.pk).count() == 2  # published, withdrawn


def test_publication_screen_publishes_and_withdraws_with_log(aid, login):
    client = login(aid.dinsos)
    response = client.post(
        reverse("warga:publikasi_terbit"), {"daftar": aid.daftar.pk, "kelurahan": f.KEL_KANIGARAN}
    )
    assert response.status_code == 302
    publikasi = Publikasi.objects.get()
    page = client.get(reverse("warga:publikasi")).content.decode()
    assert "Dinsos Uji" in page and publikasi.kode in page
    client.post(reverse("warga:publikasi_tarik", args=[publikasi.pk]), {"alasan": "Ralat"})
    publikasi.refresh_from_db()
    assert publikasi.ditarik_oleh == aid.dinsos
    tksk = login(aid.tksk_kanigaran)
    response = tksk.post(
        reverse("warga:publikasi_terbit"), {"daftar": aid.daftar.pk, "kelurahan": f.KEL_KANIGARAN}
    )
    assert response.status_code == 403
    assert Publikasi.objects.count() == 1


# -- Cek penerima ----------------------------------------------------------------------------------


def _cek(client, nik, nama):
    page = client.get(reverse("warga:publik_cek"))
    return client.post(
        reverse("warga:publik_cek"), {"nik": nik, "nama": nama, **soal_dari(page.content.decode())}
    )


def _answer_block(response) -> str:
    return re.search(r'data-testid="hasil-cek">(.*?)</div>', response.content.decode(), re.S).group(1)


def test_cek_penerima_answers_yes_with_programme_and_period_only(pub, client):
    wife = pub.k_in.anggota.get(hubungan="istri")
    response = _cek(client, wife.nik, "  " + wife.nama.upper() + " ")
    answer = _answer_block(response)
    assert "Ya: terdaftar sebagai penerima SEMBAKO 2026 tahap 1" in answer
    assert "01/01/2026" in answer and "31/12/2026" in answer and "460/12/425.104/2026" in answer
    body = response.content.decode()
    assert wife.nik not in body and wife.nama.upper() not in body and pub.k_in.no_kk not in body


def test_cek_penerima_for_a_person_programme_answers_for_that_person_only(aid, client):
    program = f.make_program("lansia", sasaran="perseorangan", nama="Asistensi Lansia")
    tahap = f.make_tahap(program)
    head = aid.k_tisno.anggota.get(hubungan="kepala")
    wife = aid.k_tisno.anggota.get(hubungan="istri")
    usulan_create(actor=aid.tksk_kanigaran, tahap=tahap, keluarga=aid.k_tisno, anggota=head, alasan="Lansia.")
    f.approve_list(tahap, builder=aid.dinsos, approver=aid.dinsos2)
    assert {h.program for h in selectors.cek_penerima(nik=head.nik, nama=head.nama)} == {
        "Asistensi Lansia",
        "SEMBAKO",
    }
    assert [h.program for h in selectors.cek_penerima(nik=wife.nik, nama=wife.nama)] == ["SEMBAKO"]


def test_cek_penerima_gives_the_same_no_for_unknown_nik_and_wrong_name(pub, client):
    head = pub.k_in.anggota.get(hubungan="kepala")
    unknown = _answer_block(_cek(client, "3574040101900009", head.nama))
    wrong = _answer_block(_cek(client, head.nik, "Orang Lain"))
    assert unknown == wrong
    assert "Tidak ditemukan pada daftar penerima yang telah disetujui" in unknown


def test_cek_refuses_other_digits_and_bad_numbers_plainly(pub, client):
    before = snapshot()
    for nik in (ARABIC, "357404", "35740417058000O1", "<script>alert(1)</script>"):
        response = _cek(client, nik, "Siapa Saja")
        assert response.status_code == 200
        assert "NIK harus tepat 16 angka 0–9." in response.content.decode()
        assert "<script>alert(1)" not in response.content.decode()
    assert snapshot() == before


# -- Filing ---------------------------------------------------------------------------------------


def test_sanggah_from_a_published_row_is_routed_to_the_kecamatan_tksk(pub, client):
    response = file_sanggah(
        client, pub.publikasi_in, pub.entri_in, nama_pelapor="Bu Rahmawati", kontak_pelapor="0812 3456 7890"
    )
    assert response.status_code == 200
    aduan = Aduan.objects.get()
    body = response.content.decode()
    assert aduan.kode in body
    assert "Bu Rahmawati" not in body and "0812" not in body and "bertingkat" not in body
    assert aduan.entri == pub.entri_in and aduan.kelurahan_id == f.KEL_KANIGARAN
    assert aduan.kecamatan_id == f.KANIGARAN and aduan.ditugaskan_ke == pub.tksk_kanigaran
    assert aduan.tenggat == timezone.localdate() + datetime.timedelta(days=14)
    assert aduan.nama_pelapor == "Bu Rahmawati" and aduan.status == "diterima"
    told = Notifikasi.objects.filter(jenis=Peristiwa.SANGGAH_WARGA)
    assert [n.penerima for n in told] == [pub.tksk_kanigaran]
    assert aduan.kode in told[0].judul and "Rahmawati" not in told[0].judul + told[0].isi


def test_deadline_follows_the_programme(pub):
    pub.program.tenggat_aduan_hari = 5
    pub.program.save()
    aduan = f.sanggah(pub.publikasi_in, pub.entri_in)
    assert aduan.tenggat == timezone.localdate() + datetime.timedelta(days=5)
    with override_settings(WARGA_TENGGAT_HARI=9):
        assert f.usul(f.KEL_KANIGARAN).tenggat == timezone.localdate() + datetime.timedelta(days=9)
        assert f.usul(
            f.KEL_KANIGARAN, program=pub.program
        ).tenggat == timezone.localdate() + datetime.timedelta(days=5)


def test_usul_without_a_tksk_goes_to_the_dinas(aid, client):
    wonoasih = "35.74.02.1001"
    page = client.get(reverse("warga:publik_usul")).content.decode()
    response = client.post(reverse("warga:publik_usul"), usul_data(page, kelurahan=wonoasih))
    assert response.status_code == 200, response.content.decode()[:2000]
    aduan = Aduan.objects.get()
    assert aduan.kode.startswith("US-") and aduan.ditugaskan_ke is None
    assert "Sumiati" not in response.content.decode() and "Wahyudi" not in response.content.decode()
    told = {n.penerima for n in Notifikasi.objects.filter(jenis=Peristiwa.USUL_WARGA)}
    assert told == {aid.dinsos, aid.dinsos2, aid.dinsos3}


def test_usul_in_kanigaran_tells_only_its_tksk(aid, client):
    page = client.get(reverse("warga:publik_usul")).content.decode()
    client.post(reverse("warga:publik_usul"), usul_data(page))
    told = [n.penerima for n in Notifikasi.objects.filter(jenis=Peristiwa.USUL_WARGA)]
    assert told == [aid.tksk_kanigaran]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", ARABIC, "NIK harus tepat 16 angka 0–9."),
        ("no_kk", "3574-04", "No. KK harus tepat 16 angka 0–9."),
        ("rt", "٠٠٢", "Isi RT/RW dengan angka 0–9"),
        ("nama_keluarga", "x" * 151, "paling banyak 150"),
        ("alasan", "y" * 2001, "paling banyak 2000"),
        ("kontak_pelapor", "telp saya", "Tulis nomor telepon"),
        ("nama_keluarga", "", "tidak boleh kosong"),
        ("kelurahan", "35.74.99.9999", "Pilih"),
        ("jawaban_soal", "99", "Jawaban pertanyaan pemeriksa salah"),
        ("situs_web", "http://spam.example", "Formulir tidak dapat diterima"),
    ],
)
def test_bad_usul_input_gets_a_plain_answer_and_changes_nothing(aid, client, field, value, message):
    before = snapshot()
    page = client.get(reverse("warga:publik_usul")).content.decode()
    response = client.post(reverse("warga:publik_usul"), usul_data(page, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before
    # A refused filing is not counted, except a wrong answer to the question (an attempt).
    assert Batasan.objects.exists() == (field == "jawaban_soal")


def test_guessing_the_human_check_is_throttled(aid, client):
    with override_settings(WARGA_CEK_PER_JAM_IP=3):
        page = client.get(reverse("warga:publik_usul")).content.decode()
        for answer, status in (
            ("0", 200),
            ("1", 200),
            ("19", 200),
            ("20", 429),
        ):  # never a sum of 1–9 and 1–9
            data = usul_data(page, jawaban_soal=answer)
            assert client.post(reverse("warga:publik_usul"), data).status_code == status
    assert not Aduan.objects.exists()


def test_script_in_text_is_stored_and_shown_escaped(pub, client, login):
    script = "<script>alert('x')</script>"
    file_sanggah(client, pub.publikasi_in, pub.entri_in, alasan=script, nama_pelapor=script)
    aduan = Aduan.objects.get()
    assert aduan.alasan == script
    page = login(pub.tksk_kanigaran).get(reverse("warga:aduan_detail", args=[aduan.pk])).content.decode()
    assert script not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_human_check_is_used_once(pub, client):
    url = sanggah_url(pub.publikasi_in, pub.entri_in)
    data = {"alasan": "Sudah mampu.", **soal_dari(client.get(url).content.decode())}
    assert client.post(url, data).status_code == 200
    before = snapshot()
    again = client.post(url, data)
    assert "salah atau kedaluwarsa" in again.content.decode()
    assert snapshot() == before and Aduan.objects.count() == 1
    soal = soal_baru()
    assert not soal_benar(soal.token + "x", "5") and not soal_benar("", "5")


def test_withdrawn_publication_or_unknown_row_cannot_be_objected_to(pub, client):
    url = sanggah_url(pub.publikasi_in, pub.entri_in)
    assert (
        client.get(reverse("warga:publik_sanggah", args=[pub.publikasi_in.kode, "0" * 20])).status_code == 404
    )
    services.publikasi_tarik(actor=pub.dinsos, publikasi=pub.publikasi_in)
    assert client.get(url).status_code == 404


# -- Throttles ------------------------------------------------------------------------------------


def test_filings_are_throttled_per_ip_and_the_flood_changes_nothing(pub, client):
    with override_settings(WARGA_ADUAN_PER_HARI_IP=3):
        for _ in range(3):
            assert file_sanggah(client, pub.publikasi_in, pub.entri_in).status_code == 200
        before = snapshot()
        flood = file_sanggah(client, pub.publikasi_in, pub.entri_in)
        assert flood.status_code == 429
        assert "Terlalu banyak permintaan" in flood.content.decode()
        assert snapshot() == before
        other = client.post(  # another address may still file
            sanggah_url(pub.publikasi_in, pub.entri_in),
            {
                "alasan": "Lain.",
                **soal_dari(client.get(sanggah_url(pub.publikasi_in, pub.entri_in)).content.decode()),
            },
            REMOTE_ADDR="10.0.0.9",
        )
        assert other.status_code == 200
    assert Aduan.objects.count() == 4


def test_checks_are_throttled_per_ip_and_per_nik_and_the_table_holds_no_personal_data(pub, client):
    head = pub.k_in.anggota.get(hubungan="kepala")
    with override_settings(WARGA_PER_HARI_NIK=2, WARGA_CEK_PER_JAM_IP=4):
        assert _cek(client, head.nik, head.nama).status_code == 200
        assert _cek(client, head.nik, head.nama).status_code == 200
        assert _cek(client, head.nik, head.nama).status_code == 429  # third time this NIK today
        assert _cek(client, "3574040101900009", "X").status_code == 200
        assert _cek(client, "3574040101900019", "X").status_code == 429  # fifth from this IP
    stored = " ".join(f"{b.kunci}" for b in Batasan.objects.all())
    assert head.nik not in stored and "127.0.0.1" not in stored


def test_old_throttle_rows_are_pruned(pub, client):
    Batasan.objects.create(kunci="x" * 64, jendela=timezone.now() - datetime.timedelta(days=3), jumlah=9)
    _cek(client, "3574040101900009", "X")
    assert not Batasan.objects.filter(kunci="x" * 64).exists()


def test_ticket_lookups_are_throttled(pub, client):
    with override_settings(WARGA_TIKET_PER_JAM_IP=2):
        for expected in (200, 200, 429):
            assert (
                client.get(reverse("warga:publik_tiket"), {"kode": "SG-2222-2222-222"}).status_code
                == expected
            )


# -- Staff: scope, roles, answers -----------------------------------------------------------------


@pytest.fixture
def items(pub):
    pub.aduan_in = f.sanggah(pub.publikasi_in, pub.entri_in)
    pub.aduan_out = f.sanggah(pub.publikasi_out, pub.entri_out)
    pub.publikasi_tisno = f.publish(pub.daftar, f.KEL_TISNONEGARAN, pub.dinsos)
    pub.aduan_tisno = f.sanggah(pub.publikasi_tisno, pub.entri_tisno)
    return pub


def test_each_role_sees_its_area_and_another_area_is_404(items, login):
    client = login(items.tksk_kanigaran)
    listing = client.get(reverse("warga:aduan_list")).content.decode()
    assert items.aduan_in.kode in listing and items.aduan_tisno.kode in listing
    assert items.aduan_out.kode not in listing
    assert client.get(reverse("warga:aduan_detail", args=[items.aduan_out.pk])).status_code == 404
    assert client.post(reverse("warga:aduan_periksa", args=[items.aduan_out.pk])).status_code == 404
    officer = login(items.kelurahan)
    assert officer.get(reverse("warga:aduan_detail", args=[items.aduan_tisno.pk])).status_code == 404
    page = officer.get(reverse("warga:aduan_detail", args=[items.aduan_in.pk]))
    assert page.status_code == 200 and "Simpan jawaban" not in page.content.decode()
    dinas = login(items.dinsos).get(reverse("warga:aduan_list")).content.decode()
    assert all(a.kode in dinas for a in (items.aduan_in, items.aduan_out, items.aduan_tisno))


def test_roles_without_the_right_are_refused(items, login):
    before = snapshot()
    officer = login(items.kelurahan)
    data = {"jawaban": "Sudah dicek.", "hasil": "tidak_ada", "keterangan_hasil": "Layak."}
    assert officer.post(reverse("warga:aduan_detail", args=[items.aduan_in.pk]), data).status_code == 403
    assert officer.post(reverse("warga:aduan_periksa", args=[items.aduan_in.pk])).status_code == 403
    assert officer.get(reverse("warga:ringkasan")).status_code == 403
    assert login(items.tksk_kanigaran).get(reverse("warga:ringkasan")).status_code == 403
    assert login(items.no_role).get(reverse("warga:aduan_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.aduan_jawab(
            actor=items.tksk_mayangan,
            aduan=items.aduan_in,
            jawaban="x",
            hasil="tidak_ada",
            keterangan_hasil="y",
        )
    assert snapshot() == before


def test_tksk_checks_and_answers_and_the_dinas_is_told(items, login, client):
    tksk = login(items.tksk_kanigaran)
    tksk.post(reverse("warga:aduan_periksa", args=[items.aduan_in.pk]))
    items.aduan_in.refresh_from_db()
    assert items.aduan_in.status == "diperiksa" and items.aduan_in.diperiksa_oleh == items.tksk_kanigaran
    url = reverse("warga:aduan_detail", args=[items.aduan_in.pk])
    refused = tksk.post(url, {"jawaban": "Sudah dicek.", "hasil": "tidak_ada", "keterangan_hasil": ""})
    assert "Jelaskan mengapa tidak ada perubahan" in refused.content.decode()
    assert not Notifikasi.objects.filter(jenis=Peristiwa.ADUAN_DIJAWAB).exists()
    data = {
        "jawaban": "Kami kunjungi 3/12: penghasilan di bawah UMK.",
        "hasil": "tidak_ada",
        "keterangan_hasil": "Keluarga tetap memenuhi syarat.",
    }
    assert tksk.post(url, data).status_code == 302
    items.aduan_in.refresh_from_db()
    assert items.aduan_in.status == "dijawab" and items.aduan_in.dijawab_oleh == items.tksk_kanigaran
    told = {n.penerima for n in Notifikasi.objects.filter(jenis=Peristiwa.ADUAN_DIJAWAB)}
    assert told == {items.dinsos, items.dinsos2, items.dinsos3}
    client.logout()
    ticket = client.get(reverse("warga:publik_tiket"), {"kode": items.aduan_in.kode.lower()}).content.decode()
    assert "Dijawab" in ticket and "penghasilan di bawah UMK" in ticket and "tetap memenuhi syarat" in ticket
    head = items.k_in.anggota.get(hubungan="kepala")
    assert head.nama not in ticket and items.k_in.no_kk not in ticket
    with pytest.raises(ValidationError, match="sudah dijawab"):
        services.aduan_jawab(
            actor=items.dinsos, aduan=items.aduan_in, jawaban="x", hasil="tidak_ada", keterangan_hasil="y"
        )


def test_a_distributed_entry_cannot_be_amended_so_the_answer_says_why(items):
    with pytest.raises(ValidationError, match="sudah disalurkan"):
        services.aduan_jawab(
            actor=items.dinsos, aduan=items.aduan_in, jawaban="x", hasil="amandemen", ajukan_amandemen=True
        )
    assert not AmandemenDaftar.objects.exists()
    assert Aduan.objects.get(pk=items.aduan_in.pk).status == "diterima"


def _fresh_approved_entry(items):
    """A second approved list with one Kanigaran household, not yet distributed (amendable)."""
    from pmks.services import catatan_pmks_verify

    keluarga = f.make_keluarga(items.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Hartono")
    catatan_pmks_verify(actor=items.dinsos, catatan=f.make_pmks(items.tksk_kanigaran, keluarga))
    tahap = f.make_tahap(items.program, tahap=2)
    usulan_create(actor=items.tksk_kanigaran, tahap=tahap, keluarga=keluarga, alasan="FM.")
    daftar = f.approve_list(tahap, builder=items.dinsos, approver=items.dinsos2)
    return daftar, daftar.entri.get()


def test_sanggah_answered_with_an_amendment_goes_through_the_two_person_rule(items):
    daftar, entri = _fresh_approved_entry(items)
    items.aduan_in = f.sanggah(f.publish(daftar, f.KEL_KANIGARAN, items.dinsos), entri)
    items.entri_in = entri
    with pytest.raises(PermissionDenied):
        services.aduan_jawab(
            actor=items.tksk_kanigaran,
            aduan=items.aduan_in,
            jawaban="Perlu dikeluarkan.",
            hasil="amandemen",
            ajukan_amandemen=True,
        )
    aduan = services.aduan_jawab(
        actor=items.dinsos,
        aduan=items.aduan_in,
        jawaban="Terbukti mampu; diajukan untuk dikeluarkan.",
        hasil="amandemen",
        ajukan_amandemen=True,
    )
    amandemen = aduan.hasil_amandemen
    assert amandemen.entri == items.entri_in and amandemen.status == "diajukan"
    assert amandemen.diusulkan_oleh == items.dinsos and aduan.kode in amandemen.alasan
    items.entri_in.refresh_from_db()
    assert items.entri_in.aktif  # the approved list is not edited directly
    other = items.aduan_tisno
    with pytest.raises(ValidationError, match="bukan tentang penerima"):
        services.aduan_jawab(
            actor=items.dinsos, aduan=other, jawaban="x", hasil="amandemen", amandemen=amandemen
        )


def test_usul_answered_with_a_proposal_of_that_family(aid):
    verified = f.make_keluarga(aid.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Sumiati")
    aduan = f.usul(f.KEL_KANIGARAN, no_kk=verified.no_kk)
    other_tahap = f.make_tahap(aid.program, tahap=3)
    wrong = usulan_create(actor=aid.tksk_kanigaran, tahap=other_tahap, keluarga=aid.k_tisno, alasan="x")
    with pytest.raises(ValidationError, match="bukan untuk keluarga"):
        services.aduan_jawab(actor=aid.tksk_kanigaran, aduan=aduan, jawaban="x", hasil="usulan", usulan=wrong)
    right = usulan_create(
        actor=aid.tksk_kanigaran, tahap=other_tahap, keluarga=verified, alasan="Usul warga."
    )
    assert list(selectors.usulan_calon(user=aid.tksk_kanigaran, aduan=aduan)) == [right]
    aduan = services.aduan_jawab(
        actor=aid.tksk_kanigaran, aduan=aduan, jawaban="Sudah kami usulkan.", hasil="usulan", usulan=right
    )
    assert aduan.hasil_usulan == right and aduan.hasil == "usulan"


def test_dinas_overview_counts_ages_and_outcomes(items, login):
    services.aduan_jawab(
        actor=items.tksk_kanigaran, aduan=items.aduan_in, jawaban="x", hasil="tidak_ada", keterangan_hasil="y"
    )
    Aduan.objects.filter(pk=items.aduan_tisno.pk).update(
        tenggat=timezone.localdate() - datetime.timedelta(days=1),
        dibuat_pada=timezone.now() - datetime.timedelta(days=20),
    )
    rows = {r.kecamatan.kode: r for r in selectors.ringkasan_per_kecamatan(user=items.dinsos)}
    kanigaran, mayangan = rows[f.KANIGARAN], rows[f.MAYANGAN]
    assert (kanigaran.terbuka, kanigaran.dijawab, kanigaran.terlambat) == (1, 1, 1)
    assert kanigaran.median_umur == 20 and kanigaran.median_jawab == 0
    assert kanigaran.hasil == {"usulan": 0, "amandemen": 0, "tidak_ada": 1}
    assert (mayangan.terbuka, mayangan.dijawab, mayangan.terlambat) == (1, 0, 0)
    assert len(rows) == 5
    page = login(items.dinsos).get(reverse("warga:ringkasan"))
    assert page.status_code == 200 and "Kanigaran" in page.content.decode()


def test_beranda_panels_show_what_waits_for_each_role(items, login):
    Aduan.objects.filter(pk=items.aduan_out.pk).update(
        tenggat=timezone.localdate() + datetime.timedelta(days=2)
    )
    tksk = login(items.tksk_kanigaran).get(reverse("pmks:dashboard")).content.decode()
    assert items.aduan_in.kode in tksk and items.aduan_out.kode not in tksk
    dinas = login(items.dinsos).get(reverse("pmks:dashboard")).content.decode()
    assert items.aduan_out.kode in dinas and items.aduan_in.kode not in dinas  # 14 days left
    officer = login(items.kelurahan).get(reverse("pmks:dashboard")).content.decode()
    assert items.aduan_in.kode in officer and items.aduan_tisno.kode not in officer


def test_role_defaults_reach_existing_installations(ref):
    from django.contrib.auth.models import Group

    tksk = Group.objects.get(name=roles.TKSK)
    granted = set(HakBawaan.objects.filter(group=tksk).values_list("permission", flat=True))
    assert {"warga.view_aduan", "warga.change_aduan"} <= granted
    assert "warga.publish_publikasi" not in granted
    dinas = set(HakBawaan.objects.filter(group__name=roles.DINAS).values_list("permission", flat=True))
    assert {"warga.publish_publikasi", "warga.view_ringkasan_aduan", "warga.change_aduan"} <= dinas
    officer = f.make_user("lurah_x", roles.KELURAHAN, J.KELURAHAN, f.KEL_KANIGARAN)
    assert officer.has_perm("warga.view_aduan") and not officer.has_perm("warga.change_aduan")


def test_public_pages_open_without_login_and_index_explains(client):
    for name in (
        "warga:publik_index",
        "warga:publik_cek",
        "warga:publik_usul",
        "warga:publik_tiket",
        "warga:publik_daftar_index",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert "kode tiket" in client.get(reverse("warga:publik_index")).content.decode()
    assert client.get(reverse("warga:publik_daftar", args=["ZZZZZZZZZZZZ"])).status_code == 404


def test_ticket_page_unknown_code_is_plain(client, db):
    body = client.get(reverse("warga:publik_tiket"), {"kode": "SG-2222-2222-222"}).content.decode()
    assert "Kode tiket tidak ditemukan" in body
    assert AnggotaKeluarga.objects.count() == 0


def test_after_a_hand_over_the_successor_gets_new_items_and_the_open_ones(items, login):
    from accounts.models import Penugasan
    from accounts.services import penugasan_handover

    successor = f.make_user("tksk_pengganti", roles.TKSK)
    penugasan_handover(
        actor=items.admin,
        penugasan=Penugasan.objects.get(user=items.tksk_kanigaran),
        pengganti=successor,
        mulai=timezone.localdate(),
    )
    successor = type(successor).objects.get(pk=successor.pk)
    panel = login(successor).get(reverse("pmks:dashboard")).content.decode()
    assert items.aduan_in.kode in panel and items.aduan_out.kode not in panel
    Notifikasi.objects.all().delete()
    fresh = f.sanggah(items.publikasi_in, items.entri_in)
    assert fresh.ditugaskan_ke == successor
    assert [n.penerima for n in Notifikasi.objects.all()] == [successor]


# -- Review fixes: outcomes that must reflect a real change; odd input; who sees the filer --------


def test_a_rejected_amendment_is_not_an_outcome(items):
    from bantuan import services as aid

    daftar, entri = _fresh_approved_entry(items)
    aduan = f.sanggah(f.publish(daftar, f.KEL_KANIGARAN, items.dinsos), entri)
    amandemen = aid.amandemen_propose(
        actor=items.dinsos,
        daftar=daftar,
        jenis=AmandemenDaftar.Jenis.KELUARKAN,
        alasan="Sanggah.",
        entri=entri,
    )
    aid.amandemen_reject(actor=items.dinsos2, amandemen=amandemen, catatan="Tidak terbukti mampu.")
    assert list(selectors.amandemen_calon(user=items.dinsos, aduan=aduan)) == []
    with pytest.raises(ValidationError, match="ditolak"):
        services.aduan_jawab(
            actor=items.dinsos, aduan=aduan, jawaban="x", hasil="amandemen", amandemen=amandemen
        )
    aduan.refresh_from_db()
    assert aduan.status != "dijawab"


def test_an_usul_naming_no_number_is_answered_only_by_a_new_proposal_of_that_head(aid):
    from bantuan import services as aid_services

    tahap = f.make_tahap(aid.program, tahap=4)
    old = usulan_create(actor=aid.tksk_kanigaran, tahap=tahap, keluarga=aid.k_in, alasan="Lama.")
    aduan = f.usul(f.KEL_KANIGARAN, nama="Sumiati")
    someone_else = f.make_keluarga(aid.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Orang Lain")
    other = usulan_create(actor=aid.tksk_kanigaran, tahap=tahap, keluarga=someone_else, alasan="x")
    sumiati = f.make_keluarga(aid.tksk_kanigaran, f.KEL_KANIGARAN, kepala="SUMIATI")
    right = usulan_create(actor=aid.tksk_kanigaran, tahap=tahap, keluarga=sumiati, alasan="Usul warga.")
    for wrong in (old, other):  # made before the usul / another head of family
        with pytest.raises(ValidationError, match="bukan untuk keluarga"):
            services.aduan_jawab(
                actor=aid.tksk_kanigaran, aduan=aduan, jawaban="x", hasil="usulan", usulan=wrong
            )
    assert list(selectors.usulan_calon(user=aid.tksk_kanigaran, aduan=aduan).filter(pk__in=[old.pk])) == []
    aid_services.usulan_cancel(actor=aid.tksk_kanigaran, usulan=right, alasan="Salah tahap.")
    with pytest.raises(ValidationError, match=r"(?i)dibatalkan"):
        services.aduan_jawab(actor=aid.tksk_kanigaran, aduan=aduan, jawaban="x", hasil="usulan", usulan=right)
    again = usulan_create(
        actor=aid.tksk_kanigaran, tahap=f.make_tahap(aid.program, tahap=5), keluarga=sumiati, alasan="y"
    )
    services.aduan_jawab(
        actor=aid.tksk_kanigaran, aduan=aduan, jawaban="Diusulkan.", hasil="usulan", usulan=again
    )
    second = f.usul(f.KEL_KANIGARAN, nama="Sumiati")
    with pytest.raises(ValidationError, match="usul warga yang lain"):
        services.aduan_jawab(
            actor=aid.tksk_kanigaran, aduan=second, jawaban="x", hasil="usulan", usulan=again
        )


@pytest.mark.parametrize(
    "url",
    [
        "/publik/daftar/%00/",
        "/publik/daftar/AB%00/cetak/",
        "/publik/sanggah/%00/x/",
        "/publik/daftar/" + "Z" * 5000 + "/",
    ],
)
def test_odd_public_urls_are_404_not_500(db, client, url):
    assert client.get(url).status_code == 404


def test_an_odd_kecamatan_filter_filters_nothing(items, login):
    response = login(items.dinsos).get(reverse("warga:aduan_list") + "?kecamatan=%00")
    assert response.status_code == 200 and items.aduan_in.kode in response.content.decode()


def test_one_name_cannot_be_tried_against_many_niks(pub, client):
    with override_settings(WARGA_PER_HARI_NIK=2, WARGA_CEK_PER_JAM_IP=100):
        assert _cek(client, "3574040101900009", "Slamet Riyadi").status_code == 200
        assert _cek(client, "3574040101900019", "SLAMET  riyadi").status_code == 200
        assert _cek(client, "3574040101900029", "Slamet Riyadi").status_code == 429


def test_an_ipv6_subscriber_counts_as_its_network(rf, settings):
    from warga.pengaman import ip_of

    a = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    b = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    c = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert ip_of(a) == ip_of(b) != ip_of(c)
    assert ip_of(rf.get("/", REMOTE_ADDR="::ffff:10.0.0.7")) == "10.0.0.7"


def test_only_those_who_handle_an_item_see_who_filed_it(items, login):
    from tests.factories import sanggah

    aduan = sanggah(
        items.publikasi_in, items.entri_in, nama_pelapor="Warga Pelapor", kontak_pelapor="0812 1111"
    )
    url = reverse("warga:aduan_detail", args=[aduan.pk])
    assert "Warga Pelapor" in login(items.tksk_kanigaran).get(url).content.decode()
    page = login(items.kelurahan).get(url).content.decode()
    assert "Warga Pelapor" not in page and "0812 1111" not in page


def test_the_staff_list_shows_open_items_first(items, login):
    services.aduan_jawab(
        actor=items.tksk_kanigaran,
        aduan=items.aduan_in,
        jawaban="Sudah diperiksa.",
        hasil="tidak_ada",
        keterangan_hasil="Penerima memang layak.",
    )
    Aduan.objects.filter(pk=items.aduan_in.pk).update(
        tenggat=timezone.localdate() - datetime.timedelta(days=30)
    )
    codes = [a.kode for a in selectors.aduan_list(user=items.tksk_kanigaran)]
    assert codes[-1] == items.aduan_in.kode and items.aduan_tisno.kode in codes[:-1]
