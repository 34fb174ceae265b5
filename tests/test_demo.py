"""The demo city: realistic, valid, every kelurahan, each role, and idempotent.

The city takes half a minute to build, so this module builds it once (``demo_city``) inside a
transaction that is rolled back after the module's last test; each test still runs in its own
savepoint, so nothing one test changes reaches the next.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from pmks.identitas import nik_consistency_errors, validate_nik
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from tests import factories as f
from wilayah.models import Wilayah


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        f.ensure_reference_data()
        with override_settings(DEMO_PASSWORD="demo12345", DEBUG=False):
            with pytest.raises(CommandError, match="DJANGO_DEBUG"):
                call_command("demo_data")  # without the flag, and DEBUG off: refused
            assert not User.objects.filter(username="admin").exists()
            call_command("demo_data", izinkan_tanpa_debug=True)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_city_is_valid_complete_and_idempotent(demo_city):
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
def test_demo_aid_has_every_list_status_and_the_planted_cases(demo_city):
    from bantuan.models import DaftarPenerima, ProgramBantuan
    from bantuan.selectors import daftar_rows, laporan_belum_menerima, laporan_tumpang_tindih
    from demo.bantuan import PLANTED_LIVELIHOOD_CLASH, PLANTED_RTLH_OVERLAP, PLANTED_UNSERVED

    assert set(DaftarPenerima.objects.values_list("status", flat=True)) == {
        "draf",
        "diajukan",
        "diverifikasi",
        "disetujui",
        "ditolak",
    }
    dinsos = User.objects.get(username="dinsos")
    overlap = laporan_tumpang_tindih(user=dinsos, tahun=2026)
    assert sum(r.bertentangan for r in overlap) == PLANTED_LIVELIHOOD_CLASH
    rtlh = DaftarPenerima.objects.get(tahap__program__kode="rtlh")
    flagged = [
        r for r in daftar_rows(user=dinsos, daftar=rtlh) if any(t.kode == "tumpang_tindih" for t in r.tanda)
    ]
    assert len(flagged) == PLANTED_RTLH_OVERLAP
    gap = laporan_belum_menerima(user=dinsos, program=ProgramBantuan.objects.get(kode="rtlh"), tahun=2026)
    assert len(gap) == PLANTED_UNSERVED
    assert gap[0].skor.total >= gap[-1].skor.total > 0
