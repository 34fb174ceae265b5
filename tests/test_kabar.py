"""Notifications: every event reaches the users of the area it concerns, and only them; the inbox,
its count, opening and e-mail; Beranda lists what waits for each role."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.choices import JenisPenugasan as J
from accounts.models import Penugasan
from bantuan import services as aid
from bantuan.models import AmandemenDaftar
from kabar.choices import Peristiwa
from kabar.models import Notifikasi
from pmks import services as pmks_services
from tests import factories as f
from tksk import services as tksk_services

pytestmark = pytest.mark.django_db


def told(jenis: Peristiwa) -> dict[str, list[Notifikasi]]:
    """username -> the notifications of this kind they received."""
    out: dict[str, list[Notifikasi]] = {}
    for n in Notifikasi.objects.filter(jenis=jenis).select_related("penerima").order_by("pk"):
        out.setdefault(n.penerima.username, []).append(n)
    return out


@pytest.fixture
def staged(city):
    """Verified PMKS records and proposals from both kecamatan for an open sembako stage."""
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=c)
    Notifikasi.objects.all().delete()
    city.tahap = f.make_tahap(f.make_program())
    for suffix, tksk in (
        ("in", city.tksk_kanigaran),
        ("tisno", city.tksk_kanigaran),
        ("out", city.tksk_mayangan),
    ):
        usulan = aid.usulan_create(
            actor=tksk, tahap=city.tahap, keluarga=getattr(city, f"k_{suffix}"), alasan="Fakir miskin."
        )
        setattr(city, f"usulan_{suffix}", usulan)
    return city


# -- Who hears of what ---------------------------------------------------------------------------


def test_pmks_verified_reaches_the_recorder_and_the_kecamatan_tksk_only(city):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in, note="Sesuai kunjungan.")
    got = told(Peristiwa.PMKS_DIVERIFIKASI)
    assert set(got) == {"tksk_kanigaran_uji"}
    n = got["tksk_kanigaran_uji"][0]
    assert "Slamet Riyadi" in n.judul and city.k_in.no_kk in n.judul
    assert n.tautan == f"/keluarga/{city.k_in.pk}/"
    assert n.wilayah_id == city.k_in.kelurahan_id and n.pelaku == city.dinsos


def test_pmks_rejected_carries_the_reason(city):
    pmks_services.catatan_pmks_reject(
        actor=city.dinsos, catatan=city.pmks_out, note="Penghasilan di atas batas."
    )
    got = told(Peristiwa.PMKS_DITOLAK)
    assert set(got) == {"tksk_mayangan_uji"}
    assert "Penghasilan di atas batas." in got["tksk_mayangan_uji"][0].isi


def test_a_failed_change_announces_nothing(city):
    with pytest.raises(ValidationError):
        pmks_services.catatan_pmks_reject(actor=city.dinsos, catatan=city.pmks_in, note=" ")
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    before = Notifikasi.objects.count()
    with pytest.raises(ValidationError):  # already verified
        pmks_services.catatan_pmks_verify(actor=city.dinsos2, catatan=city.pmks_in)
    assert Notifikasi.objects.count() == before


def test_the_successor_tksk_hears_and_the_one_who_left_does_not(city):
    """After a hand-over the record's author no longer covers the area: only the new TKSK hears."""
    today = timezone.localdate()
    Penugasan.objects.filter(user=city.tksk_kanigaran).update(selesai=today - datetime.timedelta(days=1))
    Penugasan.objects.filter(user=city.tksk_mayangan).update(selesai=today - datetime.timedelta(days=1))
    successor = f.make_user("tksk_baru", "TKSK", J.TKSK, f.KANIGARAN, mulai=today)
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    assert set(told(Peristiwa.PMKS_DIVERIFIKASI)) == {successor.username}


