"""A citizen's objection, in a real Chromium: on a phone, without an account, a citizen opens the
published list of Kelurahan Kanigaran, files a sanggah from a recipient's row (answering the
human check) and gets a ticket code; the kecamatan's TKSK sees the bell's count, opens the
notification from the inbox, starts checking and answers in writing; the citizen enters the
ticket code and reads the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from accounts import roles
from accounts.choices import JenisPenugasan
from bantuan.services import usulan_create
from kabar.services import tandai_semua_dibaca
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tests.browser.helpers import PHONE, fits_phone, log_in, open_page, shot
from warga.models import Aduan
from warga.pengaman import ANGKA

PASSWORD = "Sandi-Uji-Warga-2026"
KEPALA = "Mulyadi Santoso"
ALASAN = "Penerima sudah membuka toko bangunan dan punya dua mobil."
JAWABAN = "Kami kunjungi 2 Desember: toko milik adik, keluarga tetap berpenghasilan di bawah UMK."
KETERANGAN = "Keluarga tetap memenuhi syarat fakir miskin."


@pytest.mark.browser
def test_citizen_files_a_sanggah_the_tksk_answers_the_citizen_reads_it(
    live_server, browser: Browser, artifacts: Path
):
    # -- Setup through the services: an approved list with one Kanigaran family, published ----
    f.ensure_reference_data()
    tksk = f.make_user(
        "tksk_kanigaran_warga", roles.TKSK, JenisPenugasan.TKSK, f.KANIGARAN, password=PASSWORD
    )
    dinsos = [
        f.make_user(
            f"dinsos_warga{i}", roles.DINAS, JenisPenugasan.DINAS, f.KOTA, staff=True, password=PASSWORD
        )
        for i in (1, 2, 3)
    ]
    keluarga = f.make_keluarga(tksk, f.KEL_KANIGARAN, kepala=KEPALA)
    catatan_pmks_verify(actor=dinsos[0], catatan=f.make_pmks(tksk, keluarga))
    tahap = f.make_tahap(f.make_program())
    usulan_create(actor=tksk, tahap=tahap, keluarga=keluarga, alasan="Fakir miskin terverifikasi.")
    daftar = f.approve_list(tahap, builder=dinsos[0], verifier=dinsos[1], approver=dinsos[2])
    f.publish(daftar, f.KEL_KANIGARAN, dinsos[0])
    tandai_semua_dibaca(user=tksk)  # the aid steps' own notifications, read already
    base = live_server.url
    errors: list[str] = []

    # -- The citizen, on a phone, no login ------------------------------------------------------
    citizen_context, citizen = open_page(browser, errors, PHONE)
    citizen.goto(base + "/publik/")
    citizen.get_by_role("link", name="Lihat daftar yang diumumkan").click()
    citizen.get_by_role("link", name=re.compile("SEMBAKO 2026 tahap 1")).click()
    row = citizen.get_by_test_id("daftar-publik").locator("li", has_text=KEPALA)
    expect(row).to_contain_text("357404********")
    fits_phone(citizen)
    shot(citizen, artifacts, "warga-1-daftar.png")
    citizen.get_by_role("link", name="Versi cetak (papan pengumuman)").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("PENGUMUMAN")
    expect(citizen.locator("body")).to_contain_text("SK Nomor 460/12/425.104/2026")
    shot(citizen, artifacts, "warga-1b-pengumuman.png")
    citizen.go_back()
    row.get_by_role("link", name="Sanggah").click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Sanggah penerima")
    citizen.locator("#id_alasan").fill(ALASAN)
    citizen.locator("#id_nama_pelapor").fill("Bu Rahmawati")
    question = citizen.locator("label[for=id_jawaban_soal]").inner_text()
    a, b = re.search(r"Berapa ([a-z ]+) ditambah ([a-z ]+)\?", question).groups()
    citizen.locator("#id_jawaban_soal").fill(str(ANGKA.index(a) + ANGKA.index(b)))
    fits_phone(citizen)
    citizen.get_by_role("button", name="Kirim sanggah").click()
    code = citizen.get_by_test_id("kode-tiket").inner_text().strip()
    assert re.fullmatch(r"SG-\w{4}-\w{4}-\w{3}", code)
    expect(citizen.locator("main")).not_to_contain_text("Rahmawati")
    expect(citizen.locator("main")).not_to_contain_text(ALASAN)
    shot(citizen, artifacts, "warga-2-tiket.png")
    assert Aduan.objects.get().ditugaskan_ke == tksk

    # -- The TKSK: the bell, the inbox, the item, the answer -------------------------------------
    tksk_context, page = open_page(browser, errors, PHONE)
    log_in(page, base, tksk.username, PASSWORD)
    expect(page.get_by_test_id("panel-warga")).to_contain_text(code)
    expect(page.get_by_test_id("kabar-belum-dibaca")).to_have_text("1")
    page.get_by_label(re.compile("^Pemberitahuan")).click()
    page.get_by_role("link", name=re.compile(f"Sanggah warga {code}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    expect(page.locator("main")).to_contain_text(ALASAN)
    page.get_by_role("button", name="Mulai periksa").click()
    expect(page.locator("main")).to_contain_text("Sedang diperiksa")
    page.locator("#id_jawaban").fill(JAWABAN)
    page.get_by_role("radio", name="Tidak ada perubahan").check()
    page.locator("#id_keterangan_hasil").fill(KETERANGAN)
    shot(page, artifacts, "warga-3-jawab.png")
    page.get_by_role("button", name="Simpan jawaban").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Jawaban {code} tersimpan")
    expect(page.get_by_test_id("kabar-belum-dibaca")).to_have_count(0)

    # -- The citizen follows the ticket ---------------------------------------------------------
    citizen.goto(base + "/publik/tiket/")
    citizen.locator("#id_kode").fill(code.lower())
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.get_by_test_id("status-tiket")).to_have_text("Dijawab")
    expect(citizen.get_by_test_id("jawaban")).to_have_text(JAWABAN)
    expect(citizen.get_by_test_id("hasil")).to_contain_text(KETERANGAN)
    expect(citizen.locator("main")).not_to_contain_text(KEPALA)
    expect(citizen.locator("main")).not_to_contain_text("Rahmawati")
    fits_phone(citizen)
    shot(citizen, artifacts, "warga-4-jawaban.png")
    citizen_context.close()
    tksk_context.close()
    assert not errors, errors
