"""Aid screens and the admin approval, as each role (including those that must be refused)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bantuan import services as aid
from bantuan.choices import StatusDaftar
from bantuan.models import DaftarPenerima, EntriDaftar, Pemantauan, Penyaluran, Usulan
from pmks.services import catatan_pmks_verify
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(city):
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    city.program = f.make_program("sembako", nama="Sembako APBD Kota")
    city.tahap = f.make_tahap(city.program)
    return city


# -- Proposals ------------------------------------------------------------------------------------


def test_tksk_proposes_from_the_household_page(stage, login):
    client = login(stage.tksk_kanigaran)
    url = reverse("bantuan:usulan_create", args=[stage.k_in.pk])
    page = client.get(url).content.decode()
    assert "Sembako APBD Kota" in page and "tidak ada tanda" in page
    response = client.post(url, {"tahap": stage.tahap.pk, "alasan": "Lansia sendiri"}, follow=True)
    assert "Usulan" in response.content.decode()
    assert Usulan.objects.filter(keluarga=stage.k_in, diusulkan_oleh=stage.tksk_kanigaran).count() == 1
    # The household page shows the proposal and its fate.
    page = client.get(reverse("pmks:keluarga_detail", args=[stage.k_in.pk])).content.decode()
    assert "Menunggu disusun ke daftar" in page
    # Twice: a clear message, nothing new.
    response = client.post(url, {"tahap": stage.tahap.pk, "alasan": "lagi"})
    assert "sudah diusulkan" in response.content.decode()
    assert Usulan.objects.filter(keluarga=stage.k_in).count() == 1


def test_proposing_another_areas_household_is_404(stage, login):
    client = login(stage.tksk_kanigaran)
    url = reverse("bantuan:usulan_create", args=[stage.k_out.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"tahap": stage.tahap.pk, "alasan": "x"}).status_code == 404
    assert not Usulan.objects.exists()


def test_bulk_proposal_with_a_hand_posted_foreign_household_saves_nothing(stage, login):
    client = login(stage.tksk_kanigaran)
    url = reverse("bantuan:usulan_massal")
    page = client.get(url, {"kelurahan": f.KEL_KANIGARAN}).content.decode()
    assert stage.k_in.no_kk in page and stage.k_out.no_kk not in page
    response = client.post(
        url,
        {"tahap": stage.tahap.pk, "alasan": "FM", "keluarga": [stage.k_in.pk, stage.k_out.pk]},
        follow=True,
    )
    assert "di luar wilayah tugas Anda" in response.content.decode()
    assert not Usulan.objects.exists()
    client.post(url, {"tahap": stage.tahap.pk, "alasan": "FM", "keluarga": [stage.k_in.pk, stage.k_tisno.pk]})
    assert Usulan.objects.count() == 2


@pytest.mark.parametrize("who", ["kelurahan", "no_role"])
def test_non_field_roles_cannot_propose(stage, login, who):
    response = login(getattr(stage, who)).post(
        reverse("bantuan:usulan_create", args=[stage.k_in.pk]), {"tahap": stage.tahap.pk, "alasan": "x"}
    )
    assert response.status_code in (403, 404)
    assert not Usulan.objects.exists()


# -- Lists and admin approval ---------------------------------------------------------------------


def _proposed(stage):
    for s, tksk in (
        ("in", stage.tksk_kanigaran),
        ("tisno", stage.tksk_kanigaran),
        ("out", stage.tksk_mayangan),
    ):
        aid.usulan_create(actor=tksk, tahap=stage.tahap, keluarga=getattr(stage, f"k_{s}"), alasan="FM")


def test_staff_build_and_submit_a_list_on_screen(stage, login):
    _proposed(stage)
    client = login(stage.dinsos)
    response = client.post(reverse("bantuan:daftar_build", args=[stage.tahap.pk]))
    daftar = DaftarPenerima.objects.get(tahap=stage.tahap)
    assert response["Location"] == reverse("bantuan:daftar_detail", args=[daftar.pk])
    assert daftar.entri.count() == 3
    client.post(reverse("bantuan:daftar_action", args=[daftar.pk]), {"aksi": "ajukan", "versi": daftar.versi})
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIAJUKAN
    # A stale page (old version) is refused with a message.
    response = client.post(
        reverse("bantuan:daftar_action", args=[daftar.pk]),
        {"aksi": "verifikasi", "versi": daftar.versi - 1},
        follow=True,
    )
    assert "baru saja diubah" in response.content.decode()


@pytest.mark.parametrize("who", ["tksk_kanigaran", "kelurahan"])
def test_field_roles_cannot_build_or_move_lists(stage, login, who):
    _proposed(stage)
    client = login(getattr(stage, who))
    assert client.post(reverse("bantuan:daftar_build", args=[stage.tahap.pk])).status_code == 403
    daftar = aid.daftar_build(actor=stage.dinsos, tahap=stage.tahap)
    client.post(reverse("bantuan:daftar_action", args=[daftar.pk]), {"aksi": "ajukan", "versi": daftar.versi})
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DRAF


def test_kelurahan_officer_sees_only_own_kelurahan_on_a_list(stage, login):
    _proposed(stage)
    daftar = aid.daftar_build(actor=stage.dinsos, tahap=stage.tahap)
    page = login(stage.kelurahan).get(reverse("bantuan:daftar_detail", args=[daftar.pk])).content.decode()
    assert stage.k_in.no_kk in page
    assert stage.k_tisno.no_kk not in page and stage.k_out.no_kk not in page


def _verified(stage):
    _proposed(stage)
    daftar = aid.daftar_build(actor=stage.dinsos, tahap=stage.tahap)
    aid.daftar_submit(actor=stage.dinsos, daftar=daftar)
    return aid.daftar_verify(actor=stage.dinsos3, daftar=daftar)


def test_admin_shows_flags_and_approves_with_sk(stage, client):
    other = f.make_program("modal-uji", nama="Modal Usaha")
    other.tidak_bersama.add(stage.program)
    earlier = f.make_tahap(other)
    aid.usulan_create(actor=stage.tksk_kanigaran, tahap=earlier, keluarga=stage.k_in, alasan="x")
    f.approve_list(earlier, builder=stage.dinsos, approver=stage.dinsos2)
    daftar = _verified(stage)
    client.force_login(stage.dinsos2)
    page = client.get(reverse("admin:bantuan_daftarpenerima_change", args=[daftar.pk])).content.decode()
    assert "Tumpang tindih: sudah menerima Modal Usaha" in page
    assert "Setujui daftar" in page
    url = reverse("admin:bantuan_daftarpenerima_setujui", args=[daftar.pk])
    data = {"nomor_sk": "460/77/2026", "tanggal_sk": "01/02/2026", "versi": daftar.versi}
    # The flagged household needs the approver's written reason: refused, nothing approved.
    response = client.post(url, data)
    assert response.status_code == 200 and "Tuliskan alasan persetujuannya" in response.content.decode()
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIVERIFIKASI
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=stage.k_in)
    response = client.post(url, {**data, f"alasan_{entri.pk}": "Modal usaha sudah habis dipakai berobat."})
    assert response.status_code == 302
    entri.refresh_from_db()
    assert entri.alasan_pengecualian == "Modal usaha sudah habis dipakai berobat."
    assert entri.dasar_persetujuan["tanda"][0]["kode"] == "tumpang_tindih"
    daftar.refresh_from_db()
    assert (daftar.status, daftar.nomor_sk, daftar.diputuskan_oleh) == (
        StatusDaftar.DISETUJUI,
        "460/77/2026",
        stage.dinsos2,
    )


def test_admin_refuses_the_submitter_as_approver(stage, client):
    daftar = _verified(stage)
    client.force_login(stage.dinsos)
    page = client.get(reverse("admin:bantuan_daftarpenerima_change", args=[daftar.pk])).content.decode()
    assert "Setujui daftar" not in page and "Tolak daftar" in page
    url = reverse("admin:bantuan_daftarpenerima_setujui", args=[daftar.pk])
    response = client.post(
        url, {"nomor_sk": "SK", "tanggal_sk": "01/02/2026", "versi": daftar.versi}, follow=True
    )
    assert "persetujuan harus oleh staf lain" in response.content.decode()
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIVERIFIKASI


def test_admin_reject_needs_reason_and_action_takes_one_list(stage, client):
    daftar = _verified(stage)
    client.force_login(stage.dinsos2)
    response = client.post(
        reverse("admin:bantuan_daftarpenerima_changelist"),
        {"action": "tolak", "_selected_action": [daftar.pk]},
    )
    assert response["Location"] == reverse("admin:bantuan_daftarpenerima_tolak", args=[daftar.pk])
    url = reverse("admin:bantuan_daftarpenerima_tolak", args=[daftar.pk])
    assert client.post(url, {"alasan": "", "versi": daftar.versi}).status_code == 200
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIVERIFIKASI
    client.post(url, {"alasan": "Kuota kecamatan belum dibagi", "versi": daftar.versi})
    daftar.refresh_from_db()
    assert (daftar.status, daftar.alasan_penolakan) == (StatusDaftar.DITOLAK, "Kuota kecamatan belum dibagi")


def test_editing_a_frozen_list_on_screen_is_refused(stage, login):
    _proposed(stage)
    daftar = f.approve_list(stage.tahap, builder=stage.dinsos, approver=stage.dinsos2)
    entri = daftar.entri.first()
    response = login(stage.dinsos).post(
        reverse("bantuan:daftar_action", args=[daftar.pk]),
        {"aksi": "keluarkan", "entri": entri.pk, "versi": daftar.versi},
        follow=True,
    )
    assert "tidak dapat dilakukan" in response.content.decode()
    assert EntriDaftar.objects.filter(daftar=daftar, aktif=True).count() == 3


# -- Distribution, photos, Berita Acara, follow-up ---------------------------------------------------


@pytest.fixture
def approved(stage):
    _proposed(stage)
    stage.daftar = f.approve_list(stage.tahap, builder=stage.dinsos, approver=stage.dinsos2)
    stage.entri_in = EntriDaftar.objects.get(keluarga=stage.k_in)
    return stage


def _distribute(client, entri, **extra):
    data = {"tanggal": "2026-03-02", "uraian": "Paket sembako", "penerima": "langsung", **extra}
    return client.post(reverse("bantuan:penyaluran_create", args=[entri.pk]), data)


def test_distribution_with_photo_then_photo_served_only_in_area(approved, login, client):
    tksk = login(approved.tksk_kanigaran)
    response = _distribute(tksk, approved.entri_in, foto=f.photo())
    p = Penyaluran.objects.get()
    assert response["Location"] == reverse("bantuan:penyaluran_detail", args=[p.pk])
    url = reverse("bantuan:foto", args=["penyaluran", p.pk, "foto"])
    photo = tksk.get(url)
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\x89PNG")
    client.force_login(approved.tksk_mayangan)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bukan.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"), "gambar"),
        (
            SimpleUploadedFile(
                "besar.png", f.png_bytes((3000, 3000)) + b"\0" * (5 * 1024 * 1024), content_type="image/png"
            ),
            "terlalu besar",
        ),
    ],
)
def test_bad_photo_is_refused_and_nothing_saved(approved, login, upload, message):
    response = _distribute(login(approved.tksk_kanigaran), approved.entri_in, foto=upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Penyaluran.objects.exists()


def test_distribution_for_someone_not_on_the_approved_list(stage, login):
    _proposed(stage)
    daftar = aid.daftar_build(actor=stage.dinsos, tahap=stage.tahap)  # draft only
    response = _distribute(login(stage.tksk_kanigaran), daftar.entri.get(keluarga=stage.k_in))
    assert "tidak ada di daftar penerima yang disetujui" in response.content.decode()
    assert not Penyaluran.objects.exists()


def test_berita_acara_prints_per_kelurahan_and_is_scoped(approved, login):
    tksk = login(approved.tksk_kanigaran)
    _distribute(tksk, approved.entri_in)
    url = reverse("bantuan:berita_acara", args=[approved.tahap.pk, f.KEL_KANIGARAN])
    page = tksk.get(url).content.decode()
    assert "BERITA ACARA SERAH TERIMA" in page and approved.k_in.no_kk in page and "Slamet Riyadi" in page
    assert approved.daftar.nomor_sk in page
    assert login(approved.tksk_mayangan).get(url).status_code == 404
    assert login(approved.kelurahan).get(url).status_code == 200


def test_follow_up_before_distribution_is_refused_on_screen(approved, login):
    tksk = login(approved.tksk_kanigaran)
    _distribute(tksk, approved.entri_in)
    check = Pemantauan.objects.get()
    url = reverse("bantuan:pemantauan_record", args=[check.pk])
    response = tksk.post(url, {"tanggal": "2026-03-01", "diterima_tepat_waktu": "1"})
    assert "sebelum tanggal penyaluran" in response.content.decode()
    check.refresh_from_db()
    assert check.status == "terjadwal"
    tksk.post(url, {"tanggal": "2026-04-01", "diterima_tepat_waktu": "0", "catatan": "Terlambat 3 hari"})
    check.refresh_from_db()
    assert (check.status, check.diterima_tepat_waktu) == ("selesai", False)


def test_overdue_follow_ups_show_on_the_dashboard(approved, login):
    tksk = login(approved.tksk_kanigaran)
    _distribute(tksk, approved.entri_in)
    page = tksk.get(reverse("pmks:dashboard")).content.decode()
    assert "pemantauan terlambat" in page
    page = login(approved.tksk_mayangan).get(reverse("pmks:dashboard")).content.decode()
    assert "pemantauan terlambat" not in page


def test_proposal_fate_is_visible_to_the_tksk(approved, login):
    page = login(approved.tksk_kanigaran).get(reverse("bantuan:usulan_list")).content.decode()
    assert "Disetujui" in page and approved.daftar.nomor_sk in page


# -- Reports ------------------------------------------------------------------------------------------


def test_overlap_and_gap_reports(approved, login):
    other = f.make_program("modal-uji", nama="Modal Usaha", kategori=("FM",))
    tahap = f.make_tahap(other)
    aid.usulan_create(actor=approved.tksk_kanigaran, tahap=tahap, keluarga=approved.k_in, alasan="x")
    f.approve_list(tahap, builder=approved.dinsos, approver=approved.dinsos2)
    unserved = f.make_keluarga(
        approved.tksk_kanigaran,
        f.KEL_KANIGARAN,
        kepala="Belum Dapat",
        penghasilan_bulanan=300_000,
        jenis_lantai="tanah",
    )
    catatan_pmks_verify(actor=approved.dinsos, catatan=f.make_pmks(approved.tksk_kanigaran, unserved))
    client = login(approved.dinsos)
    page = client.get(reverse("bantuan:laporan_tumpang_tindih"), {"tahun": 2026}).content.decode()
    assert approved.k_in.no_kk in page and approved.k_tisno.no_kk not in page
    page = client.get(
        reverse("bantuan:laporan_belum_menerima"), {"program": approved.program.pk, "tahun": 2026}
    ).content.decode()
    assert unserved.no_kk in page and approved.k_in.no_kk not in page
    assert "Lantai tanah/bambu (+10)" in page
    # Scoped: Mayangan's TKSK sees neither.
    page = (
        login(approved.tksk_mayangan)
        .get(reverse("bantuan:laporan_tumpang_tindih"), {"tahun": 2026})
        .content.decode()
    )
    assert approved.k_in.no_kk not in page


def test_reports_default_to_the_latest_year_with_stages(stage, login):
    f.make_tahap(
        stage.program,
        tahun=2024,
        tahap=3,
        mulai=datetime.date(2024, 1, 1),
        selesai=datetime.date(2024, 12, 31),
    )
    response = login(stage.dinsos).get(reverse("bantuan:laporan_tumpang_tindih"))
    assert response.context["tahun"] == 2026


# -- Pending proposals: rejected by the Dinas, withdrawn by the field ---------------------------------


def test_dinas_rejects_a_pending_proposal_with_a_reason(stage, login):
    _proposed(stage)
    daftar = aid.daftar_build(actor=stage.dinsos, tahap=stage.tahap)
    late = aid.usulan_create(
        actor=stage.tksk_kanigaran,
        tahap=stage.tahap,
        keluarga=f.make_keluarga(stage.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Datang Belakangan"),
        alasan="Susulan",
    )
    client = login(stage.dinsos)
    page = client.get(reverse("bantuan:daftar_detail", args=[daftar.pk])).content.decode()
    assert "Usulan yang belum masuk daftar" in page and "Tolak usulan" in page
    url = reverse("bantuan:daftar_action", args=[daftar.pk])
    without_reason = {"aksi": "tolak_usulan", "versi": daftar.versi, "usulan": late.pk, "alasan": " "}
    assert "Alasan wajib diisi" in client.post(url, without_reason, follow=True).content.decode()
    late.refresh_from_db()
    assert late.status == "diajukan"
    client.post(url, {**without_reason, "alasan": "Tanpa berita acara musyawarah kelurahan"})
    late.refresh_from_db()
    assert (late.status, late.keterangan_status) == ("ditolak", "Tanpa berita acara musyawarah kelurahan")
    # The TKSK hears back on the household page.
    page = login(stage.tksk_kanigaran).get(reverse("pmks:keluarga_detail", args=[late.keluarga_id]))
    assert "Tanpa berita acara musyawarah kelurahan" in page.content.decode()
    # Field roles may not reject; a proposal already on the list cannot be rejected this way.
    on_list = EntriDaftar.objects.get(daftar=daftar, keluarga=stage.k_in).usulan
    response = login(stage.tksk_kanigaran).post(url, {**without_reason, "usulan": on_list.pk, "alasan": "x"})
    assert response.status_code == 403
    response = login(stage.dinsos).post(
        url, {**without_reason, "usulan": on_list.pk, "alasan": "x"}, follow=True
    )
    assert "hanya usulan yang belum masuk daftar" in response.content.decode()
    on_list.refresh_from_db()
    assert on_list.status == "dalam_daftar"


def test_tksk_withdraws_a_pending_proposal_of_the_area(stage, login):
    usulan = aid.usulan_create(
        actor=stage.tksk_kanigaran, tahap=stage.tahap, keluarga=stage.k_in, alasan="FM"
    )
    other = aid.usulan_create(actor=stage.tksk_mayangan, tahap=stage.tahap, keluarga=stage.k_out, alasan="FM")
    client = login(stage.tksk_kanigaran)
    assert "Batalkan usulan" in client.get(reverse("bantuan:usulan_list")).content.decode()
    url = reverse("bantuan:usulan_cancel", args=[usulan.pk])
    assert "Tuliskan alasan" in client.post(url, {"alasan": ""}, follow=True).content.decode()
    client.post(url, {"alasan": "Keliru keluarga"})
    usulan.refresh_from_db()
    assert (usulan.status, usulan.keterangan_status) == ("dibatalkan", "Keliru keluarga")
    page = client.get(reverse("pmks:keluarga_detail", args=[stage.k_in.pk])).content.decode()
    assert "Dibatalkan" in page and "Keliru keluarga" in page
    # Withdrawn before reaching a list: the household may be proposed again.
    again = aid.usulan_create(
        actor=stage.tksk_kanigaran, tahap=stage.tahap, keluarga=stage.k_in, alasan="Benar"
    )
    assert again.pk != usulan.pk and again.status == "diajukan"
    # Twice, another area's, a kelurahan officer: refused, nothing changes.
    usulan.refresh_from_db()
    assert (
        "hanya usulan yang belum masuk daftar"
        in client.post(url, {"alasan": "lagi"}, follow=True).content.decode()
    )
    assert client.post(reverse("bantuan:usulan_cancel", args=[other.pk]), {"alasan": "x"}).status_code == 404
    assert login(stage.kelurahan).post(url, {"alasan": "x"}).status_code == 403
    other.refresh_from_db()
    assert other.status == "diajukan"


def test_an_extra_follow_up_is_scheduled_from_the_distribution_page(approved, login):
    client = login(approved.tksk_kanigaran)
    _distribute(client, approved.entri_in)
    p = Penyaluran.objects.get()
    url = reverse("bantuan:pemantauan_schedule", args=[p.pk])
    assert (
        "Jadwalkan pemantauan tambahan"
        in client.get(reverse("bantuan:penyaluran_detail", args=[p.pk])).content.decode()
    )
    response = client.post(url, {"jadwal": "2026-03-01"}, follow=True)
    assert "tidak boleh sebelum tanggal penyaluran (02/03/2026)" in response.content.decode()
    response = client.post(url, {"jadwal": "2026-06-15"}, follow=True)
    assert "tidak boleh sebelum hari ini" in response.content.decode()
    later = timezone.localdate() + datetime.timedelta(days=10)
    client.post(url, {"jadwal": later.isoformat()})
    assert p.pemantauan.filter(jadwal=later, status="terjadwal").exists()
    response = client.post(url, {"jadwal": later.isoformat()}, follow=True)
    assert "sudah ada pemantauan terjadwal" in response.content.decode()
    assert login(approved.kelurahan).post(url, {"jadwal": later.isoformat()}).status_code == 403
    assert login(approved.tksk_mayangan).post(url, {"jadwal": later.isoformat()}).status_code == 404
    assert p.pemantauan.count() == 2  # the programme's one, and the extra
