"""The demo city: realistic, valid, every kelurahan, each role, and idempotent."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from pmks.identitas import nik_consistency_errors, validate_nik
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from wilayah.models import Wilayah


@pytest.mark.django_db
def test_demo_city_is_valid_complete_and_idempotent(ref, settings):
    settings.DEMO_PASSWORD = "demo12345"
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_data")
    assert not User.objects.filter(username="admin").exists()
    call_command("demo_data", izinkan_tanpa_debug=True)
    counts = (
        Keluarga.objects.count(),
        AnggotaKeluarga.objects.count(),
        CatatanPmks.objects.count(),
        User.objects.count(),
        Keluarga.history.count(),
    )
    call_command("demo_data", izinkan_tanpa_debug=True)
    assert (
        Keluarga.objects.count(),
        AnggotaKeluarga.objects.count(),
        CatatanPmks.objects.count(),
        User.objects.count(),
        Keluarga.history.count(),
    ) == counts

    kelurahan = Wilayah.objects.filter(kode__startswith="35.74.", tingkat="kelurahan")
    assert set(Keluarga.objects.values_list("kelurahan", flat=True)) == set(
        kelurahan.values_list("kode", flat=True)
    )
    for person in AnggotaKeluarga.objects.all():
        validate_nik(person.nik)
        assert nik_consistency_errors(person.nik, person.tanggal_lahir, person.jenis_kelamin) == {}
    statuses = set(CatatanPmks.objects.values_list("status", flat=True))
    assert statuses == {"diusulkan", "terverifikasi", "ditolak", "ditutup"}
    assert CatatanPmks.objects.values("kategori").distinct().count() >= 5

    for username in ("admin", "dinsos", "tksk_kanigaran", "tksk_mayangan", "kelurahan_kanigaran"):
        user = User.objects.get(username=username)
        assert user.check_password("demo12345")
    officer = User.objects.get(username="kelurahan_kanigaran")
    assert set(Keluarga.objects.for_user(officer).values_list("kelurahan", flat=True)) == {"35.74.04.1003"}
    tksk = User.objects.get(username="tksk_kanigaran")
    assert {k[:8] for k in Keluarga.objects.for_user(tksk).values_list("kelurahan", flat=True)} == {
        "35.74.04"
    }
    assert User.objects.get(username="dinsos").has_perm("pmks.verify_catatanpmks")
    assert not tksk.has_perm("pmks.verify_catatanpmks")


@pytest.mark.django_db
def test_demo_never_touches_a_registry_with_data(city):
    """A real database gets no demo accounts with a known password."""
    call_command("demo_data", izinkan_tanpa_debug=True)
    assert not User.objects.filter(username__in=["admin", "dinsos", "tksk_kanigaran"]).exists()
