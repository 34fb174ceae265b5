"""Holes found in review of the aid and TKSK work, each closed and kept closed."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bantuan import services as aid_services
from bantuan.models import EntriDaftar, Pemantauan, ProgramBantuan
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tksk import selectors as tksk_selectors
from tksk.models import Kegiatan

pytestmark = pytest.mark.django_db


def test_amendment_history_does_not_show_another_areas_household(aid, login):
    entri = EntriDaftar.objects.get(keluarga=aid.k_out)
    aid_entri_in = EntriDaftar.objects.get(keluarga=aid.k_in)
    aid_entri_in.penyaluran.all().delete()
    f.amend(
        aid.daftar,
        proposer=aid.dinsos,
        approver=aid.dinsos2,
        jenis="keluarkan",
        entri=aid_entri_in,
        alasan="Pindah ke Jember",
    )
    url = reverse("bantuan:daftar_detail", args=[aid.daftar.pk])
    page = login(aid.tksk_mayangan).get(url).content.decode()
    assert aid.k_in.no_kk not in page and "Pindah ke Jember" not in page
    assert entri.keluarga.no_kk in page
    page = login(aid.tksk_kanigaran).get(url).content.decode()
    assert "Pindah ke Jember" in page


def test_follow_up_cannot_be_dated_before_the_distribution_on_any_path(aid):
    check = aid.pemantauan_in
    check.tanggal = aid.penyaluran_in.tanggal - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        check.full_clean()
    check.refresh_from_db()
    check.jadwal = aid.penyaluran_in.tanggal - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        check.full_clean()


def test_admin_cannot_edit_dates_of_follow_ups_or_households_of_activities(aid, client):
    client.force_login(aid.admin)
    page = client.get(
        reverse("admin:bantuan_pemantauan_change", args=[aid.pemantauan_in.pk])
    ).content.decode()
    assert 'name="tanggal"' not in page and 'name="jadwal"' not in page
    page = client.get(reverse("admin:tksk_kegiatan_change", args=[aid.kegiatan_in.pk])).content.decode()
    assert 'name="keluarga"' not in page


def test_history_revert_is_disabled():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_frozen_stage_keeps_its_period_and_quota_in_the_admin(aid, client):
    client.force_login(aid.admin)
    page = client.get(reverse("admin:bantuan_tahapprogram_change", args=[aid.tahap.pk])).content.decode()
    assert 'name="kuota"' not in page and 'name="periode_mulai"' not in page


def test_recorded_follow_up_is_not_overwritten(aid):
    check = aid.pemantauan_in
    aid_today = check.jadwal
    aid_services.pemantauan_record(
        actor=aid.tksk_kanigaran, pemantauan=check, tanggal=aid_today, data={"diterima_tepat_waktu": True}
    )
    with pytest.raises(ValidationError, match="sudah dicatat"):
        aid_services.pemantauan_record(
            actor=aid.tksk_kanigaran,
            pemantauan=check,
            tanggal=aid_today,
            data={"diterima_tepat_waktu": False},
        )
    check.refresh_from_db()
    assert check.diterima_tepat_waktu is True


def test_person_programme_needs_a_person_and_household_programme_refuses_one(city):
    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    modal = f.make_program("modal-uji", sasaran="perseorangan")
    tahap = f.make_tahap(modal)
    with pytest.raises(ValidationError, match="pilih anggota"):
        aid_services.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    created, skipped = aid_services.usulan_bulk_create(
        actor=city.tksk_kanigaran, tahap=tahap, keluarga=[city.k_in], alasan="x"
    )
    assert created[0].anggota.hubungan == "kepala" and skipped == []
    sembako = f.make_tahap(f.make_program("sembako-uji"))
    with pytest.raises(ValidationError, match="kosongkan"):
        aid_services.usulan_create(
            actor=city.tksk_kanigaran,
            tahap=sembako,
            keluarga=city.k_in,
            alasan="x",
            anggota=city.k_in.anggota.first(),
        )


def test_exclusions_between_programmes_are_in_the_history():
    a = ProgramBantuan.objects.get(kode="rtlh")
    before = a.history.count()
    a.tidak_bersama.add(ProgramBantuan.objects.get(kode="sembako-bpnt"))
    assert a.history.count() == before + 1


def test_agenda_puts_never_visited_first_and_counts_beyond_the_cut(city):
    for c in (city.pmks_in, city.pmks_tisno):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    f.make_kegiatan(city.tksk_kanigaran, city.k_in, tanggal=long_ago)
    a = tksk_selectors.agenda(user=city.tksk_kanigaran, limit=1)
    assert [k for k, _last in a.belum_dikunjungi] == [city.k_tisno]  # never visited comes first
    assert a.jumlah_belum_dikunjungi == 2


def test_activity_records_the_persons_involved(city, login):
    istri = city.k_in.anggota.get(hubungan="istri")
    stranger = city.k_tisno.anggota.first()
    client = login(city.tksk_kanigaran)
    data = {
        "jenis": "bimbingan_individu",
        "tanggal": "2026-03-10",
        "keluarga": [city.k_in.pk],
        "uraian": "Bimbingan",
        "anggota": [stranger.pk],
    }
    response = client.post(reverse("tksk:kegiatan_create"), data)
    assert response.status_code == 200 and not Kegiatan.objects.exists()
    data["anggota"] = [istri.pk]
    client.post(reverse("tksk:kegiatan_create"), data)
    assert list(Kegiatan.objects.get().anggota.all()) == [istri]


def test_pemantauan_str_is_translatable(aid):
    assert str(Pemantauan.objects.first()).startswith("Pemantauan")