def test_proposal_rejected_reaches_the_proposer(staged):
    aid.usulan_reject(
        actor=staged.dinsos, usulan=staged.usulan_in, alasan="Belum ada berita acara musyawarah."
    )
    got = told(Peristiwa.USULAN_DITOLAK)
    assert set(got) == {"tksk_kanigaran_uji"}
    assert "Belum ada berita acara musyawarah." in got["tksk_kanigaran_uji"][0].isi


def test_list_steps_reach_the_next_staff_and_the_field_per_kecamatan(staged):
    daftar = aid.daftar_build(actor=staged.dinsos, tahap=staged.tahap)
    onto = told(Peristiwa.USULAN_MASUK_DAFTAR)
    assert set(onto) == {"tksk_kanigaran_uji", "tksk_mayangan_uji"}
    kanigaran = onto["tksk_kanigaran_uji"][0]
    assert kanigaran.judul.startswith("2 usulan") and "Slamet Riyadi" in kanigaran.isi
    assert "Abdul Mayangan" not in kanigaran.isi  # another kecamatan's family stays there
    assert "Slamet Riyadi" not in onto["tksk_mayangan_uji"][0].isi

    aid.daftar_submit(actor=staged.dinsos, daftar=daftar)
    assert set(told(Peristiwa.DAFTAR_DIAJUKAN)) == {"dinsos2_uji", "dinsos3_uji"}  # not the actor, no TKSK

    aid.daftar_verify(actor=staged.dinsos3, daftar=daftar)
    # Approvers (and the submitter): everyone of the city staff but the verifier.
    assert set(told(Peristiwa.DAFTAR_DIVERIFIKASI)) == {"dinsos_uji", "dinsos2_uji"}

    aid.daftar_approve(
        actor=staged.dinsos2,
        daftar=daftar,
        nomor_sk="460/7/425.104/2026",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan=f.reasons_for(daftar),
    )
    approved = told(Peristiwa.USULAN_DISETUJUI)
    assert set(approved) == {"tksk_kanigaran_uji", "tksk_mayangan_uji"}
    assert "460/7/425.104/2026" in approved["tksk_kanigaran_uji"][0].isi
    listed = told(Peristiwa.DAFTAR_DISETUJUI)
    # The submitter and verifier; the officer of Kelurahan Kanigaran for its one family only.
    assert set(listed) == {"dinsos_uji", "dinsos3_uji", "kelurahan_kanigaran_uji"}
    assert listed["kelurahan_kanigaran_uji"][0].judul.startswith("1 keluarga")


def test_list_returned_reaches_its_submitter_with_the_reason(staged):
    daftar = aid.daftar_build(actor=staged.dinsos, tahap=staged.tahap)
    aid.daftar_submit(actor=staged.dinsos, daftar=daftar)
    aid.daftar_reject(actor=staged.dinsos2, daftar=daftar, alasan="Kuota kecamatan terlampaui.")
    got = told(Peristiwa.DAFTAR_DITOLAK)
    assert set(got) == {"dinsos_uji"}
    assert "Kuota kecamatan terlampaui." in got["dinsos_uji"][0].isi


def test_amendments_reach_the_deciders_then_the_proposer_and_the_field(staged):
    daftar = f.approve_list(staged.tahap, builder=staged.dinsos, approver=staged.dinsos2)
    Notifikasi.objects.all().delete()
    entri = daftar.entri.get(keluarga=staged.k_tisno)
    amandemen = aid.amandemen_propose(
        actor=staged.dinsos,
        daftar=daftar,
        jenis=AmandemenDaftar.Jenis.KELUARKAN,
        alasan="Pindah ke luar kota.",
        entri=entri,
    )
    assert set(told(Peristiwa.AMANDEMEN_DIAJUKAN)) == {"dinsos2_uji", "dinsos3_uji"}
    aid.amandemen_approve(actor=staged.dinsos3, amandemen=amandemen)
    assert set(told(Peristiwa.AMANDEMEN_DIPUTUSKAN)) == {"dinsos_uji"}
    taken_off = told(Peristiwa.USULAN_DITOLAK)
    assert set(taken_off) == {"tksk_kanigaran_uji"}
    assert "Pindah ke luar kota." in taken_off["tksk_kanigaran_uji"][0].isi


