"""The demo city: realistic, valid, every kelurahan, each role, and idempotent.

The city takes half a minute to build, so this module builds it once (``demo_city``) inside a
transaction that is rolled back after the module's last test; each test still runs in its own
savepoint, so nothing one test changes reaches the next.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

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
    from demo.luar import PLANTED_UNSERVED_ON_PKH

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
    assert len(gap) == PLANTED_UNSERVED - PLANTED_UNSERVED_ON_PKH  # PKH serves the others
    assert gap[0].skor.total >= gap[-1].skor.total > 0
    assert {r.desil for r in gap} == {1}  # decile 1 and no aid at all


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


# What README "Demo city" states of the seeded demo; checked against the demo and the README.
DEMO_FIGURES = {
    "households_2plus_with_national_aid": 38,
    "households_2plus_city_lists_only": 2,
    "deciles_1_to_4_receiving_nothing": 136,
}


@pytest.mark.django_db
def test_demo_sees_national_aid_deciles_and_needs(demo_city):
    from pathlib import Path

    from bantuan.models import DaftarPenerima, EkstrakBantuan, EntriDaftar, PenerimaEksternal
    from bantuan.rules import desil_bertentangan, menerima_tahun, profil_keluarga
    from bantuan.selectors import belum_terdaftar, laporan_tumpang_tindih
    from demo.luar import PKH_BOTH_BPNT, PLANTED_DESIL_CHECKS, PLANTED_UNREGISTERED
    from laporan.reports import BY_KODE
    from pmks.selectors import desil_terkini

    dinsos = User.objects.get(username="dinsos")
    everything = laporan_tumpang_tindih(user=dinsos, tahun=2026)
    city_only = laporan_tumpang_tindih(user=dinsos, tahun=2026, termasuk_luar=False)
    ids = list(Keluarga.objects.values_list("pk", flat=True))
    deciles = desil_terkini(ids)
    served = menerima_tahun(ids, 2026)
    figures = {
        "households_2plus_with_national_aid": len(everything),
        "households_2plus_city_lists_only": len(city_only),
        "deciles_1_to_4_receiving_nothing": sum(
            1 for k, d in deciles.items() if d.desil <= 4 and k not in served
        ),
    }
    assert figures == DEMO_FIGURES
    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8")
    for n in DEMO_FIGURES.values():
        assert f"**{n}**" in readme, n
    # Planted: households on both PKH and BPNT (normal, never flagged as a clash) ...
    ledger = PenerimaEksternal.objects.berlaku().filter(keluarga__isnull=False)
    pkh = set(ledger.filter(program__kode="pkh").values_list("keluarga_id", flat=True))
    bpnt = set(ledger.filter(program__kode="sembako-bpnt").values_list("keluarga_id", flat=True))
    assert len(pkh & bpnt) >= PKH_BOTH_BPNT - 2  # two of them left BPNT in September's correction
    assert not any(r.bertentangan for r in everything if r.keluarga.pk in pkh & bpnt and len(r.program) == 2)
    # ... the city's own sembako went to families on neither ...
    city_food = EntriDaftar.objects.filter(
        daftar__tahap__program__kode="sembako-apbd", daftar__status="disetujui"
    )
    assert city_food.exists() and not city_food.filter(keluarga_id__in=pkh | bpnt).exists()
    # ... a corrected extract with who came in and who left ...
    correction = EkstrakBantuan.objects.get(program__kode="sembako-bpnt", tanggal_ekstrak__day=20)
    assert (correction.masuk, correction.keluar) == (1, 2)
    # ... PKH recipients waiting to be registered, and deciles at odds with the score.
    waiting = {r["nama"] for r in belum_terdaftar(user=dinsos)}
    assert len(waiting) == PLANTED_UNREGISTERED
    profiles = profil_keluarga(ids)
    checks = [p for p in profiles.values() if desil_bertentangan(p.desil, p.skor.total)]
    assert len(checks) == PLANTED_DESIL_CHECKS
    # Needs were recorded on visits, and the yearly needs report shows them.
    from tksk.models import Kegiatan

    assert Kegiatan.objects.exclude(kebutuhan="").count() > 50
    from django.http import QueryDict

    rows = list(BY_KODE["kebutuhan"].build(dinsos, QueryDict("tahun=2026")).rows)
    assert len(rows) > 10 and any(isinstance(v, int) and v > 0 for row in rows for v in row)
    assert DaftarPenerima.objects.filter(tahap__program__asal="eksternal").count() == 0


DEMO_FEEDBACK_MEDIAN_DAYS = 7.0  # README "Notifications": proposal -> first word back to the TKSK


@pytest.mark.django_db
def test_demo_feedback_reaches_the_field_and_only_its_area(demo_city):
    from pathlib import Path

    from inti.scoping import scope_of
    from kabar.models import Notifikasi
    from laporan.umpan_balik import ukur_umpan_balik

    u = ukur_umpan_balik()
    assert u.usulan > 100 and u.mendapat_kabar > 100 and u.diproses_tanpa_kabar == 0
    assert u.median_hari == DEMO_FEEDBACK_MEDIAN_DAYS
    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8")
    assert f"**{DEMO_FEEDBACK_MEDIAN_DAYS} days**" in readme
    per_role = {row["groups__name"]: row for row in u.per_peran}
    assert per_role["TKSK"]["belum_dibaca"] > 0 and per_role["Dinas Sosial"]["semua"] > 0
    # Every notification lies in its recipient's area, and none is dated after now.
    notes = list(Notifikasi.objects.select_related("penerima"))
    assert notes and all(scope_of(n.penerima).allows(n.wilayah_id) for n in notes)
    assert max(n.dibuat_pada for n in notes) <= timezone.now()


@pytest.mark.django_db
def test_demo_proposals_come_from_held_musyawarah_before_them(demo_city):
    from django.utils import timezone

    from bantuan.models import DaftarPenerima, Usulan
    from musyawarah.models import KeluargaDibahas, Musyawarah

    cited = Usulan.objects.filter(musyawarah__isnull=False).select_related("musyawarah", "keluarga")
    assert cited.exists()
    for u in cited:
        assert u.musyawarah.status == "selesai" and u.musyawarah.kelurahan_id == u.keluarga.kelurahan_id
        assert u.musyawarah.dibuat_pada <= u.dibuat_pada
        assert u.musyawarah.keluarga_dibahas.filter(keluarga=u.keluarga, keputusan="diusulkan").exists()
    assert not Usulan.objects.filter(tahap__program__wajib_musyawarah=True, musyawarah__isnull=True).exists()
    assert Musyawarah.objects.filter(status="selesai").values("kelurahan").distinct().count() == len(
        {u.keluarga.kelurahan_id for u in cited}
    )
    for m in Musyawarah.objects.filter(status="selesai"):
        assert set(m.peserta.values_list("peran", flat=True)) == {
            "lurah",
            "rt",
            "rw",
            "psm",
            "tksk",
            "tokoh_masyarakat",
        }
    assert KeluargaDibahas.objects.filter(keputusan="dicoret").exclude(alasan="").exists()
    officer = User.objects.get(username="kelurahan_kanigaran")
    upcoming = Musyawarah.objects.for_user(officer).filter(status="dijadwalkan")
    assert upcoming.count() == 1 and upcoming.get().tanggal > timezone.localdate()
    # The RTLH list (which requires the minutes) was submitted; the returned sembako list's
    # proposals cite none, as its rejection reason says.
    assert DaftarPenerima.objects.get(tahap__program__kode="rtlh").status == "diverifikasi"
    returned = DaftarPenerima.objects.get(status="ditolak")
    assert not returned.entri.filter(usulan__musyawarah__isnull=False).exists()
