"""TKSK work: activities, follow-ups, referrals, agenda, PSKS, workload, monthly report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.choices import JenisPenugasan as J
from accounts.models import Penugasan
from accounts.services import penugasan_end
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tksk import selectors
from tksk import services as tksk
from tksk.models import Kegiatan, LaporanBulanan, Psks
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


# -- Activities --------------------------------------------------------------------------------------


def test_activity_for_a_household_outside_the_area_is_refused(city):
    with pytest.raises(PermissionDenied):
        f.make_kegiatan(city.tksk_kanigaran, city.k_out)
    assert not Kegiatan.objects.exists()


def test_follow_up_before_the_activity_is_refused(city):
    with pytest.raises(ValidationError) as exc:
        f.make_kegiatan(city.tksk_kanigaran, city.k_in, tindak_lanjut=TODAY - datetime.timedelta(days=1))
    assert "tindak_lanjut_tanggal" in exc.value.message_dict
    assert not Kegiatan.objects.exists()


def test_activity_in_the_future_is_refused(city):
    with pytest.raises(ValidationError, match="masa depan"):
        f.make_kegiatan(
            city.tksk_kanigaran, city.k_in, tanggal=timezone.localdate() + datetime.timedelta(days=2)
        )


def test_group_guidance_spans_households_of_one_kecamatan_only(city):
    data = {"jenis": "bimbingan_kelompok", "tanggal": TODAY, "uraian": "Penyuluhan"}
    k = tksk.kegiatan_create(actor=city.tksk_kanigaran, data=data, keluarga=[city.k_in, city.k_tisno])
    assert (k.kecamatan_id, k.keluarga.count()) == (f.KANIGARAN, 2)
    with pytest.raises(ValidationError, match="satu kecamatan"):
        tksk.kegiatan_create(actor=city.dinsos, data=data, keluarga=[city.k_in, city.k_out])


def test_referral_outcome_and_its_date_rule(city):
    k = f.make_kegiatan(city.tksk_kanigaran, city.k_in, jenis="rujukan", rujukan_tujuan="kesehatan")
    assert k.rujukan_hasil == "menunggu"
    assert list(Kegiatan.objects.rujukan_tanpa_hasil()) == [k]
    with pytest.raises(ValidationError, match="sebelum tanggal rujukan"):
        tksk.rujukan_record_outcome(
            actor=city.tksk_kanigaran,
            kegiatan=k,
            hasil="diterima",
            tanggal=TODAY - datetime.timedelta(days=1),
        )
    tksk.rujukan_record_outcome(
        actor=city.tksk_kanigaran, kegiatan=k, hasil="diterima", tanggal=TODAY, catatan="Terdaftar PBI"
    )
    k.refresh_from_db()
    assert (k.rujukan_hasil, k.rujukan_hasil_catatan) == ("diterima", "Terdaftar PBI")
    assert k.history.first().history_user == city.tksk_kanigaran


def test_referral_needs_a_destination(city):
    with pytest.raises(ValidationError) as exc:
        f.make_kegiatan(city.tksk_kanigaran, city.k_in, jenis="rujukan")
    assert "rujukan_tujuan" in exc.value.message_dict


def test_quick_visit_from_the_household_page(city, login):
    client = login(city.tksk_kanigaran)
    url = reverse("tksk:kunjungan_create", args=[city.k_in.pk])
    page = client.get(url).content.decode()
    assert timezone.localdate().isoformat() in page  # today's date is filled in
    response = client.post(
        url,
        {
            "jenis": "kunjungan_rumah",
            "tanggal": "2026-03-10",
            "uraian": "Lansia sakit",
            "tindak_lanjut_tanggal": "2026-03-09",
        },
    )
    assert "tidak boleh sebelum tanggal kegiatan" in response.content.decode()
    assert not Kegiatan.objects.exists()
    response = client.post(
        url,
        {
            "jenis": "kunjungan_rumah",
            "tanggal": "2026-03-10",
            "uraian": "Lansia sakit",
            "tindak_lanjut_tanggal": "2026-03-17",
        },
    )
    assert response["Location"] == reverse("pmks:keluarga_detail", args=[city.k_in.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Lansia sakit" in page
    assert login(city.tksk_mayangan).get(url).status_code == 404


@pytest.mark.parametrize("who", ["kelurahan", "no_role"])
def test_roles_without_field_work_cannot_record(city, login, who):
    response = login(getattr(city, who)).post(
        reverse("tksk:kunjungan_create", args=[city.k_in.pk]),
        {"jenis": "kunjungan_rumah", "tanggal": "2026-03-10", "uraian": "x"},
    )
    assert response.status_code in (403, 404)
    assert not Kegiatan.objects.exists()


def test_activity_photo_must_be_an_image(city, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(city.tksk_kanigaran)
    response = client.post(
        reverse("tksk:kegiatan_create"),
        {
            "jenis": "kunjungan_rumah",
            "tanggal": "2026-03-10",
            "keluarga": [city.k_in.pk],
            "uraian": "x",
            "foto": SimpleUploadedFile("f.jpg", b"GIF89a not really", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not Kegiatan.objects.exists()


# -- Agenda ------------------------------------------------------------------------------------------


def test_agenda_lists_due_follow_ups_unvisited_households_and_waiting_referrals(city, login):
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    today = timezone.localdate()
    overdue = f.make_kegiatan(
        city.tksk_kanigaran,
        city.k_in,
        tanggal=today - datetime.timedelta(days=10),
        tindak_lanjut=today - datetime.timedelta(days=2),
    )
    soon = f.make_kegiatan(
        city.tksk_kanigaran, city.k_in, tanggal=today, tindak_lanjut=today + datetime.timedelta(days=3)
    )
    waiting = f.make_kegiatan(
        city.tksk_kanigaran, city.k_in, tanggal=today, jenis="rujukan", rujukan_tujuan="beasiswa"
    )
    a = selectors.agenda(user=city.tksk_kanigaran)
    assert (a.terlambat, a.segera, a.rujukan_menunggu) == ([overdue], [soon], [waiting])
    assert [k for k, _ in a.belum_dikunjungi] == [city.k_tisno]  # k_in was just visited
    b = selectors.agenda(user=city.tksk_mayangan)
    assert (b.terlambat, [k for k, _ in b.belum_dikunjungi]) == ([], [city.k_out])
    page = login(city.tksk_kanigaran).get(reverse("tksk:agenda")).content.decode()
    assert city.k_tisno.no_kk in page and city.k_out.no_kk not in page
    # The Dinas Sosial sees the same per kecamatan.
    page = login(city.dinsos).get(reverse("tksk:agenda"), {"kecamatan": f.MAYANGAN}).content.decode()
    assert city.k_out.no_kk in page and city.k_tisno.no_kk not in page
    tksk.kegiatan_complete_follow_up(actor=city.tksk_kanigaran, kegiatan=overdue)
    assert selectors.agenda(user=city.tksk_kanigaran).terlambat == []


# -- Hand-over ----------------------------------------------------------------------------------------


def test_new_tksk_sees_the_history_of_the_kecamatan(city, login):
    visit = f.make_kegiatan(city.tksk_kanigaran, city.k_in)
    penugasan_end(
        actor=city.admin,
        penugasan=Penugasan.objects.get(user=city.tksk_kanigaran),
        selesai=datetime.date(2026, 3, 31),
    )
    new = f.make_user("tksk_baru", roles.TKSK, J.TKSK, f.KANIGARAN, mulai=datetime.date(2026, 4, 1))
    page = login(new).get(reverse("tksk:kegiatan_detail", args=[visit.pk]))
    assert page.status_code == 200 and city.k_in.no_kk in page.content.decode()
    old = type(new).objects.get(pk=city.tksk_kanigaran.pk)
    assert login(old).get(reverse("tksk:kegiatan_detail", args=[visit.pk])).status_code == 404


# -- PSKS --------------------------------------------------------------------------------------------


def test_psks_inventory_is_scoped(city, login):
    mine = f.make_psks(city.tksk_kanigaran, f.KEL_KANIGARAN, "LKS Harapan")
    with pytest.raises(PermissionDenied):
        f.make_psks(city.tksk_kanigaran, f.KEL_MAYANGAN, "Bukan wilayahku")
    client = login(city.tksk_kanigaran)
    response = client.post(
        reverse("tksk:psks_create"),
        {"jenis": mine.jenis_id, "nama": "Nyasar", "kelurahan": f.KEL_MAYANGAN, "aktif": "on"},
    )
    assert "di luar wilayah tugas Anda" in response.content.decode()
    assert not Psks.objects.filter(nama="Nyasar").exists()
    assert "LKS Harapan" in login(city.kelurahan).get(reverse("tksk:psks_list")).content.decode()
    assert "LKS Harapan" not in login(city.tksk_mayangan).get(reverse("tksk:psks_list")).content.decode()


# -- Workload ------------------------------------------------------------------------------------------


def test_workload_counts_per_kecamatan(city, login):
    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    today = timezone.localdate()
    f.make_kegiatan(
        city.tksk_kanigaran,
        city.k_in,
        tanggal=today - datetime.timedelta(days=5),
        tindak_lanjut=today - datetime.timedelta(days=1),
    )
    months, rows = selectors.beban_kerja(user=city.dinsos)
    by = {r.kecamatan.kode: r for r in rows}
    assert len(rows) == 5 and len(months) == 12
    assert (by[f.KANIGARAN].keluarga_pmks, by[f.KANIGARAN].tindak_lanjut_terlambat) == (2, 1)
    # Whole-household FM records count every member: 2 households x 2 people.
    assert by[f.KANIGARAN].orang_pmks == 4
    assert by[f.KANIGARAN].tksk == [str(city.tksk_kanigaran)]
    assert sum(by[f.KANIGARAN].kegiatan_per_bulan) == 1
    page = login(city.dinsos).get(reverse("tksk:beban_kerja")).content.decode()
    assert "data-grafik" in page and "Kanigaran" in page
    assert login(city.tksk_kanigaran).get(reverse("tksk:beban_kerja")).status_code == 403


# -- Monthly report -------------------------------------------------------------------------------------


def _kanigaran():
    return Wilayah.objects.get(pk=f.KANIGARAN)


def test_report_counts_the_months_work(city):
    f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=datetime.date(2026, 3, 2), menonjol=True)
    f.make_kegiatan(
        city.tksk_kanigaran,
        city.k_tisno,
        tanggal=datetime.date(2026, 3, 5),
        jenis="rujukan",
        rujukan_tujuan="kesehatan",
    )
    f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=datetime.date(2026, 2, 27))  # other month
    r = selectors.laporan_ringkasan(kecamatan=_kanigaran(), bulan=datetime.date(2026, 3, 1))
    assert r.kegiatan_total == 2 and r.keluarga_terjangkau == 2
    assert dict(r.per_jenis) == {"Kunjungan rumah": 1, "Rujukan": 1}
    assert r.rujukan == [("Layanan kesehatan / BPJS PBI", "Menunggu hasil", 1)]
    assert [k["jenis"] for k in r.kasus_menonjol] == ["Kunjungan rumah"]
    assert sorted(dict(r.per_kelurahan)) == ["Kanigaran", "Tisnonegaran"]


def test_report_submitted_twice_or_for_a_future_month_is_refused(city):
    tksk.laporan_submit(
        actor=city.tksk_kanigaran,
        kecamatan=_kanigaran(),
        bulan=datetime.date(2026, 3, 1),
        catatan_tksk="Catatan",
    )
    with pytest.raises(ValidationError, match="sudah diajukan"):
        tksk.laporan_submit(
            actor=city.tksk_kanigaran,
            kecamatan=_kanigaran(),
            bulan=datetime.date(2026, 3, 1),
            catatan_tksk="Lagi",
        )
    future = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError, match="belum berjalan"):
        tksk.laporan_submit(actor=city.tksk_kanigaran, kecamatan=_kanigaran(), bulan=future, catatan_tksk="")
    assert LaporanBulanan.objects.count() == 1
    with pytest.raises(PermissionDenied):
        tksk.laporan_submit(
            actor=city.tksk_mayangan, kecamatan=_kanigaran(), bulan=datetime.date(2026, 4, 1), catatan_tksk=""
        )


def test_report_is_frozen_when_submitted_and_reviewed_by_staff(city, login):
    visit = f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=datetime.date(2026, 3, 2))
    laporan = tksk.laporan_submit(
        actor=city.tksk_kanigaran,
        kecamatan=_kanigaran(),
        bulan=datetime.date(2026, 3, 1),
        catatan_tksk="Satu kunjungan",
    )
    assert laporan.ringkasan["kegiatan_total"] == 1
    f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=datetime.date(2026, 3, 3))  # recorded later
    laporan.refresh_from_db()
    assert laporan.ringkasan["kegiatan_total"] == 1 and visit.pk
    with pytest.raises(ValidationError, match="alasan"):
        tksk.laporan_return(actor=city.dinsos, laporan=laporan, komentar="")
    with pytest.raises(PermissionDenied):
        tksk.laporan_accept(actor=city.tksk_kanigaran, laporan=laporan)
    tksk.laporan_return(actor=city.dinsos, laporan=laporan, komentar="Lengkapi kasus menonjol")
    laporan = tksk.laporan_submit(
        actor=city.tksk_kanigaran,
        kecamatan=_kanigaran(),
        bulan=datetime.date(2026, 3, 1),
        catatan_tksk="Sudah dilengkapi",
    )
    assert laporan.ringkasan["kegiatan_total"] == 2
    client = login(city.dinsos)
    url = reverse("tksk:laporan_detail", args=[f.KANIGARAN, "2026-03"])
    assert "Sudah dilengkapi" in client.get(url).content.decode()
    client.post(url, {"keputusan": "terima", "komentar": "Baik"})
    laporan.refresh_from_db()
    assert (laporan.status, laporan.diputuskan_oleh) == ("diterima", city.dinsos)


def test_report_pages_as_each_role(city, login):
    url = reverse("tksk:laporan_detail", args=[f.KANIGARAN, "2026-03"])
    tk = login(city.tksk_kanigaran)
    assert tk.post(url, {"catatan_tksk": "x"}).status_code == 302
    assert LaporanBulanan.objects.filter(status="diajukan").count() == 1
    response = tk.post(url, {"catatan_tksk": "lagi"}, follow=True)
    assert "sudah diajukan" in response.content.decode()
    assert login(city.tksk_mayangan).get(url).status_code == 404
    assert login(city.kelurahan).get(url).status_code == 403
    tk = login(city.tksk_kanigaran)  # the login fixture shares one client
    assert tk.get(reverse("tksk:laporan_detail", args=[f.KANIGARAN, "bukan-bulan"])).status_code == 404


def test_report_excel_has_titles_and_no_live_formulas(city, login):
    import io

    from openpyxl import load_workbook

    f.make_kegiatan(
        city.tksk_kanigaran,
        city.k_in,
        tanggal=datetime.date(2026, 3, 2),
        menonjol=True,
        uraian='=HYPERLINK("http://x")',
    )
    response = login(city.tksk_kanigaran).get(
        reverse("tksk:laporan_detail", args=[f.KANIGARAN, "2026-03"]), {"format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert values[:2] == ["Laporan", "Laporan Bulanan TKSK"]
    assert "Kecamatan Kanigaran" in values
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert ws.freeze_panes is not None
