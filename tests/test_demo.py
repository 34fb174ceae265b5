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


@pytest.mark.django_db
def test_demo_models_the_habit_three_people_an_ordered_timeline_and_reasons(demo_city):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from bantuan import services as aid
    from bantuan.models import DaftarPenerima, EntriDaftar, Penyaluran, Usulan
    from bantuan.rules import pengecualian_daftar
    from demo.bantuan import PLANTED_LIVELIHOOD_CLASH, PLANTED_RTLH_OVERLAP

    now = timezone.now()
    for daftar in DaftarPenerima.objects.exclude(status="draf"):
        people = [daftar.diajukan_oleh_id, daftar.diverifikasi_oleh_id, daftar.diputuskan_oleh_id]
        present = [p for p in people if p]
        assert len(present) == len(set(present)), daftar  # prepared, verified, decided by different people
        moments = [daftar.dibuat_pada, daftar.diajukan_pada, daftar.diverifikasi_pada, daftar.diputuskan_pada]
        known = [m for m in moments if m]
        assert known == sorted(known) and known[-1] <= now, daftar
        first_entry = daftar.entri.order_by("dibuat_pada").first()
        proposals = Usulan.objects.filter(tahap=daftar.tahap)
        assert all(u.dibuat_pada <= first_entry.dibuat_pada for u in proposals if first_entry), daftar
    for p in Penyaluran.objects.select_related("entri__daftar"):
        assert p.entri.daftar.tanggal_sk <= p.tanggal <= timezone.localdate()
        assert p.petugas_id != p.entri.daftar.diputuskan_oleh_id
    assert not CatatanPmks.objects.filter(diverifikasi_pada__gt=now).exists()
    # The two households on both the goat and the business-capital lists were approved with a
    # written reason, frozen with the overlap flag that asked for it.
    clash = EntriDaftar.objects.filter(
        daftar__tahap__program__kode="modal-usaha", daftar__status="disetujui", alasan_pengecualian__gt=""
    )
    clash = [e for e in clash if any(t["kode"] == "tumpang_tindih" for t in e.dasar_persetujuan["tanda"])]
    assert len(clash) == PLANTED_LIVELIHOOD_CLASH
    # The RTLH list waiting for approval cannot be approved without reasons for the planted
    # doubles (households Baznas already renovated this year).
    rtlh = DaftarPenerima.objects.get(tahap__program__kode="rtlh")
    flagged = {
        pk
        for pk, tanda in pengecualian_daftar(rtlh).items()
        if any(t.kode == "tumpang_tindih" for t in tanda)
    }
    assert len(flagged) == PLANTED_RTLH_OVERLAP
    approver = User.objects.get(username="dinsos3")
    with pytest.raises(ValidationError) as refused:
        aid.daftar_approve(actor=approver, daftar=rtlh, nomor_sk="X", tanggal_sk=datetime.date(2026, 5, 20))
    doubles = EntriDaftar.objects.filter(pk__in=flagged).values_list("keluarga__no_kk", flat=True)
    assert all(any(kk in m for m in refused.value.messages) for kk in doubles)
    rtlh.refresh_from_db()
    assert rtlh.status == "diverifikasi"
