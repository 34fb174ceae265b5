"""An aid stage from proposal to hand-over record, in a real Chromium: a TKSK proposes two
households on a phone (one of them already receives an excluding programme, so it is flagged
"Tumpang tindih"), one Dinas officer builds, submits and verifies the list, the same officer is
refused as approver, a second officer approves it in the admin with an SK, the TKSK records the
distribution with a photo and prints the Berita Acara Serah Terima as a PDF.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts import roles
from accounts.choices import JenisPenugasan
from bantuan import services as aid
from bantuan.choices import StatusDaftar, StatusPemantauan
from bantuan.models import DaftarPenerima, EntriDaftar, Pemantauan, Penyaluran, Usulan
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, TIMEOUT_MS, log_in
from tests.browser.helpers import fits_phone as _fits_phone
from tests.browser.helpers import open_page as _context
from tests.browser.helpers import shot as _shot

PASSWORD = "Sandi-Uji-Bantuan-2026"

KEPALA_1 = "Slamet Riyadi"
KEPALA_2 = "Suparmi Wulandari"
SEMBAKO = "Sembako APBD Kota"
MODAL = "Modal Usaha"
NOMOR_SK = "460/215/425.104/2026"
OVERLAP = "Tumpang tindih"
ALASAN = "Modal warung habis untuk berobat; sembako menjaga makan lansia. Dipantau bulanan."


def _log_in(page, base: str, username: str) -> None:
    log_in(page, base, username, PASSWORD)


@pytest.mark.browser
def test_aid_stage_from_proposal_to_berita_acara(live_server, browser: Browser, artifacts: Path, tmp_path):
    # -- Setup through the services --------------------------------------------------------------
    f.ensure_reference_data()
    tksk = f.make_user(
        "tksk_kanigaran_bantuan", roles.TKSK, JenisPenugasan.TKSK, f.KANIGARAN, password=PASSWORD
    )
    dinsos_a = f.make_user(
        "dinsos_a", roles.DINAS, JenisPenugasan.DINAS, f.KOTA, staff=True, password=PASSWORD
    )
    dinsos_b = f.make_user(
        "dinsos_b", roles.DINAS, JenisPenugasan.DINAS, f.KOTA, staff=True, password=PASSWORD
    )
    dinsos_c = f.make_user(
        "dinsos_c", roles.DINAS, JenisPenugasan.DINAS, f.KOTA, staff=True, password=PASSWORD
    )
    k1 = f.make_keluarga(tksk, f.KEL_KANIGARAN, kepala=KEPALA_1)
    k2 = f.make_keluarga(tksk, f.KEL_KANIGARAN, kepala=KEPALA_2, alamat="Jl. Melati No. 9")
    for k in (k1, k2):
        catatan_pmks_verify(actor=dinsos_a, catatan=f.make_pmks(tksk, k))

    sembako = f.make_program("sembako", nama=SEMBAKO, jadwal="30")
    tahap = f.make_tahap(sembako)
    modal = f.make_program("modal-usaha-kota", nama=MODAL, jenis_pemantauan="usaha", jadwal="90")
    modal.tidak_bersama.add(sembako)
    tahap_modal = f.make_tahap(modal)
    aid.usulan_create(actor=tksk, tahap=tahap_modal, keluarga=k1, alasan="Modal warung kelontong.")
    f.approve_list(tahap_modal, builder=dinsos_a, verifier=dinsos_c, approver=dinsos_b)

    base = live_server.url
    k1_url = f"{base}/keluarga/{k1.pk}/"
    today = timezone.localdate()
    foto = tmp_path / "bukti-penyaluran.png"
    foto.write_bytes(f.png_bytes((64, 48)))
    pdf_path = artifacts / "bantuan-berita-acara.pdf"
    pdf_path.unlink(missing_ok=True)

    tksk_errors: list[str] = []
    a_errors: list[str] = []
    b_errors: list[str] = []
    c_errors: list[str] = []
    tksk_ctx, phone = _context(browser, tksk_errors, PHONE)
    a_ctx, desk_a = _context(browser, a_errors, DESKTOP)
    b_ctx, desk_b = _context(browser, b_errors, DESKTOP)
    c_ctx, desk_c = _context(browser, c_errors, DESKTOP)
    try:
        # -- 1. The TKSK proposes household #1 from its page, then #2 in bulk ----------------------
        _log_in(phone, base, "tksk_kanigaran_bantuan")
        phone.goto(k1_url)
        panel = phone.locator("#bantuan")
        expect(panel).to_have_text("Usulan dan bantuan")
        phone.get_by_role("link", name="+ Usulkan bantuan").click()
        expect(phone).to_have_url(f"{base}/bantuan/keluarga/{k1.pk}/usulkan/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Usulkan bantuan")
        # The checks per open stage are shown before anything is saved.
        checks = phone.locator("ul.list-unstyled li")
        check_sembako = checks.filter(has=phone.get_by_text(str(tahap), exact=True))
        check_modal = checks.filter(has=phone.get_by_text(str(tahap_modal), exact=True))
        expect(check_sembako.locator(".badge")).to_have_text(
            f"{OVERLAP}: sudah menerima {tahap_modal} pada periode yang sama."
        )
        expect(check_modal.locator(".badge")).to_have_text("tidak ada tanda")
        phone.locator("select#id_tahap").select_option(label=str(tahap))
        phone.locator("#id_alasan").fill("Lansia tinggal sendiri, penghasilan tidak tetap.")
        _fits_phone(phone)
        _shot(phone, artifacts, "bantuan-01-usulan-isi.png")
        phone.get_by_role("button", name="Kirim usulan").click()

        expect(phone).to_have_url(k1_url)
        expect(phone.locator(".alert-success")).to_have_text(f"Usulan {tahap} untuk KK {k1.no_kk} tersimpan.")
        warning = phone.locator(".alert-warning")
        expect(warning).to_have_count(1)
        expect(warning).to_contain_text(OVERLAP)
        expect(warning).to_contain_text(MODAL)
        card = phone.locator(".card", has_text=SEMBAKO)
        expect(card.locator(".badge")).to_have_text("Menunggu disusun ke daftar")
        _shot(phone, artifacts, "bantuan-02-usulan-tersimpan.png")

        # Bulk: tick both households; #1 is already proposed and is skipped with a reason.
        phone.goto(base + "/bantuan/usulan/massal/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Usulkan banyak keluarga")
        rows = phone.locator("label.list-group-item")
        expect(rows).to_have_count(2)
        phone.locator(f"input[name=keluarga][value='{k1.pk}']").check()
        phone.locator(f"input[name=keluarga][value='{k2.pk}']").check()
        phone.locator("select#id_tahap").select_option(label=str(tahap))
        phone.locator("#id_alasan").fill("Fakir miskin terverifikasi, belum menerima bantuan.")
        _fits_phone(phone)
        _shot(phone, artifacts, "bantuan-03-usulan-massal.png")
        phone.get_by_role("button", name="Usulkan yang dipilih").click()

        expect(phone).to_have_url(base + "/bantuan/usulan/")
        expect(phone.locator(".alert-success")).to_have_text(f"1 keluarga diusulkan untuk {tahap}.")
        expect(phone.locator(".alert-warning")).to_have_count(1)
        expect(phone.locator(".alert-warning")).to_contain_text(
            f"KK {k1.no_kk}: KK {k1.no_kk} sudah diusulkan"
        )
        proposals = phone.locator(".card", has_text=SEMBAKO)
        expect(proposals).to_have_count(2)
        expect(proposals.filter(has_text=k2.no_kk)).to_contain_text("Menunggu disusun ke daftar")
        _fits_phone(phone)
        _shot(phone, artifacts, "bantuan-04-usulan-daftar.png")
        assert Usulan.objects.filter(tahap=tahap).count() == 2

        # -- 2. dinsos_a builds and submits the list; dinsos_c (not the submitter) verifies it ------
        _log_in(desk_a, base, "dinsos_a")
        desk_a.goto(base + "/bantuan/daftar/")
        stage_row = desk_a.locator(".list-group-item", has_text=SEMBAKO)
        expect(desk_a.locator(".list-group-item", has_text=MODAL).locator(".badge")).to_contain_text(
            "Disetujui"
        )
        stage_row.get_by_role("button", name="Susun daftar dari usulan").click()

        expect(desk_a).to_have_url(re.compile(re.escape(base) + r"/bantuan/daftar/\d+/$"))
        daftar_pk = int(desk_a.url.rstrip("/").rsplit("/", 1)[1])
        daftar_url = desk_a.url
        assert DaftarPenerima.objects.get(pk=daftar_pk).tahap_id == tahap.pk
        expect(desk_a.locator(".alert-success")).to_have_text("Daftar disusun dari usulan yang masuk.")
        # One entry per household (whatever the layout: a row or a list item), each with its flags.
        entries = desk_a.locator(".list-group-item, tbody tr").filter(has=desk_a.locator(".nomor"))
        expect(entries).to_have_count(2)
        row1 = entries.filter(has_text=k1.no_kk)
        row2 = entries.filter(has_text=k2.no_kk)
        expect(row1).to_contain_text(KEPALA_1)
        expect(row1).to_contain_text(f"{OVERLAP}: sudah menerima {tahap_modal} pada periode yang sama.")
        expect(row2).to_contain_text(KEPALA_2)
        expect(row2).not_to_contain_text(OVERLAP)
        expect(row2).not_to_contain_text("⚑")
        entri_k1 = EntriDaftar.objects.get(daftar_id=daftar_pk, keluarga=k1)
        entri_k2 = EntriDaftar.objects.get(daftar_id=daftar_pk, keluarga=k2)
        desk_a.get_by_role("button", name="Ajukan untuk verifikasi").click()

        expect(desk_a).to_have_url(daftar_url)
        expect(desk_a.locator(".alert-success")).to_have_text("Daftar diajukan untuk verifikasi.")
        # Separation of duties: the submitter's own verification is refused, naming the rule.
        desk_a.get_by_role("button", name="Verifikasi daftar").click()
        expect(desk_a).to_have_url(daftar_url)
        expect(desk_a.locator(".alert-danger")).to_contain_text(
            "Pemisahan tugas: pengaju daftar penerima tidak boleh memverifikasinya"
        )
        expect(desk_a.locator(".badge.fs-6")).to_have_text("Diajukan")
        _log_in(desk_c, base, "dinsos_c")
        desk_c.goto(daftar_url)
        desk_c.get_by_role("button", name="Verifikasi daftar").click()
        expect(desk_c).to_have_url(daftar_url)
        expect(desk_c.locator(".alert-success")).to_have_text(
            "Daftar diverifikasi; menunggu persetujuan di admin."
        )
        expect(desk_c.locator(".badge.fs-6")).to_have_text("Diverifikasi")
        _shot(desk_c, artifacts, "bantuan-05-daftar-diverifikasi.png")
        desk_a.reload()
        expect(desk_a.get_by_role("link", name="Putuskan di admin")).to_be_visible()

        # -- 3a. The submitter cannot approve their own list ---------------------------------------
        admin_change = f"{base}/admin/bantuan/daftarpenerima/{daftar_pk}/change/"
        desk_a.get_by_role("link", name="Putuskan di admin").click()
        expect(desk_a).to_have_url(admin_change)
        # Four eyes: the submitter is not offered the approval; typing its URL is refused too.
        expect(desk_a.locator("#content .object-tools")).not_to_contain_text("Setujui daftar")
        desk_a.goto(f"{base}/admin/bantuan/daftarpenerima/{daftar_pk}/setujui/")
        refusal = desk_a.locator("#content .errornote")
        expect(refusal).to_have_count(1)
        expect(refusal).to_contain_text("Pemisahan tugas: pengaju daftar penerima tidak boleh menyetujuinya")
        expect(desk_a.locator("input[type=submit][value='Setujui dan bekukan daftar']")).to_have_count(0)
        _shot(desk_a, artifacts, "bantuan-06-admin-pengaju-ditolak.png")
        daftar = DaftarPenerima.objects.get(pk=daftar_pk)
        assert daftar.status == StatusDaftar.DIVERIFIKASI
        assert daftar.diputuskan_oleh is None and daftar.nomor_sk == ""

        # -- 3b. dinsos_b reviews the flags in the admin and approves with an SK -------------------
        _log_in(desk_b, base, "dinsos_b")
        desk_b.goto(admin_change)
        table = desk_b.locator("table#entri-daftar")
        expect(table.locator("tbody tr")).to_have_count(2)
        admin_row1 = table.locator("tbody tr", has_text=k1.no_kk)
        admin_row2 = table.locator("tbody tr", has_text=k2.no_kk)
        expect(admin_row1.locator(".tanda")).to_have_count(1)
        expect(admin_row1.locator(".tanda")).to_contain_text(OVERLAP)
        expect(admin_row1).to_have_class(re.compile(r"\bentri-bertanda\b"))
        expect(admin_row2.locator(".tanda")).to_have_count(0)
        expect(admin_row2).not_to_contain_text(OVERLAP)
        _shot(desk_b, artifacts, "bantuan-07-admin-tinjau.png")
        desk_b.locator("#content .object-tools").get_by_role("link", name="Setujui daftar").click()
        expect(desk_b).to_have_url(f"{base}/admin/bantuan/daftarpenerima/{daftar_pk}/setujui/")
        desk_b.locator("#id_nomor_sk").fill(NOMOR_SK)
        desk_b.locator("#id_tanggal_sk").fill(today.isoformat())
        # The flagged household asks for a written reason; sent without one, nothing is approved.
        reason_box = desk_b.locator(f"textarea[name=alasan_{entri_k1.pk}]")
        expect(reason_box).to_be_visible()
        expect(desk_b.locator(f"textarea[name=alasan_{entri_k2.pk}]")).to_have_count(0)
        reason_box.evaluate("el => el.removeAttribute('required')")  # as an old browser would send it
        desk_b.locator("input[type=submit][value='Setujui dan bekukan daftar']").click()
        refused = desk_b.locator("ul.messagelist li.error")
        expect(refused).to_contain_text(f"KK {k1.no_kk}")
        expect(refused).to_contain_text("Tuliskan alasan persetujuannya")
        assert DaftarPenerima.objects.get(pk=daftar_pk).status == StatusDaftar.DIVERIFIKASI
        _shot(desk_b, artifacts, "bantuan-07b-admin-alasan-diminta.png")
        desk_b.locator("#id_nomor_sk").fill(NOMOR_SK)
        desk_b.locator("#id_tanggal_sk").fill(today.isoformat())
        desk_b.locator(f"textarea[name=alasan_{entri_k1.pk}]").fill(ALASAN)
        desk_b.locator("input[type=submit][value='Setujui dan bekukan daftar']").click()

        expect(desk_b).to_have_url(admin_change)
        expect(desk_b.locator("ul.messagelist li.success")).to_have_text("Daftar disetujui dan dibekukan.")
        expect(desk_b.locator(".field-status .readonly")).to_contain_text("Disetujui")
        expect(desk_b.locator(".field-nomor_sk .readonly")).to_have_text(NOMOR_SK)
        expect(desk_b.locator("#content .object-tools")).not_to_contain_text("Setujui daftar")
        _shot(desk_b, artifacts, "bantuan-08-admin-disetujui.png")

        # -- 3c. The SK annex prints each recipient with the approver's reason ---------------------
        desk_b.goto(daftar_url)
        desk_b.get_by_role("link", name="Lampiran SK").click()
        expect(desk_b).to_have_url(f"{base}/bantuan/daftar/{daftar_pk}/lampiran-sk/")
        expect(desk_b.get_by_role("heading", level=1)).to_have_text("LAMPIRAN SURAT KEPUTUSAN")
        annex_rows = desk_b.locator("table tbody tr")
        expect(annex_rows).to_have_count(2)
        expect(annex_rows.filter(has_text=k1.no_kk)).to_contain_text(ALASAN)
        expect(annex_rows.filter(has_text=k1.no_kk)).to_contain_text(OVERLAP)
        expect(desk_b.locator("body")).to_contain_text("disetujui oleh Dinsos B")
        desk_b.emulate_media(media="print")
        desk_b.pdf(path=str(artifacts / "bantuan-lampiran-sk.pdf"), prefer_css_page_size=True)
        desk_b.emulate_media(media="screen")
        _shot(desk_b, artifacts, "bantuan-08b-lampiran-sk.png")

        # -- 4. The TKSK records the distribution with a photo -------------------------------------
        phone.goto(k1_url)
        sembako_card = phone.locator("#bantuan ~ .card", has_text=SEMBAKO)
        expect(sembako_card.locator(".badge")).to_have_text("Disetujui")
        expect(sembako_card).to_contain_text(f"SK {NOMOR_SK}")
        sembako_card.get_by_role("link", name="Catat penyaluran").click()
        expect(phone).to_have_url(re.compile(re.escape(base) + r"/bantuan/entri/\d+/salurkan/$"))
        expect(phone.get_by_role("heading", level=1)).to_have_text("Catat penyaluran")
        phone.locator("#id_tanggal").fill(today.isoformat())
        phone.locator("#id_uraian").fill("Paket sembako: beras 10 kg, minyak 2 L, gula 1 kg")
        phone.locator("#id_penerima").select_option("langsung")
        phone.locator("input[name=foto]").set_input_files(str(foto))
        _fits_phone(phone)
        _shot(phone, artifacts, "bantuan-09-penyaluran-isi.png")
        phone.get_by_role("button", name="Simpan penyaluran").click()

        expect(phone).to_have_url(re.compile(re.escape(base) + r"/bantuan/penyaluran/\d+/$"))
        expect(phone.locator(".alert-success")).to_have_text("Penyaluran tercatat.")
        expect(phone.locator("dl")).to_contain_text(f"KK {k1.no_kk}")
        expect(phone.locator("dl")).to_contain_text("Penerima sendiri")
        img = phone.get_by_role("img", name="Foto bukti penyaluran")
        expect(img).to_be_visible()
        phone.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=TIMEOUT_MS
        )
        assert img.evaluate("img => img.naturalWidth") == 64
        jadwal = today + datetime.timedelta(days=30)
        expect(phone.locator(".list-group-item", has_text="Jadwal")).to_contain_text(
            f"Jadwal {jadwal:%d/%m/%Y} · Terjadwal"
        )
        _fits_phone(phone)
        _shot(phone, artifacts, "bantuan-10-penyaluran-foto.png")

        # -- 5. The Berita Acara Serah Terima of the stage and kelurahan ---------------------------
        ba_url = f"{base}/bantuan/tahap/{tahap.pk}/berita-acara/{f.KEL_KANIGARAN}/"
        phone.goto(ba_url)
        expect(phone.get_by_role("heading", level=1)).to_contain_text("BERITA ACARA SERAH TERIMA")
        body = phone.locator("body")
        expect(body).to_contain_text(k1.no_kk)
        expect(body).to_contain_text(f"SK Nomor {NOMOR_SK}")
        expect(body).not_to_contain_text(k2.no_kk)  # approved but not yet distributed
        ba_rows = phone.locator("table tbody tr")
        expect(ba_rows).to_have_count(1)
        expect(ba_rows.first).to_contain_text(KEPALA_1)
        expect(ba_rows.first).to_contain_text("penerima sendiri")
        _shot(phone, artifacts, "bantuan-11-berita-acara.png")
        phone.emulate_media(media="print")
        expect(phone.get_by_role("button", name="Cetak")).to_be_hidden()
        _shot(phone, artifacts, "bantuan-12-berita-acara-cetak.png")
        phone.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
        phone.emulate_media(media="screen")
        assert pdf_path.read_bytes().startswith(b"%PDF")
    finally:
        tksk_ctx.close()
        a_ctx.close()
        b_ctx.close()
        c_ctx.close()

    # -- 6. The database holds what the screens did ------------------------------------------------
    daftar = DaftarPenerima.objects.get(pk=daftar_pk)
    assert daftar.status == StatusDaftar.DISETUJUI
    assert daftar.diajukan_oleh == dinsos_a
    assert daftar.diverifikasi_oleh == dinsos_c
    assert daftar.diputuskan_oleh == dinsos_b
    assert (daftar.nomor_sk, daftar.tanggal_sk) == (NOMOR_SK, today)
    assert set(daftar.entri.filter(aktif=True).values_list("keluarga_id", flat=True)) == {k1.pk, k2.pk}
    entri1 = EntriDaftar.objects.get(daftar=daftar, keluarga=k1)
    penyaluran = list(Penyaluran.objects.filter(entri__keluarga=k1))
    assert len(penyaluran) == 1
    p = penyaluran[0]
    assert p.entri == entri1
    assert (p.tanggal, p.penerima, p.petugas) == (today, "langsung", tksk)
    assert p.foto and p.foto.name.startswith("bukti/penyaluran/")
    with p.foto.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"
    assert not Penyaluran.objects.filter(entri__keluarga=k2).exists()
    pemantauan = list(Pemantauan.objects.filter(penyaluran=p))
    assert len(pemantauan) == 1
    assert pemantauan[0].jadwal == today + datetime.timedelta(days=30)
    assert pemantauan[0].status == StatusPemantauan.TERJADWAL

    # -- 7. No JavaScript or resource errors in any browser context --------------------------------
    assert tksk_errors == []
    assert a_errors == []
    assert b_errors == []
