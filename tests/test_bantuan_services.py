"""Aid rules, enforced in bantuan/services.py and bantuan/rules.py whatever the caller."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bantuan import services as aid
from bantuan.choices import StatusDaftar, StatusUsulan
from bantuan.models import (
    AmandemenDaftar,
    EntriDaftar,
    KuotaKecamatan,
    Pemantauan,
    Penyaluran,
    RiwayatDaftar,
    Usulan,
)
from bantuan.rules import kuota_daftar, tanda_untuk
from pmks.services import catatan_pmks_verify
from tests import factories as f
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db


@pytest.fixture
def sembako(city):
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    city.program = f.make_program("sembako")
    city.tahap = f.make_tahap(city.program, kuota=3)
    return city


def propose(city, *suffixes):
    out = []
    for s in suffixes:
        tksk = city.tksk_mayangan if s == "out" else city.tksk_kanigaran
        out.append(
            aid.usulan_create(actor=tksk, tahap=city.tahap, keluarga=getattr(city, f"k_{s}"), alasan="FM")
        )
    return out


def ready_list(city, *suffixes):
    propose(city, *suffixes)
    daftar = aid.daftar_build(actor=city.dinsos, tahap=city.tahap)
    aid.daftar_submit(actor=city.dinsos, daftar=daftar)
    return aid.daftar_verify(actor=city.dinsos3, daftar=daftar)


# -- Proposals ------------------------------------------------------------------------------------


def test_household_cannot_be_proposed_twice_for_one_stage(sembako):
    propose(sembako, "in")
    with pytest.raises(ValidationError, match="sudah diusulkan"):
        propose(sembako, "in")
    assert Usulan.objects.filter(keluarga=sembako.k_in).count() == 1


def test_proposal_outside_the_area_is_refused(sembako):
    with pytest.raises(PermissionDenied):
        aid.usulan_create(
            actor=sembako.tksk_kanigaran, tahap=sembako.tahap, keluarga=sembako.k_out, alasan="x"
        )
    assert not Usulan.objects.exists()


@pytest.mark.parametrize("who", ["kelurahan", "no_role"])
def test_only_field_roles_propose(sembako, who):
    with pytest.raises(PermissionDenied):
        aid.usulan_create(actor=getattr(sembako, who), tahap=sembako.tahap, keluarga=sembako.k_in, alasan="x")


def test_bulk_proposal_reports_what_it_skipped(sembako):
    propose(sembako, "in")
    created, skipped = aid.usulan_bulk_create(
        actor=sembako.tksk_kanigaran,
        tahap=sembako.tahap,
        keluarga=[sembako.k_in, sembako.k_tisno],
        alasan="FM",
    )
    assert [u.keluarga for u in created] == [sembako.k_tisno]
    assert len(skipped) == 1 and sembako.k_in.no_kk in skipped[0]


# -- Lists: statuses, four eyes, quota, freeze, concurrency ---------------------------------------


def test_list_workflow_records_every_transition(sembako):
    daftar = ready_list(sembako, "in", "out")
    approved = aid.daftar_approve(
        actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK-1", tanggal_sk=datetime.date(2026, 2, 1)
    )
    assert approved.status == StatusDaftar.DISETUJUI
    assert (approved.nomor_sk, approved.diputuskan_oleh) == ("SK-1", sembako.dinsos2)
    steps = list(RiwayatDaftar.objects.filter(daftar=daftar).values_list("tindakan", "oleh__username"))
    assert [s[0] for s in steps] == ["dibuat", "usulan ditambahkan", "diajukan", "diverifikasi", "disetujui"]
    assert steps[-1][1] == "dinsos2_uji"
    assert set(Usulan.objects.values_list("status", flat=True)) == {StatusUsulan.DALAM_DAFTAR}


def test_submitter_cannot_approve(sembako):
    daftar = ready_list(sembako, "in")
    with pytest.raises(ValidationError, match="Pemisahan tugas: pengaju daftar penerima"):
        aid.daftar_approve(
            actor=sembako.dinsos, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
        )
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIVERIFIKASI


def test_tksk_cannot_approve(sembako):
    daftar = ready_list(sembako, "in")
    with pytest.raises(PermissionDenied):
        aid.daftar_approve(
            actor=sembako.tksk_kanigaran, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
        )


def test_approval_needs_sk_number_and_date(sembako):
    daftar = ready_list(sembako, "in")
    with pytest.raises(ValidationError, match="SK wajib"):
        aid.daftar_approve(
            actor=sembako.dinsos2, daftar=daftar, nomor_sk=" ", tanggal_sk=datetime.date(2026, 2, 1)
        )


def test_quota_cannot_be_exceeded(sembako):
    sembako.tahap.kuota = 2
    sembako.tahap.save()
    daftar = ready_list(sembako, "in", "tisno", "out")
    with pytest.raises(ValidationError, match="Kuota 2 terlampaui"):
        aid.daftar_approve(
            actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
        )
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIVERIFIKASI


def test_kecamatan_quota_cannot_be_exceeded(sembako):
    KuotaKecamatan.objects.create(tahap=sembako.tahap, kecamatan=Wilayah.objects.get(pk=f.KANIGARAN), kuota=1)
    daftar = ready_list(sembako, "in", "tisno")
    assert kuota_daftar(sembako.tahap).per_kecamatan == [("Kanigaran", 1, 2)]
    with pytest.raises(ValidationError, match="Kanigaran"):
        aid.daftar_approve(
            actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
        )


def test_approved_list_is_frozen(sembako):
    daftar = ready_list(sembako, "in", "tisno")
    daftar = aid.daftar_approve(
        actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
    )
    entri = EntriDaftar.objects.get(keluarga=sembako.k_in)
    with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
        aid.daftar_remove_entries(actor=sembako.dinsos, daftar=daftar, entri_ids=[entri.pk], versi=None)
    propose(sembako, "out")
    with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
        aid.daftar_build(actor=sembako.dinsos, tahap=sembako.tahap)
    assert EntriDaftar.objects.filter(daftar=daftar, aktif=True).count() == 2


def test_amendments_need_a_reason_and_are_recorded(sembako):
    daftar = ready_list(sembako, "in", "tisno")
    daftar = aid.daftar_approve(
        actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
    )
    entri = EntriDaftar.objects.get(keluarga=sembako.k_tisno)
    with pytest.raises(ValidationError, match="alasan"):
        aid.amandemen_propose(actor=sembako.dinsos, daftar=daftar, jenis="keluarkan", entri=entri, alasan="")
    f.amend(
        daftar,
        proposer=sembako.dinsos,
        approver=sembako.dinsos2,
        jenis="keluarkan",
        entri=entri,
        alasan="Meninggal dunia",
    )
    entri.refresh_from_db()
    assert not entri.aktif
    assert entri.usulan.status == StatusUsulan.DITOLAK
    (usulan,) = propose(sembako, "out")
    f.amend(
        daftar,
        proposer=sembako.dinsos,
        approver=sembako.dinsos2,
        jenis="tambah",
        usulan=usulan,
        alasan="Susulan musyawarah",
    )
    added = EntriDaftar.objects.get(usulan=usulan)
    # No exception to answer: the amendment's own reason is why it was added.
    assert added.alasan_pengecualian == "" and added.dasar_persetujuan["skor"] >= 0
    assert added.dasar_persetujuan["tanda"] == []
    assert AmandemenDaftar.objects.get(entri=added).alasan == "Susulan musyawarah"
    log = list(
        RiwayatDaftar.objects.filter(daftar=daftar, tindakan__startswith="amandemen").values_list(
            "tindakan", "catatan", "oleh__username"
        )
    )
    assert [(t, u) for t, _c, u in log] == [
        ("amandemen diusulkan: keluarkan", "dinsos_uji"),
        ("amandemen disetujui: keluarkan", "dinsos2_uji"),
        ("amandemen diusulkan: tambah", "dinsos_uji"),
        ("amandemen disetujui: tambah", "dinsos2_uji"),
    ]
    assert "Meninggal dunia" in log[0][1] and "Meninggal dunia" in log[1][1]


def test_amendment_add_respects_quota(sembako):
    sembako.tahap.kuota = 2
    sembako.tahap.save()
    daftar = ready_list(sembako, "in", "tisno")
    daftar = aid.daftar_approve(
        actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
    )
    (usulan,) = propose(sembako, "out")
    with pytest.raises(ValidationError, match="terlampaui"):
        aid.amandemen_propose(actor=sembako.dinsos, daftar=daftar, jenis="tambah", usulan=usulan, alasan="x")


def test_stale_version_is_refused(sembako):
    propose(sembako, "in")
    daftar = aid.daftar_build(actor=sembako.dinsos, tahap=sembako.tahap)
    seen = daftar.versi
    aid.daftar_submit(actor=sembako.dinsos2, daftar=daftar, versi=seen)
    with pytest.raises(ValidationError, match="baru saja diubah"):
        aid.daftar_submit(actor=sembako.dinsos, daftar=daftar, versi=seen)


def test_rejected_list_is_corrected_and_resubmitted(sembako):
    daftar = ready_list(sembako, "in", "tisno")
    aid.daftar_reject(actor=sembako.dinsos2, daftar=daftar, alasan="Data RT belum lengkap")
    entri = EntriDaftar.objects.get(keluarga=sembako.k_tisno)
    aid.daftar_remove_entries(actor=sembako.dinsos, daftar=daftar, entri_ids=[entri.pk], versi=None)
    aid.daftar_submit(actor=sembako.dinsos, daftar=daftar)
    daftar.refresh_from_db()
    assert daftar.status == StatusDaftar.DIAJUKAN
    assert Usulan.objects.get(keluarga=sembako.k_tisno).status == StatusUsulan.DIAJUKAN


def test_limited_approver_cannot_decide_a_list_reaching_beyond_their_area(sembako):
    from accounts import roles
    from accounts.choices import JenisPenugasan as J

    staff = f.make_user("staf_kanigaran", roles.DINAS, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    daftar = ready_list(sembako, "in", "out")
    with pytest.raises(PermissionDenied):
        aid.daftar_approve(actor=staff, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1))


# -- Flags --------------------------------------------------------------------------------------------


def test_overlap_repeat_and_eligibility_flags(sembako):
    rtlh_apbd = f.make_program("rtlh-apbd", kategori=("FM",), jenis_pemantauan="rumah", lihat_bulan=120)
    rtlh_baznas = f.make_program("rtlh-baznas", kategori=("FM",), jenis_pemantauan="rumah", lihat_bulan=120)
    rtlh_apbd.tidak_bersama.add(rtlh_baznas)
    # k_in got the Baznas house in 2026 and an APBD house back in 2020.
    baznas = f.make_tahap(rtlh_baznas)
    aid.usulan_create(actor=sembako.tksk_kanigaran, tahap=baznas, keluarga=sembako.k_in, alasan="x")
    f.approve_list(baznas, builder=sembako.dinsos, approver=sembako.dinsos2)
    old = f.make_tahap(
        rtlh_apbd, tahun=2020, mulai=datetime.date(2020, 1, 1), selesai=datetime.date(2020, 12, 31)
    )
    aid.usulan_create(actor=sembako.tksk_kanigaran, tahap=old, keluarga=sembako.k_in, alasan="x")
    f.approve_list(old, builder=sembako.dinsos, approver=sembako.dinsos2)

    new = f.make_tahap(rtlh_apbd, tahun=2026)
    flags = tanda_untuk(new, [sembako.k_in.pk, sembako.k_tisno.pk])
    kinds = sorted(t.kode for t in flags[sembako.k_in.pk])
    assert kinds == ["pernah_menerima", "tumpang_tindih"]
    assert "RTLH-BAZNAS" in next(t.pesan for t in flags[sembako.k_in.pk] if t.kode == "tumpang_tindih")
    assert flags.get(sembako.k_tisno.pk, []) == []
    # A household without a verified target category is flagged as not eligible.
    plain = f.make_keluarga(sembako.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Tanpa PMKS")
    assert [t.kode for t in tanda_untuk(new, [plain.pk])[plain.pk]] == ["tidak_sasaran"]


# -- Distribution and follow-up -----------------------------------------------------------------------


@pytest.fixture
def approved(sembako):
    daftar = ready_list(sembako, "in", "tisno", "out")
    sembako.daftar = aid.daftar_approve(
        actor=sembako.dinsos2, daftar=daftar, nomor_sk="SK", tanggal_sk=datetime.date(2026, 2, 1)
    )
    sembako.entri_in = EntriDaftar.objects.get(keluarga=sembako.k_in)
    return sembako


def test_distribution_schedules_follow_ups(approved):
    p = aid.penyaluran_create(
        actor=approved.tksk_kanigaran,
        entri=approved.entri_in,
        tanggal=datetime.date(2026, 3, 2),
        uraian="Paket",
        penerima="langsung",
        foto=f.photo(),
    )
    assert list(p.pemantauan.values_list("jadwal", flat=True)) == [datetime.date(2026, 4, 1)]
    assert p.foto.name.startswith("bukti/penyaluran/")
    assert p.history.first().history_user == approved.tksk_kanigaran


def test_distribution_only_to_an_approved_active_recipient(approved, sembako):
    entri = approved.entri_in
    f.amend(
        approved.daftar,
        proposer=approved.dinsos,
        approver=approved.dinsos2,
        jenis="keluarkan",
        entri=entri,
        alasan="Pindah",
    )
    with pytest.raises(ValidationError, match="tidak ada di daftar penerima yang disetujui"):
        aid.penyaluran_create(
            actor=approved.tksk_kanigaran,
            entri=entri,
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket",
            penerima="langsung",
        )
    assert not Penyaluran.objects.exists()


def test_distribution_on_an_unapproved_list_is_refused(sembako):
    daftar = ready_list(sembako, "in")
    entri = EntriDaftar.objects.get(daftar=daftar)
    with pytest.raises(ValidationError, match="disetujui"):
        aid.penyaluran_create(
            actor=sembako.tksk_kanigaran,
            entri=entri,
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket",
            penerima="langsung",
        )


def test_distribution_twice_or_outside_area_is_refused(approved):
    kw = {"tanggal": datetime.date(2026, 3, 2), "uraian": "Paket", "penerima": "langsung"}
    aid.penyaluran_create(actor=approved.tksk_kanigaran, entri=approved.entri_in, **kw)
    with pytest.raises(ValidationError, match="sudah dicatat"):
        aid.penyaluran_create(actor=approved.tksk_kanigaran, entri=approved.entri_in, **kw)
    with pytest.raises(PermissionDenied):
        aid.penyaluran_create(
            actor=approved.tksk_mayangan, entri=EntriDaftar.objects.get(keluarga=approved.k_tisno), **kw
        )


def test_representative_needs_a_name(approved):
    with pytest.raises(ValidationError, match="Nama wakil"):
        aid.penyaluran_create(
            actor=approved.tksk_kanigaran,
            entri=approved.entri_in,
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket",
            penerima="wakil",
        )


def test_follow_up_cannot_predate_the_distribution(approved):
    p = aid.penyaluran_create(
        actor=approved.tksk_kanigaran,
        entri=approved.entri_in,
        tanggal=datetime.date(2026, 3, 2),
        uraian="Paket",
        penerima="langsung",
    )
    check = p.pemantauan.get()
    with pytest.raises(ValidationError, match="sebelum tanggal penyaluran"):
        aid.pemantauan_record(
            actor=approved.tksk_kanigaran,
            pemantauan=check,
            tanggal=datetime.date(2026, 3, 1),
            data={"diterima_tepat_waktu": True},
        )
    with pytest.raises(ValidationError, match="sebelum tanggal penyaluran"):
        aid.pemantauan_schedule(actor=approved.tksk_kanigaran, penyaluran=p, jadwal=datetime.date(2026, 2, 1))
    aid.pemantauan_record(
        actor=approved.tksk_kanigaran,
        pemantauan=check,
        tanggal=datetime.date(2026, 4, 2),
        data={"diterima_tepat_waktu": True},
    )
    check.refresh_from_db()
    assert (check.status, check.diterima_tepat_waktu) == ("selesai", True)
    assert Pemantauan.objects.count() == 1
