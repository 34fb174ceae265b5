"""A TKSK's month of accompaniment, in a real Chromium: on a phone the TKSK sees a verified
household on the agenda as never visited, records a home visit with a follow-up (a follow-up
before the visit is refused first), refers the household to health services with a PSKS and
records the outcome, reviews and downloads the month's report and submits it (once only); on a
desktop a Dinas Sosial officer accepts the report and looks at the workload charts.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Locator, Page, expect

from accounts import roles
from accounts.choices import JenisPenugasan
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, log_in
from tests.browser.helpers import fits_phone as _fits_phone
from tests.browser.helpers import open_page as _context
from tests.browser.helpers import shot as _shot
from tksk.choices import HasilRujukan, JenisKegiatan, StatusLaporan
from tksk.models import Kegiatan, LaporanBulanan

PASSWORD = "Sandi-Uji-Pendampingan-2026"

TKSK_USER = "tksk_kanigaran_pendampingan"
DINAS_USER = "dinsos_laporan"
KEPALA = "Mulyono Hadi Prasetyo"
PSKS_NAMA = "Karang Taruna Tunas Harapan"

URAIAN_KUNJUNGAN = "Kepala keluarga sakit sesak napas, belum punya BPJS; istri buruh cuci harian."
RENCANA = "Antar ke Puskesmas dan urus BPJS PBI"
URAIAN_RUJUKAN = "Dirujuk ke Puskesmas Kanigaran untuk pemeriksaan dan pendaftaran BPJS PBI."
TEMPAT_RUJUKAN = "Puskesmas Kanigaran"
CATATAN_HASIL = "Kartu KIS terbit, pemeriksaan rutin tiap bulan."
CATATAN_TKSK = "Satu keluarga FM dirujuk ke Puskesmas; kartu KIS sudah terbit."

TINDAK_LANJUT_SALAH = "Tanggal tindak lanjut tidak boleh sebelum tanggal kegiatan."


def _section(page: Page, heading: str) -> Locator:
    """The block (list or table) right after an h2 with this exact text."""
    return page.locator(f"h2:text-is('{heading}') + *")


def _cell(table: Locator, label: str) -> Locator:
    """The number cell of the table row whose first cell is ``label``."""
    row = table.locator("tr").filter(
        has=table.page.locator("td:first-child", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    expect(row).to_have_count(1)
    return row.locator("td.text-end")


def _log_in(page, base: str, username: str) -> None:
    log_in(page, base, username, PASSWORD)


@pytest.mark.browser
def test_tksk_visit_referral_and_monthly_report(live_server, browser: Browser, artifacts: Path):
    # -- Setup through the services --------------------------------------------------------------
    f.ensure_reference_data()
    tksk = f.make_user(TKSK_USER, roles.TKSK, JenisPenugasan.TKSK, f.KANIGARAN, password=PASSWORD)
    dinsos = f.make_user(DINAS_USER, roles.DINAS, JenisPenugasan.DINAS, f.KOTA, staff=True, password=PASSWORD)
    keluarga = f.make_keluarga(tksk, f.KEL_KANIGARAN, kepala=KEPALA, alamat="Jl. Kenanga Gg. II No. 4")
    catatan_pmks_verify(actor=dinsos, catatan=f.make_pmks(tksk, keluarga))
    psks = f.make_psks(tksk, f.KEL_KANIGARAN, nama=PSKS_NAMA)

    base = live_server.url
    kk = f"KK {keluarga.no_kk}"
    keluarga_url = f"{base}/keluarga/{keluarga.pk}/"
    today = timezone.localdate()
    tindak_lanjut = today + datetime.timedelta(days=3)
    bulan = today.replace(day=1)
    bulan_depan = (bulan + datetime.timedelta(days=32)).replace(day=1)
    laporan_url = f"{base}/tksk/laporan/{f.KANIGARAN}/{bulan:%Y-%m}/"
    hari = settings.AGENDA_HARI_TANPA_KUNJUNGAN
    xlsx_path = artifacts / "tksk-laporan-bulanan.xlsx"
    xlsx_path.unlink(missing_ok=True)

    tksk_errors: list[str] = []
    dinas_errors: list[str] = []
    tksk_ctx, phone = _context(browser, tksk_errors, PHONE)
    dinas_ctx, desk = _context(browser, dinas_errors, DESKTOP)
    try:
        # -- 1. The agenda shows the verified household as never visited --------------------------
        _log_in(phone, base, TKSK_USER)
        panel = phone.locator(".card", has=phone.get_by_role("heading", name="Agenda", exact=True))
        expect(panel).to_have_count(1)
        expect(panel).to_contain_text(f"1 keluarga PMKS belum dikunjungi {hari} hari")
        expect(panel).to_contain_text("0 tindak lanjut terlambat")
        expect(panel).to_contain_text("0 rujukan menunggu hasil")
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-01-beranda-agenda.png")

        panel.get_by_role("link", name="Buka agenda").click()
        expect(phone).to_have_url(base + "/tksk/agenda/")
        belum = _section(phone, f"Keluarga PMKS terverifikasi belum dikunjungi {hari} hari (1)")
        expect(belum.locator("a.list-group-item")).to_have_count(1)
        expect(belum.locator("a.list-group-item")).to_contain_text(kk)
        expect(belum.locator("a.list-group-item")).to_contain_text("belum pernah dikunjungi")
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-02-agenda-belum-dikunjungi.png")

        # -- 2. A home visit with a follow-up; a follow-up before the visit is refused first -------
        belum.locator("a.list-group-item").click()
        expect(phone).to_have_url(keluarga_url)
        expect(phone.locator("#pendampingan ~ ul").first).to_contain_text(
            "Belum ada kegiatan pendampingan tercatat."
        )
        phone.get_by_role("link", name="+ Catat kunjungan").click()
        expect(phone).to_have_url(f"{base}/tksk/keluarga/{keluarga.pk}/kunjungan/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Catat kunjungan")
        expect(phone.locator("#id_jenis")).to_have_value(JenisKegiatan.KUNJUNGAN_RUMAH)
        expect(phone.locator("#id_tanggal")).to_have_value(today.isoformat())
        phone.locator("#id_uraian").fill(URAIAN_KUNJUNGAN)
        phone.locator("#id_tindak_lanjut_tanggal").fill((today - datetime.timedelta(days=1)).isoformat())
        phone.locator("#id_tindak_lanjut_rencana").fill(RENCANA)
        phone.get_by_role("button", name="Simpan kunjungan").click()

        expect(phone).to_have_url(f"{base}/tksk/keluarga/{keluarga.pk}/kunjungan/")
        expect(phone.get_by_text(TINDAK_LANJUT_SALAH)).to_have_count(1)
        expect(phone.get_by_text(TINDAK_LANJUT_SALAH)).to_be_visible()
        expect(phone.locator("#id_tindak_lanjut_tanggal")).to_have_class(re.compile(r"\bis-invalid\b"))
        expect(phone.locator("#id_uraian")).to_have_value(URAIAN_KUNJUNGAN)  # nothing typed is lost
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-03-kunjungan-tanggal-salah.png")
        assert Kegiatan.objects.count() == 0

        phone.locator("#id_tindak_lanjut_tanggal").fill(tindak_lanjut.isoformat())
        phone.get_by_role("button", name="Simpan kunjungan").click()
        expect(phone).to_have_url(keluarga_url)
        expect(phone.locator(".alert-success")).to_have_text("Kunjungan tercatat.")
        visits = phone.locator("#pendampingan ~ ul").first.locator("li")
        expect(visits).to_have_count(1)
        expect(visits.first).to_contain_text(f"{today:%d/%m/%Y} · Kunjungan rumah")
        expect(visits.first).to_contain_text(URAIAN_KUNJUNGAN[:40])
        expect(visits.first.locator(".badge")).to_have_text(f"tindak lanjut {tindak_lanjut:%d/%m/%Y}")
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-04-kunjungan-tersimpan.png")
        assert Kegiatan.objects.count() == 1

        # -- 3. The agenda, reached through the phone's collapsed menu -----------------------------
        nav_agenda = phone.locator("#nav").get_by_role("link", name="Agenda", exact=True)
        expect(nav_agenda).to_be_hidden()
        phone.locator("button.navbar-toggler").click()
        expect(nav_agenda).to_be_visible()
        nav_agenda.click()
        expect(phone).to_have_url(base + "/tksk/agenda/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Agenda pendampingan")
        expect(_section(phone, "Tindak lanjut terlambat")).to_have_text("Tidak ada.")
        segera = _section(phone, "Tindak lanjut 7 hari ke depan").locator("a.list-group-item")
        expect(segera).to_have_count(1)
        expect(segera).to_contain_text("Kunjungan rumah")
        expect(segera).to_contain_text(f"{kk} · tindak lanjut {tindak_lanjut:%d/%m/%Y}")
        expect(segera).to_contain_text(RENCANA)
        expect(segera).not_to_have_class(re.compile(r"list-group-item-danger"))
        expect(_section(phone, "Rujukan menunggu hasil")).to_have_text("Tidak ada.")
        belum = _section(phone, f"Keluarga PMKS terverifikasi belum dikunjungi {hari} hari (0)")
        expect(belum.locator("a.list-group-item")).to_have_count(0)
        expect(belum).to_have_text("Semua sudah dikunjungi.")
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-05-agenda-tindak-lanjut.png")

        # -- 4. A referral with a PSKS, then its outcome --------------------------------------------
        phone.goto(keluarga_url)
        phone.get_by_role("link", name="+ Rujukan").click()
        expect(phone).to_have_url(f"{base}/tksk/kegiatan/baru/?keluarga={keluarga.pk}&jenis=rujukan")
        expect(phone.locator("#id_jenis")).to_have_value(JenisKegiatan.RUJUKAN)
        expect(phone.locator("#id_keluarga")).to_have_values([str(keluarga.pk)])
        expect(phone.locator("#id_tanggal")).to_have_value(today.isoformat())
        phone.locator("select#id_rujukan_tujuan").select_option("kesehatan")
        expect(phone.locator("select#id_rujukan_tujuan option:checked")).to_have_text(
            "Layanan kesehatan / BPJS PBI"
        )
        phone.locator("#id_rujukan_tempat").fill(TEMPAT_RUJUKAN)
        phone.locator("#id_uraian").fill(URAIAN_RUJUKAN)
        phone.locator("#id_psks").select_option(str(psks.pk))
        expect(phone.locator("#id_psks option:checked")).to_contain_text(PSKS_NAMA)
        phone.locator("#id_menonjol").check()
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-06-rujukan-isi.png")
        phone.get_by_role("button", name="Simpan", exact=True).click()

        expect(phone).to_have_url(re.compile(re.escape(base) + r"/tksk/kegiatan/\d+/$"))
        rujukan_pk = int(phone.url.rstrip("/").rsplit("/", 1)[1])
        expect(phone.locator(".alert-success")).to_have_text("Kegiatan tercatat.")
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Rujukan")
        expect(phone.locator(".badge", has_text="kasus menonjol")).to_be_visible()
        details = phone.locator("dl")
        expect(details).to_contain_text(kk)
        expect(details).to_contain_text(PSKS_NAMA)
        expect(details).to_contain_text(f"Layanan kesehatan / BPJS PBI – {TEMPAT_RUJUKAN}")
        expect(details.locator("strong")).to_have_text("Menunggu hasil")

        outcome = phone.locator("form", has=phone.get_by_role("heading", name="Catat hasil rujukan"))
        outcome.locator("select#id_hasil").select_option(label="Diterima / dilayani")
        outcome.locator("#id_tanggal_hasil").fill(today.isoformat())
        outcome.locator("#id_catatan_hasil").fill(CATATAN_HASIL)
        outcome.get_by_role("button", name="Simpan hasil").click()

        expect(phone).to_have_url(f"{base}/tksk/kegiatan/{rujukan_pk}/")
        expect(phone.locator(".alert-success")).to_have_text("Hasil rujukan tercatat.")
        expect(details.locator("strong")).to_have_text("Diterima / dilayani")
        expect(details).to_contain_text(f"Diterima / dilayani ({today:%d/%m/%Y}) {CATATAN_HASIL}")
        expect(phone.get_by_role("heading", name="Catat hasil rujukan")).to_have_count(0)
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-07-rujukan-hasil.png")

        # -- 5. The monthly report: check it, download it, submit it once ---------------------------
        phone.goto(laporan_url)
        expect(phone.get_by_role("heading", level=1)).to_have_text(f"Laporan bulanan Kanigaran {bulan:%m/%Y}")
        expect(phone.locator(".badge.fs-6")).to_have_text("Draf")
        per_jenis = _section(phone, "Kegiatan menurut jenis")
        expect(_cell(per_jenis, "Kunjungan rumah")).to_have_text("1")
        expect(_cell(per_jenis, "Rujukan")).to_have_text("1")
        expect(_cell(per_jenis, "Total")).to_have_text("2")
        expect(_cell(per_jenis, "Keluarga terjangkau")).to_have_text("1")
        rujukan_rows = _section(phone, "Rujukan dan hasilnya").locator("tr")
        expect(rujukan_rows).to_have_count(1)
        expect(rujukan_rows.locator("td")).to_have_text(
            ["Layanan kesehatan / BPJS PBI", "Diterima / dilayani", "1"]
        )
        menonjol = _section(phone, "Kasus menonjol").locator("li")
        expect(menonjol).to_have_count(1)
        # The notable case carries the referral's recorded outcome too.
        expect(menonjol).to_have_text(
            f"{today:%d/%m/%Y} · Rujukan: {URAIAN_RUJUKAN} — Rujukan: Diterima / dilayani {CATATAN_HASIL}"
        )
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-08-laporan-draf.png")

        with phone.expect_download() as download_info:
            phone.get_by_role("link", name="Unduh Excel").click()
        download = download_info.value
        assert download.suggested_filename == f"laporan-tksk-kanigaran-{bulan:%Y-%m}.xlsx"
        download.save_as(str(xlsx_path))
        sheet = load_workbook(xlsx_path).active
        assert (sheet["A1"].value, sheet["B1"].value) == ("Laporan", "Laporan Bulanan TKSK")
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        assert ("Kunjungan rumah", 1) in [r[:2] for r in rows]
        assert ("Rujukan", 1) in [r[:2] for r in rows]
        assert ("Total kegiatan", 2) in [r[:2] for r in rows]
        assert ("Status", "Draf (belum diajukan)") in [r[:2] for r in rows]

        phone.locator("textarea#id_catatan_tksk").fill(CATATAN_TKSK)
        phone.get_by_role("button", name="Ajukan laporan").click()
        expect(phone).to_have_url(laporan_url)
        expect(phone.locator(".alert-success")).to_have_text("Laporan diajukan ke Dinas Sosial.")
        expect(phone.locator(".badge.fs-6")).to_have_text("Diajukan")
        expect(_section(phone, "Catatan TKSK")).to_have_text(CATATAN_TKSK)
        # Frozen: no second submission is offered, not even after a reload.
        phone.reload()
        expect(phone.locator(".badge.fs-6")).to_have_text("Diajukan")
        expect(phone.get_by_role("button", name="Ajukan laporan")).to_have_count(0)
        expect(phone.locator("textarea#id_catatan_tksk")).to_have_count(0)
        expect(phone.get_by_role("button", name="Terima laporan")).to_have_count(0)  # not their own
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-09-laporan-diajukan.png")
        # A second POST (stale tab, replayed request) is refused by the server.
        token = phone.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        again = phone.request.post(laporan_url, form={"csrfmiddlewaretoken": token, "catatan_tksk": "Ubah."})
        assert again.ok, again.status
        assert f"Laporan {bulan:%m/%Y} sudah diajukan; tidak dapat diajukan lagi." in again.text()
        assert LaporanBulanan.objects.get(kecamatan_id=f.KANIGARAN, bulan=bulan).catatan_tksk == CATATAN_TKSK

        # Next month has not started: nothing to submit yet.
        phone.goto(f"{base}/tksk/laporan/{f.KANIGARAN}/{bulan_depan:%Y-%m}/")
        expect(phone.locator(".badge.fs-6")).to_have_text("Draf")
        expect(phone.locator(".alert-warning")).to_contain_text("belum dapat diajukan")
        expect(phone.get_by_role("button", name="Ajukan laporan")).to_have_count(0)
        expect(_cell(_section(phone, "Kegiatan menurut jenis"), "Total")).to_have_text("0")
        _fits_phone(phone)
        _shot(phone, artifacts, "tksk-10-laporan-bulan-depan.png")

        # -- 6. Dinas Sosial accepts the report and looks at the workload ---------------------------
        _log_in(desk, base, DINAS_USER)
        desk.goto(laporan_url)
        expect(desk.locator(".badge.fs-6")).to_have_text("Diajukan")
        expect(_section(desk, "Catatan TKSK")).to_have_text(CATATAN_TKSK)
        expect(desk.get_by_role("button", name="Ajukan laporan")).to_have_count(0)
        desk.locator("textarea#id_komentar").fill("Lengkap, terima kasih.")
        desk.get_by_role("button", name="Terima laporan").click()
        expect(desk).to_have_url(laporan_url)
        expect(desk.locator(".alert-success").first).to_have_text("Laporan diterima.")
        expect(desk.locator(".badge.fs-6")).to_have_text("Diterima")
        expect(desk.locator(".alert-success", has_text="Diterima oleh")).to_contain_text(
            f"Diterima oleh {dinsos} pada {today:%d/%m/%Y}. Lengkap, terima kasih."
        )
        expect(desk.get_by_role("button", name="Terima laporan")).to_have_count(0)
        _shot(desk, artifacts, "tksk-11-laporan-diterima.png")

        desk.goto(base + "/tksk/beban-kerja/")
        expect(desk.get_by_role("heading", level=1)).to_have_text("Beban kerja TKSK per kecamatan")
        row = desk.locator("table tbody tr", has=desk.get_by_role("link", name="Kanigaran", exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(str(tksk))
        expect(row.locator("td").nth(2)).to_have_text("1")  # households with an open PMKS record
        expect(row.locator("td").last).to_have_text("2")  # activities this month
        expect(desk.locator("body")).to_have_attribute("data-grafik", "siap")
        for canvas in ("#grafik-kegiatan", "#grafik-beban"):
            expect(desk.locator(canvas)).to_be_visible()
            assert desk.locator(canvas).evaluate("c => c.getBoundingClientRect().width") > 0
            assert desk.locator(canvas).evaluate("c => c.width") > 0
        _shot(desk, artifacts, "tksk-12-beban-kerja.png")
    finally:
        tksk_ctx.close()
        dinas_ctx.close()

    # -- 7. The database holds what the screens did ------------------------------------------------
    laporan = LaporanBulanan.objects.get(kecamatan_id=f.KANIGARAN, bulan=bulan)
    assert laporan.status == StatusLaporan.DITERIMA
    assert laporan.tksk == tksk
    assert laporan.diputuskan_oleh == dinsos
    assert laporan.catatan_tksk == CATATAN_TKSK
    assert laporan.ringkasan["kegiatan_total"] == 2
    assert laporan.ringkasan["keluarga_terjangkau"] == 1
    assert LaporanBulanan.objects.count() == 1  # the next month's page created nothing

    assert Kegiatan.objects.count() == 2
    kunjungan = Kegiatan.objects.get(jenis=JenisKegiatan.KUNJUNGAN_RUMAH)
    assert (kunjungan.tanggal, kunjungan.tindak_lanjut_tanggal) == (today, tindak_lanjut)
    assert kunjungan.tindak_lanjut_rencana == RENCANA
    assert not kunjungan.tindak_lanjut_selesai
    assert list(kunjungan.keluarga.all()) == [keluarga]
    rujukan = Kegiatan.objects.get(pk=rujukan_pk)
    assert rujukan.jenis == JenisKegiatan.RUJUKAN
    assert (rujukan.rujukan_tujuan, rujukan.rujukan_tempat) == ("kesehatan", TEMPAT_RUJUKAN)
    assert rujukan.rujukan_hasil == HasilRujukan.DITERIMA
    assert (rujukan.rujukan_hasil_tanggal, rujukan.rujukan_hasil_catatan) == (today, CATATAN_HASIL)
    assert rujukan.menonjol
    assert list(rujukan.psks.all()) == [psks]
    assert list(rujukan.keluarga.all()) == [keluarga]
    assert rujukan.petugas == tksk and rujukan.kecamatan_id == f.KANIGARAN

    # -- 8. No JavaScript or resource errors in any browser context --------------------------------
    assert tksk_errors == []
    assert dinas_errors == []