def test_distribution_reaches_the_kelurahan_office_and_the_tksk_when_someone_else_records_it(staged):
    daftar = f.approve_list(staged.tahap, builder=staged.dinsos, approver=staged.dinsos2)
    Notifikasi.objects.all().delete()
    for keluarga, actor in ((staged.k_in, staged.dinsos3), (staged.k_tisno, staged.tksk_kanigaran)):
        aid.penyaluran_create(
            actor=actor,
            entri=daftar.entri.get(keluarga=keluarga),
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket sembako",
            penerima="langsung",
        )
    got = told(Peristiwa.PENYALURAN)
    # Kelurahan Kanigaran's officer hears of its family only; the TKSK only of what a colleague did.
    assert {u: len(ns) for u, ns in got.items()} == {"kelurahan_kanigaran_uji": 1, "tksk_kanigaran_uji": 1}
    assert "Slamet Riyadi" in got["kelurahan_kanigaran_uji"][0].judul
    assert "Slamet Riyadi" in got["tksk_kanigaran_uji"][0].judul


def test_monthly_report_submitted_then_returned_then_accepted(city):
    from wilayah.models import Wilayah

    laporan = tksk_services.laporan_submit(
        actor=city.tksk_kanigaran,
        kecamatan=Wilayah.objects.get(pk=f.KANIGARAN),
        bulan=datetime.date(2026, 3, 1),
        catatan_tksk="",
    )
    assert set(told(Peristiwa.LAPORAN_DIAJUKAN)) == {"dinsos_uji", "dinsos2_uji", "dinsos3_uji"}
    tksk_services.laporan_return(actor=city.dinsos, laporan=laporan, komentar="Lengkapi rujukan.")
    returned = told(Peristiwa.LAPORAN_DIKEMBALIKAN)
    assert (
        set(returned) == {"tksk_kanigaran_uji"}
        and "Lengkapi rujukan." in returned["tksk_kanigaran_uji"][0].isi
    )
    tksk_services.laporan_submit(
        actor=city.tksk_kanigaran, kecamatan=laporan.kecamatan, bulan=laporan.bulan, catatan_tksk="Sudah."
    )
    tksk_services.laporan_accept(actor=city.dinsos2, laporan=laporan)
    assert set(told(Peristiwa.LAPORAN_DITERIMA)) == {"tksk_kanigaran_uji"}


def test_reminders_of_follow_ups_coming_due_are_sent_once(aid):
    from bantuan.models import Pemantauan

    Notifikasi.objects.all().delete()
    today = timezone.localdate()
    Pemantauan.objects.filter(pk=aid.pemantauan_in.pk).update(jadwal=today + datetime.timedelta(days=2))
    Pemantauan.objects.filter(pk=aid.pemantauan_out.pk).update(jadwal=today + datetime.timedelta(days=20))
    Pemantauan.objects.filter(pk=aid.pemantauan_tisno.pk).update(jadwal=today - datetime.timedelta(days=5))
    call_command("kirim_pengingat")
    due = told(Peristiwa.PEMANTAUAN_JATUH_TEMPO)
    assert {u: len(ns) for u, ns in due.items()} == {"tksk_kanigaran_uji": 2}  # Mayangan's is 20 days off
    visits = told(Peristiwa.TINDAK_LANJUT_JATUH_TEMPO)  # the visits' follow-ups (20/03/2026) are overdue
    assert {u: len(ns) for u, ns in visits.items()} == {"tksk_kanigaran_uji": 2, "tksk_mayangan_uji": 1}
    # Named by the family, overdue said as such.
    assert any(
        "Slamet Riyadi" in n.judul and "terlambat sejak 20/03/2026" in n.judul
        for n in visits["tksk_kanigaran_uji"]
    )
    assert any("Slamet Riyadi" in n.judul and "jatuh tempo" in n.judul for n in due["tksk_kanigaran_uji"])
    before = Notifikasi.objects.count()
    call_command("kirim_pengingat")
    assert Notifikasi.objects.count() == before
    # A follow-up moved to a new date is announced again for that date.
    Pemantauan.objects.filter(pk=aid.pemantauan_out.pk).update(jadwal=today)
    call_command("kirim_pengingat")
    assert set(told(Peristiwa.PEMANTAUAN_JATUH_TEMPO)) == {"tksk_kanigaran_uji", "tksk_mayangan_uji"}


