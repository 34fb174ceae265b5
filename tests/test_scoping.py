"""Who sees what: scopes come from dated assignments and are applied by for_user()."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts import roles
from accounts.choices import JenisPenugasan as J
from accounts.models import Penugasan, User
from accounts.services import penugasan_create, penugasan_end
from inti.scoping import Scope
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from tests import factories as f
from wilayah.models import Wilayah


def test_scope_prefix_rules():
    scope = Scope(frozenset({"35.74.04"}))
    assert scope.allows("35.74.04.1003")
    assert scope.allows("35.74.04")
    assert not scope.allows("35.74.03.1001")
    assert not scope.allows("35.74.040")  # same prefix text, different region
    assert not scope.allows(None)
    assert Scope(None).allows("11.01")


@pytest.mark.django_db
def test_each_role_sees_only_its_area(city):
    def kk(user):
        return set(Keluarga.objects.for_user(user).values_list("pk", flat=True))

    assert kk(city.tksk_kanigaran) == {city.k_in.pk, city.k_tisno.pk}
    assert kk(city.tksk_mayangan) == {city.k_out.pk}
    assert kk(city.kelurahan) == {city.k_in.pk}
    assert kk(city.dinsos) == {city.k_in.pk, city.k_tisno.pk, city.k_out.pk}
    assert kk(city.admin) == {city.k_in.pk, city.k_tisno.pk, city.k_out.pk}
    assert kk(city.no_role) == set()
    # Members and PMKS records follow their household.
    assert set(AnggotaKeluarga.objects.for_user(city.kelurahan).values_list("keluarga", flat=True)) == {
        city.k_in.pk
    }
    assert list(CatatanPmks.objects.for_user(city.tksk_mayangan)) == [city.pmks_out]


@pytest.mark.django_db
def test_region_choices_are_scoped(city):
    kode = set(Wilayah.objects.for_user(city.kelurahan).values_list("kode", flat=True))
    assert kode == {f.KEL_KANIGARAN}
    kanigaran = Wilayah.objects.for_user(city.tksk_kanigaran).filter(tingkat="kelurahan")
    assert kanigaran.count() == 6


@pytest.mark.django_db
def test_ended_or_future_assignment_gives_no_scope(ref):
    past = f.make_user(
        "lama",
        roles.TKSK,
        J.TKSK,
        f.KANIGARAN,
        mulai=datetime.date(2020, 1, 1),
        selesai=datetime.date(2021, 1, 1),
    )
    future = f.make_user("baru", roles.TKSK, J.TKSK, f.MAYANGAN, mulai=datetime.date(2099, 1, 1))
    assert past.area_scope.empty
    assert future.area_scope.empty


@pytest.mark.django_db
def test_only_one_tksk_per_kecamatan_at_a_time(city):
    other = f.make_user("tksk_kedua", roles.TKSK)
    with pytest.raises(ValidationError, match="sudah ditugaskan"):
        penugasan_create(
            actor=city.admin,
            user=other,
            wilayah=Wilayah.objects.get(pk=f.KANIGARAN),
            jenis=J.TKSK,
            mulai=datetime.date(2026, 6, 1),
        )
    assert not Penugasan.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_hand_over_keeps_history_and_moves_the_records_with_the_area(city):
    """When a kecamatan changes hands, the new TKSK sees the area's households."""
    old = Penugasan.objects.get(user=city.tksk_kanigaran)
    penugasan_end(actor=city.admin, penugasan=old, selesai=datetime.date(2025, 12, 31))
    new = f.make_user("tksk_pengganti", roles.TKSK, J.TKSK, f.KANIGARAN, mulai=datetime.date(2026, 1, 1))
    assert set(Keluarga.objects.for_user(new)) == {city.k_in, city.k_tisno}
    assert User.objects.get(pk=city.tksk_kanigaran.pk).area_scope.empty
    assert Penugasan.objects.filter(wilayah_id=f.KANIGARAN).count() == 2


@pytest.mark.django_db
def test_assignment_must_fit_the_region_level(city):
    user = f.make_user("salah_tingkat", roles.TKSK)
    with pytest.raises(ValidationError, match="tingkat"):
        penugasan_create(
            actor=city.admin,
            user=user,
            wilayah=Wilayah.objects.get(pk=f.KEL_KANIGARAN),
            jenis=J.TKSK,
            mulai=datetime.date(2026, 1, 1),
        )
