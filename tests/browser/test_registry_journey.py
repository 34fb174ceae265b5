"""A TKSK's day on a phone, in a real Chromium: log in, register a household, propose a PMKS
record, find the household again by NIK; a TKSK of another kecamatan can neither open nor find it.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts import roles
from accounts.choices import JenisPenugasan
from pmks.choices import StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from tests import factories as f
from tests.browser.helpers import PHONE, open_page
from tests.browser.helpers import shot as _shot

PASSWORD = "Sandi-Uji-Peramban-2026"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"

KEPALA = "Sutrisno Hadi Wijaya"
KEPALA_LAHIR = datetime.date(1979, 8, 17)
ISTRI = "Siti Aminah"
ISTRI_LAHIR = datetime.date(1983, 3, 9)


def _phone_context(browser, console_errors: list[str]):
    return open_page(browser, console_errors, PHONE)


def _log_in(page: Page, base: str, username: str, folder: Path, shot: str | None = None) -> None:
    page.goto(base + "/masuk/")
    expect(page.locator("#id_username")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    if shot:
        _shot(page, folder, shot)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(base + "/beranda/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


def _fill_member(
    page: Page, index: int, *, nik: str, nama: str, sex: str, born: datetime.date, hubungan: str
):
    field = f"#id_anggota-{index}-"
    page.locator(field + "nik").fill(nik)
    page.locator(field + "nama").fill(nama)
    page.locator(field + "jenis_kelamin").select_option(sex)
    page.locator(field + "tempat_lahir").fill("Probolinggo")
    page.locator(field + "tanggal_lahir").fill(born.isoformat())
    page.locator(field + "hubungan").select_option(hubungan)
    page.locator(field + "status_perkawinan").select_option("kawin")
    page.locator(field + "disabilitas").select_option("tidak")


@pytest.mark.browser
def test_tksk_registers_household_on_phone_and_other_kecamatan_cannot_see_it(
    live_server, browser: Browser, artifacts: Path
):
    f.ensure_reference_data()
    f.make_user("tksk_kanigaran_peramban", roles.TKSK, JenisPenugasan.TKSK, f.KANIGARAN, password=PASSWORD)
    f.make_user("tksk_mayangan_peramban", roles.TKSK, JenisPenugasan.TKSK, f.MAYANGAN, password=PASSWORD)

    base = live_server.url
    no_kk = f.no_kk_for(f.KEL_KANIGARAN)
    nik_kepala = f.nik_for(f.KEL_KANIGARAN, KEPALA_LAHIR, "L")
    nik_istri = f.nik_for(f.KEL_KANIGARAN, ISTRI_LAHIR, "P")
    tanggal_identifikasi = timezone.localdate() - datetime.timedelta(days=3)

    kanigaran_errors: list[str] = []
    mayangan_errors: list[str] = []
    kanigaran, page = _phone_context(browser, kanigaran_errors)
    mayangan, other = _phone_context(browser, mayangan_errors)
    try:
        # a. Log in through the real form.
        _log_in(page, base, "tksk_kanigaran_peramban", artifacts, shot="01-login.png")
        _shot(page, artifacts, "02-beranda.png")

        # b. Register a household with two members.
        page.goto(base + "/keluarga/baru/")
        expect(page.get_by_role("heading", name="Daftarkan keluarga baru")).to_be_visible()
        page.locator("#id_no_kk").fill(no_kk)
        page.locator("#id_kelurahan").select_option(f.KEL_KANIGARAN)
        page.locator("#id_alamat").fill("Jl. Mawar Gg. III No. 7")
        page.locator("#id_rt").fill("3")
        page.locator("#id_rw").fill("5")
        _fill_member(page, 0, nik=nik_kepala, nama=KEPALA, sex="L", born=KEPALA_LAHIR, hubungan="kepala")
        expect(page.locator("#id_anggota-1-nik")).to_have_count(0)
        page.locator("[data-formset-add=anggota]").click()
        expect(page.locator("#id_anggota-1-nik")).to_be_visible()
        expect(page.locator("#id_anggota-TOTAL_FORMS")).to_have_value("2")
        _fill_member(page, 1, nik=nik_istri, nama=ISTRI, sex="P", born=ISTRI_LAHIR, hubungan="istri")
        _shot(page, artifacts, "03-keluarga-baru-isi.png")
        page.get_by_role("button", name="Simpan").click()

        expect(page).to_have_url(re.compile(re.escape(base) + r"/keluarga/\d+/$"))
        detail_url = page.url
        pk = int(detail_url.rstrip("/").rsplit("/", 1)[1])
        expect(page.locator(".alert-success")).to_have_text(f"Data keluarga KK {no_kk} tersimpan.")
        expect(page.locator(".alert-warning")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"KK {no_kk}")
        members = page.locator("table tbody tr")
        expect(members).to_have_count(2)
        expect(members.filter(has_text=KEPALA)).to_contain_text(nik_kepala)
        expect(members.filter(has_text=ISTRI)).to_contain_text(nik_istri)
        _shot(page, artifacts, "04-keluarga-tersimpan.png")

        # c. Propose a PMKS record for the whole household.
        page.get_by_role("link", name="+ Catatan PMKS").click()
        expect(page).to_have_url(f"{base}/keluarga/{pk}/pmks/baru/")
        page.locator("#id_kategori").select_option(label="Fakir Miskin (FM)")
        expect(page.locator("#id_anggota")).to_have_value("")
        page.locator("#id_tanggal_identifikasi").fill(tanggal_identifikasi.isoformat())
        page.locator("#id_bukti").fill("Kunjungan rumah: penghasilan tidak tetap, rumah menumpang.")
        _shot(page, artifacts, "05-catatan-pmks-isi.png")
        page.get_by_role("button", name="Simpan").click()

        expect(page).to_have_url(detail_url)
        expect(page.locator(".alert-success")).to_have_text(
            "Catatan PMKS tersimpan dan menunggu verifikasi Dinas Sosial."
        )
        record = page.locator(".card", has_text="Fakir Miskin")
        expect(record).to_have_count(1)
        expect(record.locator(".badge")).to_have_text("Diusulkan")
        expect(record).to_contain_text("Seluruh keluarga")
        expect(record).to_contain_text(tanggal_identifikasi.strftime("%d/%m/%Y"))
        _shot(page, artifacts, "06-catatan-pmks-tersimpan.png")

        # d. Find the household again by the wife's NIK.
        page.goto(base + "/keluarga/")
        page.locator("input[name=q]").fill(nik_istri)
        page.get_by_role("button", name="Cari", exact=True).click()
        expect(page).to_have_url(re.compile(r"[?&]q=" + nik_istri))
        results = page.locator(".list-group a.list-group-item")
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text(f"KK {no_kk}")
        expect(results.first).to_contain_text(KEPALA)
        expect(results.first.locator(".badge-pmks")).to_have_text("FM")
        _shot(page, artifacts, "07-cari-nik.png")
        # The list and its filters fit the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        results.first.click()
        expect(page).to_have_url(detail_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"KK {no_kk}")
        _shot(page, artifacts, "08-keluarga-dari-cari.png")

        # f. A TKSK of Mayangan neither opens nor finds the Kanigaran household.
        _log_in(other, base, "tksk_mayangan_peramban", artifacts)
        response = other.goto(detail_url)
        assert response is not None
        assert response.status == 404
        expect(other.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
        expect(other.get_by_text(no_kk)).to_have_count(0)
        expect(other.get_by_text(KEPALA)).to_have_count(0)
        _shot(other, artifacts, "09-mayangan-404.png")

        other.goto(f"{base}/keluarga/?q={nik_istri}")
        expect(other.locator("input[name=q]")).to_have_value(nik_istri)
        expect(other.locator(".list-group a.list-group-item")).to_have_count(0)
        expect(other.get_by_text("Tidak ada keluarga yang cocok.")).to_be_visible()
        _shot(other, artifacts, "10-mayangan-cari-kosong.png")
    finally:
        kanigaran.close()
        mayangan.close()

    # g. The database holds exactly what the browser entered.
    keluarga = Keluarga.objects.get(no_kk=no_kk)
    assert keluarga.pk == pk
    assert keluarga.kelurahan_id == f.KEL_KANIGARAN
    assert (keluarga.rt, keluarga.rw) == ("003", "005")
    assert Keluarga.objects.filter(no_kk=no_kk).count() == 1
    anggota = {a.nik: a for a in AnggotaKeluarga.objects.filter(keluarga=keluarga)}
    assert set(anggota) == {nik_kepala, nik_istri}
    assert (anggota[nik_kepala].nama, anggota[nik_kepala].hubungan) == (KEPALA, "kepala")
    assert (anggota[nik_istri].nama, anggota[nik_istri].hubungan) == (ISTRI, "istri")
    catatan = list(CatatanPmks.objects.filter(keluarga=keluarga))
    assert len(catatan) == 1
    assert catatan[0].kategori.singkatan == "FM"
    assert catatan[0].status == StatusPmks.DIUSULKAN
    assert catatan[0].anggota_id is None
    assert catatan[0].tanggal_identifikasi == tanggal_identifikasi
    assert catatan[0].diidentifikasi_oleh.username == "tksk_kanigaran_peramban"

    # The console: no JavaScript or resource errors, except the deliberate 404 of step f.
    assert kanigaran_errors == []
    assert mayangan_errors == [f"{NOT_FOUND} @ {detail_url}"]