# -- The inbox -------------------------------------------------------------------------------------


def test_inbox_count_open_marks_read_and_redirects(city, login):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    pmks_services.catatan_pmks_reject(actor=city.dinsos, catatan=city.pmks_tisno, note="Tidak sesuai.")
    client = login(city.tksk_kanigaran)
    page = client.get("/beranda/").content.decode()
    assert 'data-testid="kabar-belum-dibaca">2<' in page
    assert "Slamet Riyadi" in page  # listed under "Pemberitahuan baru" on Beranda
    inbox = client.get("/kabar/").content.decode()
    assert "Bambang Tisno" in inbox and "Tidak sesuai." in inbox
    n = Notifikasi.objects.get(penerima=city.tksk_kanigaran, jenis=Peristiwa.PMKS_DIVERIFIKASI)
    response = client.get(f"/kabar/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/keluarga/{city.k_in.pk}/"
    n.refresh_from_db()
    assert n.dibaca_pada is not None
    assert 'data-testid="kabar-belum-dibaca">1<' in client.get("/beranda/").content.decode()
    client.post("/kabar/semua-dibaca/")
    assert not Notifikasi.objects.filter(penerima=city.tksk_kanigaran, dibaca_pada__isnull=True).exists()
    assert 'data-testid="kabar-belum-dibaca"' not in client.get("/beranda/").content.decode()


def test_another_users_notification_is_404_and_stays_unread(city, login):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    n = Notifikasi.objects.get(penerima=city.tksk_kanigaran)
    for user in (city.tksk_mayangan, city.kelurahan, city.dinsos2):
        assert login(user).get(f"/kabar/{n.pk}/").status_code == 404
    n.refresh_from_db()
    assert n.dibaca_pada is None


def test_an_area_left_behind_disappears_from_the_inbox(city, login):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    n = Notifikasi.objects.get(penerima=city.tksk_kanigaran)
    Penugasan.objects.filter(user=city.tksk_kanigaran).update(
        selesai=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = login(city.tksk_kanigaran)
    assert "Slamet Riyadi" not in client.get("/kabar/").content.decode()
    assert client.get(f"/kabar/{n.pk}/").status_code == 404


def test_a_redirect_never_leaves_the_site(city, login):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    n = Notifikasi.objects.get(penerima=city.tksk_kanigaran)
    Notifikasi.objects.filter(pk=n.pk).update(tautan="//evil.example/")
    response = login(city.tksk_kanigaran).get(f"/kabar/{n.pk}/")
    assert response["Location"] == "/kabar/"


def test_email_is_optional_and_carries_no_personal_data(city, login, django_capture_on_commit_callbacks):
    client = login(city.tksk_kanigaran)
    client.post("/kabar/email/", {"aktif": "1"})
    city.tksk_kanigaran.refresh_from_db()
    assert not city.tksk_kanigaran.terima_email  # no address on the account: refused
    city.tksk_kanigaran.email = "tksk@example.org"
    city.tksk_kanigaran.save()
    client.post("/kabar/email/", {"aktif": "1"})
    city.tksk_kanigaran.refresh_from_db()
    assert city.tksk_kanigaran.terima_email
    with django_capture_on_commit_callbacks(execute=True):
        pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tksk@example.org"]
    body = message.subject + message.body
    assert "Catatan PMKS diverifikasi" in body
    for secret in (city.k_in.no_kk, "Slamet", *city.k_in.anggota.values_list("nik", flat=True)):
        assert secret not in body
    client.post("/kabar/email/", {"aktif": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_tisno)
    assert len(mail.outbox) == 1


# -- Beranda: "today" per role -----------------------------------------------------------------------


def test_beranda_shows_the_dinas_what_waits_for_it(staged, login):
    daftar = aid.daftar_build(actor=staged.dinsos, tahap=staged.tahap)
    aid.daftar_submit(actor=staged.dinsos, daftar=daftar)
    f.make_pmks(staged.tksk_mayangan, staged.k_out, singkatan="KBSP")
    page = login(staged.dinsos2).get("/beranda/").content.decode()
    assert 'data-testid="tugas-daftar-verifikasi"' in page
    assert 'data-testid="tugas-pmks-verifikasi"' in page and "Abdul Mayangan" in page
    own = login(staged.dinsos).get("/beranda/").content.decode()
    assert "diputuskan staf lain" in own  # the submitter is told someone else verifies
    tksk = login(staged.tksk_kanigaran).get("/beranda/").content.decode()
    assert (
        'data-testid="tugas-daftar-verifikasi"' not in tksk
        and 'data-testid="tugas-pmks-verifikasi"' not in tksk
    )


def test_beranda_shows_the_field_what_came_back(staged, login):
    aid.usulan_reject(actor=staged.dinsos, usulan=staged.usulan_in, alasan="Data rumah belum lengkap.")
    f.make_pmks(staged.tksk_kanigaran, staged.k_tisno, singkatan="KBSP")
    lut = staged.k_tisno.catatan_pmks.get(kategori__singkatan="KBSP")
    pmks_services.catatan_pmks_reject(actor=staged.dinsos, catatan=lut, note="Tidak ada masalah psikologis.")
    page = login(staged.tksk_kanigaran).get("/beranda/").content.decode()
    assert 'data-testid="tugas-usulan-ditolak"' in page and "Data rumah belum lengkap." in page
    assert 'data-testid="tugas-pmks-ditolak"' in page and "Tidak ada masalah psikologis." in page
    other = login(staged.tksk_mayangan).get("/beranda/").content.decode()
    assert "Data rumah belum lengkap." not in other and "Tidak ada masalah psikologis." not in other


def test_beranda_lists_returned_and_waiting_monthly_reports(aid, login):
    page = login(aid.dinsos).get("/beranda/").content.decode()
    assert 'data-testid="tugas-laporan-diperiksa"' in page
    tksk_services.laporan_return(actor=aid.dinsos, laporan=aid.laporan_kanigaran, komentar="Tambahkan foto.")
    tksk = login(aid.tksk_kanigaran).get("/beranda/").content.decode()
    assert 'data-testid="tugas-laporan-dikembalikan"' in tksk and "Tambahkan foto." in tksk
    assert "Tambahkan foto." not in login(aid.tksk_mayangan).get("/beranda/").content.decode()


def test_opening_the_object_by_any_route_marks_it_read(city, login):
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    pmks_services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_tisno)
    client = login(city.tksk_kanigaran)
    assert client.get(f"/keluarga/{city.k_in.pk}/").status_code == 200  # from a search, say
    unread = Notifikasi.objects.filter(penerima=city.tksk_kanigaran, dibaca_pada__isnull=True)
    assert [n.tautan for n in unread] == [f"/keluarga/{city.k_tisno.pk}/"]
    # Another user opening the same page marks nothing of this user's.
    pmks_services.catatan_pmks_reject(
        actor=city.dinsos,
        catatan=f.make_pmks(city.tksk_kanigaran, city.k_in, singkatan="KBSP"),
        note="Tidak.",
    )
    login(city.dinsos2).get(f"/keluarga/{city.k_in.pk}/")
    assert Notifikasi.objects.filter(penerima=city.tksk_kanigaran, dibaca_pada__isnull=True).count() == 2
