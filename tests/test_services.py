"""Registry write rules, enforced in pmks/services.py whatever the caller."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pmks import services
from pmks.choices import Hubungan, StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, KategoriPmks, Keluarga
from tests import factories as f
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db


def _data(kode, **extra):
    return {
        "no_kk": f.no_kk_for(kode),
        "kelurahan": Wilayah.objects.get(pk=kode),
        "alamat": "Jl. Baru",
        "rt": "001",
        "rw": "001",
        **extra,
    }


def test_household_is_saved_with_members_and_history(city):
    kel = f.make_keluarga(city.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Hasan")
    assert kel.anggota.count() == 2
    assert kel.dibuat_oleh == city.tksk_kanigaran
    record = Keluarga.history.get(id=kel.pk)
    assert record.history_type == "+"
    assert record.history_user == city.tksk_kanigaran
    assert AnggotaKeluarga.history.filter(keluarga_id=kel.pk).count() == 2


def test_household_outside_area_is_refused_and_nothing_saved(city):
    before = Keluarga.objects.count()
    with pytest.raises(PermissionDenied):
        services.keluarga_save(
            actor=city.tksk_kanigaran,
            keluarga=None,
            data=_data(f.KEL_MAYANGAN),
            anggota=[f.member(f.KEL_MAYANGAN, "Orang Mayangan")],
        )
    assert Keluarga.objects.count() == before


def test_kelurahan_officer_may_not_write(city):
    with pytest.raises(PermissionDenied):
        services.keluarga_save(
            actor=city.kelurahan,
            keluarga=None,
            data=_data(f.KEL_KANIGARAN),
            anggota=[f.member(f.KEL_KANIGARAN, "Siapa")],
        )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([], "minimal satu anggota"),
        ([("anak", "L")], "satu kepala keluarga"),
        ([("kepala", "L"), ("kepala", "P")], "hanya boleh memiliki satu kepala"),
    ],
)
def test_head_rules(city, members, message):
    anggota = [f.member(f.KEL_KANIGARAN, f"Orang {i}", hubungan=h, sex=s) for i, (h, s) in enumerate(members)]
    before = Keluarga.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.keluarga_save(
            actor=city.tksk_kanigaran, keluarga=None, data=_data(f.KEL_KANIGARAN), anggota=anggota
        )
    assert message in " ".join(exc.value.messages)
    assert Keluarga.objects.count() == before


def test_duplicate_nik_rolls_back_the_whole_household(city):
    taken = city.k_out.anggota.first().nik  # registered in Mayangan
    row = f.member(f.KEL_KANIGARAN, "Kembar")
    row["nik"] = taken
    before = (Keluarga.objects.count(), AnggotaKeluarga.objects.count())
    with pytest.raises(ValidationError):
        services.keluarga_save(
            actor=city.tksk_kanigaran, keluarga=None, data=_data(f.KEL_KANIGARAN), anggota=[row]
        )
    assert (Keluarga.objects.count(), AnggotaKeluarga.objects.count()) == before


def test_nik_disagreeing_with_birth_date_is_refused(city):
    row = f.member(f.KEL_KANIGARAN, "Salah Tanggal")
    row["tanggal_lahir"] = datetime.date(1981, 5, 17)
    with pytest.raises(ValidationError) as exc:
        services.keluarga_save(
            actor=city.tksk_kanigaran, keluarga=None, data=_data(f.KEL_KANIGARAN), anggota=[row]
        )
    assert "tanggal_lahir" in exc.value.message_dict


def test_future_birth_date_is_refused(city):
    born = datetime.date.today() + datetime.timedelta(days=400)  # noqa: DTZ011
    row = f.member(f.KEL_KANIGARAN, "Belum Lahir", born=born)
    with pytest.raises(ValidationError) as exc:
        services.keluarga_save(
            actor=city.tksk_kanigaran, keluarga=None, data=_data(f.KEL_KANIGARAN), anggota=[row]
        )
    assert "masa depan" in " ".join(exc.value.messages)


def test_swapping_the_head_in_one_save_works(city):
    kel = city.k_in
    head, wife = kel.anggota.order_by("tanggal_lahir")
    rows = []
    for person, hubungan in ((head, Hubungan.SUAMI), (wife, Hubungan.KEPALA)):
        row = {field: getattr(person, field) for field in services.ANGGOTA_FIELDS}
        rows.append({**row, "pk": person.pk, "hubungan": hubungan})
    services.keluarga_save(actor=city.tksk_kanigaran, keluarga=kel, data={}, anggota=rows)
    assert kel.anggota.get(hubungan=Hubungan.KEPALA) == wife


def test_moving_a_household_out_of_the_area_is_refused(city):
    with pytest.raises(PermissionDenied):
        services.keluarga_save(
            actor=city.tksk_kanigaran,
            keluarga=city.k_in,
            data={"kelurahan": Wilayah.objects.get(pk=f.KEL_MAYANGAN)},
            anggota=[
                {**{fl: getattr(a, fl) for fl in services.ANGGOTA_FIELDS}, "pk": a.pk}
                for a in city.k_in.anggota.all()
            ],
        )
    city.k_in.refresh_from_db()
    assert city.k_in.kelurahan_id == f.KEL_KANIGARAN


def test_same_open_pmks_twice_is_refused(city):
    with pytest.raises(ValidationError, match="sudah ada"):
        f.make_pmks(city.tksk_kanigaran, city.k_in, "FM")
    assert CatatanPmks.objects.filter(keluarga=city.k_in).count() == 1


def test_pmks_for_household_outside_area_is_refused(city):
    with pytest.raises(PermissionDenied):
        f.make_pmks(city.tksk_kanigaran, city.k_out, "LUT")


def test_verification_flow_and_its_history(city):
    catatan = services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in, note="ok")
    assert catatan.status == StatusPmks.TERVERIFIKASI
    assert catatan.diverifikasi_oleh == city.dinsos
    assert catatan.history.first().history_user == city.dinsos
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.catatan_pmks_reject(actor=city.dinsos, catatan=catatan, note="terlambat")
    with pytest.raises(ValidationError, match="wajib"):
        services.catatan_pmks_close(actor=city.dinsos, catatan=catatan, note=" ")
    closed = services.catatan_pmks_close(actor=city.dinsos, catatan=catatan, note="pindah")
    assert closed.status == StatusPmks.DITUTUP


def test_reject_needs_a_reason(city):
    with pytest.raises(ValidationError, match="wajib"):
        services.catatan_pmks_reject(actor=city.dinsos, catatan=city.pmks_in, note="")
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.DIUSULKAN


@pytest.mark.parametrize("who", ["tksk_kanigaran", "kelurahan"])
def test_only_dinas_may_verify(city, who):
    with pytest.raises(PermissionDenied):
        services.catatan_pmks_verify(actor=getattr(city, who), catatan=city.pmks_in)
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.DIUSULKAN


def test_member_pmks_must_belong_to_the_household(city):
    stranger = city.k_tisno.anggota.first()
    with pytest.raises(ValidationError):
        services.catatan_pmks_create(
            actor=city.tksk_kanigaran,
            keluarga=city.k_in,
            kategori=KategoriPmks.objects.get(singkatan="PD"),
            anggota=stranger,
            tanggal_identifikasi=datetime.date(2026, 1, 1),
            bukti="x",
        )


def test_member_with_pmks_record_cannot_be_removed(city):
    istri = city.k_in.anggota.get(hubungan="istri")
    f.make_pmks(city.tksk_kanigaran, city.k_in, "PRSE", anggota=istri)
    kepala = city.k_in.anggota.get(hubungan="kepala")
    with pytest.raises(ValidationError, match="memiliki catatan PMKS"):
        services.keluarga_save(
            actor=city.tksk_kanigaran,
            keluarga=city.k_in,
            data={},
            anggota=[{"pk": kepala.pk}],
            hapus_anggota=[istri.pk],
        )
    assert AnggotaKeluarga.objects.filter(pk=istri.pk).exists()


def test_removing_a_permission_from_the_group_takes_effect(city):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="TKSK")
    group.permissions.remove(Permission.objects.get(codename="delete_anggotakeluarga"))
    actor = type(city.tksk_kanigaran).objects.get(pk=city.tksk_kanigaran.pk)
    istri = city.k_in.anggota.get(hubungan="istri")
    kepala = city.k_in.anggota.get(hubungan="kepala")
    with pytest.raises(PermissionDenied):
        services.keluarga_save(
            actor=actor, keluarga=city.k_in, data={}, anggota=[{"pk": kepala.pk}], hapus_anggota=[istri.pk]
        )
    assert AnggotaKeluarga.objects.filter(pk=istri.pk).exists()


def test_closing_keeps_who_verified(city):
    services.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in, note="ok")
    closed = services.catatan_pmks_close(actor=city.dinsos2, catatan=city.pmks_in, note="pindah domisili")
    assert (closed.diverifikasi_oleh, closed.catatan_verifikasi) == (city.dinsos, "ok")
    assert (closed.ditutup_oleh, closed.alasan_penutupan) == (city.dinsos2, "pindah domisili")
