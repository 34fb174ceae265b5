"""Who gets aid is decided by two people, on frozen evidence, with every exception justified.

For each separation-of-duties rule, every path (screen, admin page, admin changelist action,
admin import, the service a command would call) is driven with the same forbidden actor and must
give the same refusal, naming the rule, and change nothing."""

from __future__ import annotations

import datetime

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Penugasan
from bantuan import selectors as aid_selectors
from bantuan import services as aid
from bantuan.models import AmandemenDaftar, DaftarPenerima, EntriDaftar, KuotaKecamatan, Penyaluran
from bantuan.resources import PenyaluranResource
from bantuan.rules import pengecualian_daftar
from inti.models import AturanPemisahan, LogPengecualian, PengecualianPemisahan
from pmks import services as registry
from pmks.models import CatatanPmks, KategoriPmks
from tests import factories as f
from tests.test_admin_exchange import _row_errors
from tests.test_aturan import page_text

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return page_text(response)


# -- PMKS: the creator of a record never verifies it --------------------------------------------------


@pytest.fixture
def own_record(city):
    """A PMKS record the Dinas user ``dinsos`` recorded himself."""
    return f.make_pmks(
        city.dinsos, city.k_in, singkatan="LUT", anggota=city.k_in.anggota.get(hubungan="kepala")
    )


def test_creator_never_verifies_a_pmks_record_on_any_path(city, own_record, client, login):
    refusal = "Pemisahan tugas: pencatat atau pengoreksi catatan PMKS tidak boleh memverifikasi"
    url = reverse("pmks:catatanpmks_decide", args=[own_record.pk])
    for keputusan, note in (("verifikasi", ""), ("tolak", "Tidak sesuai")):
        response = login(city.dinsos).post(url, {"keputusan": keputusan, "catatan": note}, follow=True)
        assert refusal in _messages(response)
    client.force_login(city.dinsos)
    changelist = reverse("admin:pmks_catatanpmks_changelist")
    response = client.post(
        changelist, {"action": "verifikasi", "_selected_action": [own_record.pk]}, follow=True
    )
    assert refusal in _messages(response)
    with pytest.raises(ValidationError, match=refusal):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=own_record)
    own_record.refresh_from_db()
    assert own_record.status == "diusulkan" and own_record.diverifikasi_oleh is None
    # Another staff member may; a superuser who recorded one may not verify it either.
    registry.catatan_pmks_verify(actor=city.dinsos2, catatan=own_record)
    own_record.refresh_from_db()
    assert (own_record.status, own_record.diverifikasi_oleh) == ("terverifikasi", city.dinsos2)
    theirs = f.make_pmks(city.admin, city.k_tisno, singkatan="LUT", anggota=city.k_tisno.anggota.first())
    with pytest.raises(ValidationError, match=refusal):
        registry.catatan_pmks_verify(actor=city.admin, catatan=theirs)


def test_an_office_exception_allows_it_and_logs_every_use(city, own_record, client):
    PengecualianPemisahan.objects.create(
        aturan=AturanPemisahan.PMKS_VERIFIKASI, aktif=True, alasan="Hanya satu staf di bidang ini."
    )
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=own_record)
    own_record.refresh_from_db()
    assert own_record.status == "terverifikasi"
    log = LogPengecualian.objects.get()
    assert (log.aturan, log.pengguna) == (AturanPemisahan.PMKS_VERIFIKASI, city.dinsos)
    # Dinas staff cannot turn a rule off themselves: administrators only.
    client.force_login(city.dinsos)
    assert client.get(reverse("admin:inti_pengecualianpemisahan_changelist")).status_code == 403


# -- Verified evidence is frozen ------------------------------------------------------------------------


def test_verified_evidence_cannot_change_on_any_path(city, client):
    catatan = city.pmks_in
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=catatan)
    other = KategoriPmks.objects.get(singkatan="LUT")
    refusal = "tidak dapat diubah"
    with pytest.raises(ValidationError, match=refusal):
        registry.catatan_pmks_update(actor=city.dinsos, catatan=catatan, data={"bukti": "Diganti"})
    catatan.refresh_from_db()
    catatan.kategori = other
    with pytest.raises(ValidationError, match=refusal):
        catatan.full_clean()
    # The admin page shows the evidence read-only; a hand-made POST changes nothing.
    client.force_login(city.dinsos)
    url = reverse("admin:pmks_catatanpmks_change", args=[catatan.pk])
    page = client.get(url).content.decode()
    assert 'name="bukti"' not in page and 'name="kategori"' not in page
    client.post(url, {"kategori": other.pk, "bukti": "Diganti", "_save": "Simpan"})
    catatan = CatatanPmks.objects.get(pk=catatan.pk)
    assert catatan.kategori.singkatan == "FM" and catatan.bukti == "Kunjungan rumah."
    # The way to correct it: close it with a reason, record it anew, verify again.
    registry.catatan_pmks_close(actor=city.dinsos, catatan=catatan, note="Salah kategori")
    again = f.make_pmks(city.tksk_kanigaran, city.k_in, singkatan="FM")
    assert again.status == "diusulkan"


def test_approval_freezes_why_each_household_was_chosen(city):
    daftar = _approved_list(city)
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_in)
    frozen = dict(entri.dasar_persetujuan)
    assert frozen["kategori"] == ["FM"] and frozen["skor"] >= 0 and frozen["bagian"]
    registry.keluarga_save(
        actor=city.tksk_kanigaran, keluarga=city.k_in, data={"penghasilan_bulanan": 50_000}, anggota=[]
    )
    entri.refresh_from_db()
    assert entri.dasar_persetujuan == frozen
    row = next(r for r in aid_selectors.daftar_rows(user=city.dinsos, daftar=daftar) if r.entri == entri)
    assert [t.kode for t in row.tanda] == [t["kode"] for t in frozen["tanda"]]


# -- Lists: submitter, verifier and approver are three people ---------------------------------------


def _verified_list(city, *, kuota: int = 100, households=None, verifier=None):
    for c in CatatanPmks.objects.filter(pk__in=[city.pmks_in.pk, city.pmks_tisno.pk], status="diusulkan"):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=c)
    tahap = f.make_tahap(f.make_program(f"prog-{DaftarPenerima.objects.count()}"), kuota=kuota)
    for k in households or (city.k_in, city.k_tisno):
        aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=k, alasan="FM terverifikasi.")
    return f.verify_list(tahap, builder=city.dinsos, verifier=verifier or city.dinsos3)


def _approved_list(city):
    """A verified list approved by ``dinsos2`` (neither its submitter nor its verifier)."""
    daftar = _verified_list(city)
    return aid.daftar_approve(
        actor=city.dinsos2,
        daftar=daftar,
        nomor_sk="1",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan=f.reasons_for(daftar),
    )


def test_the_submitter_never_verifies(city, login):
    tahap = f.make_tahap(f.make_program("prog-v"))
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=tahap)
    aid.daftar_submit(actor=city.dinsos, daftar=daftar)
    daftar.refresh_from_db()
    refusal = "Pemisahan tugas: pengaju daftar penerima tidak boleh memverifikasinya"
    response = login(city.dinsos).post(
        reverse("bantuan:daftar_action", args=[daftar.pk]),
        {"aksi": "verifikasi", "versi": daftar.versi},
        follow=True,
    )
    assert refusal in _messages(response)
    with pytest.raises(ValidationError, match=refusal):
        aid.daftar_verify(actor=city.dinsos, daftar=daftar)
    daftar.refresh_from_db()
    assert daftar.status == "diajukan" and daftar.diverifikasi_oleh is None


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("dinsos", "pengaju daftar penerima tidak boleh menyetujuinya"),
        ("dinsos3", "verifikator daftar penerima tidak boleh menyetujuinya"),
    ],
)
def test_neither_submitter_nor_verifier_approves_on_any_path(city, client, who, refusal):
    daftar = _verified_list(city)
    actor = getattr(city, who)
    client.force_login(actor)
    # The admin page does not offer it, the approval page says why, and its POST is refused.
    page = client.get(reverse("admin:bantuan_daftarpenerima_change", args=[daftar.pk])).content.decode()
    assert "Setujui daftar" not in page
    url = reverse("admin:bantuan_daftarpenerima_setujui", args=[daftar.pk])
    assert refusal in client.get(url).content.decode()
    data = {"nomor_sk": "460/1/2026", "tanggal_sk": "2026-02-01", "versi": daftar.versi}
    assert refusal in _messages(client.post(url, data, follow=True))
    changelist = reverse("admin:bantuan_daftarpenerima_changelist")
    response = client.post(changelist, {"action": "setujui", "_selected_action": [daftar.pk]}, follow=True)
    assert refusal in _messages(response)
    with pytest.raises(ValidationError, match=refusal):
        aid.daftar_approve(actor=actor, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1))
    daftar.refresh_from_db()
    assert daftar.status == "diverifikasi" and daftar.diputuskan_oleh is None


# -- Amendments: proposed by one, approved by another ---------------------------------------------


def test_an_amendment_is_never_approved_by_its_proposer(city, login):
    daftar = _approved_list(city)
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_tisno)
    client = login(city.dinsos2)
    url = reverse("bantuan:daftar_action", args=[daftar.pk])
    daftar.refresh_from_db()
    client.post(
        url, {"aksi": "amandemen_keluarkan", "versi": daftar.versi, "entri": entri.pk, "alasan": "Pindah"}
    )
    amandemen = AmandemenDaftar.objects.get()
    assert amandemen.status == "diajukan" and amandemen.diusulkan_oleh == city.dinsos2
    refusal = "Pemisahan tugas: pengusul amandemen daftar tidak boleh menyetujuinya"
    daftar.refresh_from_db()
    response = client.post(
        url, {"aksi": "amandemen_setujui", "versi": daftar.versi, "amandemen": amandemen.pk}, follow=True
    )
    assert refusal in _messages(response)
    with pytest.raises(ValidationError, match=refusal):
        aid.amandemen_approve(actor=city.dinsos2, amandemen=amandemen)
    entri.refresh_from_db()
    assert entri.aktif
    # Another approver applies it; the SK annex shows both names.
    response = login(city.admin).post(
        url, {"aksi": "amandemen_setujui", "versi": daftar.versi, "amandemen": amandemen.pk}, follow=True
    )
    entri.refresh_from_db()
    assert not entri.aktif
    annex = login(city.dinsos).get(reverse("bantuan:lampiran_sk", args=[daftar.pk])).content.decode()
    assert "Pindah" in annex and str(city.dinsos2) in annex and str(city.admin) in annex


# -- Distribution: not recorded by the list's approver ----------------------------------------------


def test_the_approver_never_records_the_distribution_on_any_path(city, login):
    daftar = _approved_list(city)
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_in)
    refusal = "Pemisahan tugas: penyetuju daftar penerima tidak boleh mencatat penyalurannya"
    response = login(city.dinsos2).post(
        reverse("bantuan:penyaluran_create", args=[entri.pk]),
        {"tanggal": "2026-03-02", "uraian": "Paket", "penerima": "langsung"},
    )
    assert refusal in _messages(response)
    dataset = tablib.Dataset(
        [f"{daftar.tahap.program.kode}/2026/1", city.k_in.no_kk, "02/03/2026", "Paket", "langsung", "", ""],
        headers=["tahap", "no_kk", "tanggal", "uraian", "penerima", "nama_wakil", "hubungan_wakil"],
    )
    result = PenyaluranResource(user=city.dinsos2).import_data(dataset, use_transactions=True)
    assert refusal in _row_errors(result)
    assert not Penyaluran.objects.exists()
    aid.penyaluran_create(
        actor=city.tksk_kanigaran,
        entri=entri,
        tanggal=datetime.date(2026, 3, 2),
        uraian="Paket",
        penerima="langsung",
    )
    assert Penyaluran.objects.count() == 1


# -- Every exception justified at approval ----------------------------------------------------------


def test_a_more_vulnerable_unserved_household_is_paired_and_must_be_answered(city, client):
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    poorer = f.make_keluarga(
        city.tksk_kanigaran,
        f.KEL_KANIGARAN,
        kepala="Lebih Rentan",
        penghasilan_bulanan=100_000,
        jenis_lantai="tanah",
        sanitasi="tidak_ada",
    )
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=f.make_pmks(city.tksk_kanigaran, poorer))
    daftar = _verified_list(city, households=[city.k_in])
    flags = pengecualian_daftar(daftar)
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_in)
    assert [t.kode for t in flags[entri.pk]] == ["lebih_rentan"]
    assert poorer.no_kk in flags[entri.pk][0].pesan
    with pytest.raises(ValidationError, match=f"KK {city.k_in.no_kk}"):
        aid.daftar_approve(
            actor=city.dinsos2, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1)
        )
    # "Kembalikan untuk ditukar" offers the list back with the pair named.
    client.force_login(city.dinsos2)
    page = client.get(
        reverse("admin:bantuan_daftarpenerima_tolak", args=[daftar.pk]) + "?tukar=1"
    ).content.decode()
    assert poorer.no_kk in page
    aid.daftar_approve(
        actor=city.dinsos2,
        daftar=daftar,
        nomor_sk="1",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan={entri.pk: "Lebih Rentan akan diusulkan tahap 2."},
    )
    entri.refresh_from_db()
    assert entri.alasan_pengecualian == "Lebih Rentan akan diusulkan tahap 2."


def test_a_kecamatan_over_its_quota_needs_a_reason_per_entry(city):
    daftar = _verified_list(city)
    KuotaKecamatan.objects.create(tahap=daftar.tahap, kecamatan_id=f.KANIGARAN, kuota=1)
    flags = pengecualian_daftar(daftar)
    assert sorted(t.kode for tanda in flags.values() for t in tanda) == ["kuota_kecamatan", "kuota_kecamatan"]
    with pytest.raises(ValidationError, match="Kuota Kecamatan Kanigaran"):
        aid.daftar_approve(
            actor=city.dinsos2, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1)
        )
    approved = aid.daftar_approve(
        actor=city.dinsos2,
        daftar=daftar,
        nomor_sk="1",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan=f.reasons_for(daftar),
    )
    assert approved.status == "disetujui"


def test_reasons_are_shown_printed_and_exported(aid, login):
    from tests.test_laporan import _csv

    entri = EntriDaftar.objects.get(daftar=aid.daftar, keluarga=aid.k_in)
    EntriDaftar.objects.filter(pk=entri.pk).update(alasan_pengecualian="Alasan uji yang tercetak.")
    client = login(aid.dinsos)
    assert (
        "Alasan uji yang tercetak."
        in client.get(reverse("bantuan:daftar_detail", args=[aid.daftar.pk])).content.decode()
    )
    assert (
        "Alasan uji yang tercetak."
        in client.get(reverse("bantuan:lampiran_sk", args=[aid.daftar.pk])).content.decode()
    )
    rows = _csv(client.get(reverse("laporan:unduh", args=["penerima"]), {"format": "csv"}))
    assert any("Alasan uji yang tercetak." in row for row in rows)
    # A list not approved has no annex.
    waiting = _verified_list(aid, households=[aid.k_tisno])
    assert client.get(reverse("bantuan:lampiran_sk", args=[waiting.pk])).status_code == 404


# -- Assignments: permissioned, audited, warned ------------------------------------------------------


def test_staff_who_only_view_assignments_cannot_end_them(city, client):
    client.force_login(city.dinsos)
    penugasan = Penugasan.objects.get(user=city.tksk_kanigaran)
    url = reverse("admin:accounts_penugasan_changelist")
    client.post(url, {"action": "akhiri", "_selected_action": [penugasan.pk], "selesai": "2026-12-01"})
    penugasan.refresh_from_db()
    assert penugasan.selesai is None


def test_ending_an_assignment_warns_names_and_records(city, client):
    client.force_login(city.admin)
    penugasan = Penugasan.objects.get(user=city.tksk_kanigaran)
    url = reverse("admin:accounts_penugasan_changelist")
    page = client.post(url, {"action": "akhiri", "_selected_action": [penugasan.pk]}).content.decode()
    assert "tidak akan memiliki TKSK aktif" in page and "Kanigaran" in page
    response = client.post(
        url, {"action": "akhiri", "_selected_action": [penugasan.pk], "selesai": "2026-12-01"}, follow=True
    )
    assert "kini tidak memiliki TKSK aktif" in _messages(response)
    penugasan.refresh_from_db()
    assert penugasan.selesai == datetime.date(2026, 12, 1)
    last = penugasan.history.order_by("-history_date").first()
    assert (last.history_type, last.history_user, last.selesai) == (
        "~",
        city.admin,
        datetime.date(2026, 12, 1),
    )
    user_page = client.get(
        reverse("admin:accounts_user_change", args=[city.tksk_kanigaran.pk])
    ).content.decode()
    assert "Riwayat penugasan" in user_page and str(city.admin) in user_page


def test_hand_over_ends_one_and_starts_the_other(city, client):
    client.force_login(city.admin)
    successor = f.make_user("tksk_pengganti", "TKSK")
    penugasan = Penugasan.objects.get(user=city.tksk_kanigaran)
    url = reverse("admin:accounts_penugasan_changelist")
    client.post(
        url,
        {
            "action": "serah_terima",
            "_selected_action": [penugasan.pk],
            "pengganti": successor.pk,
            "mulai": "2026-12-10",
        },
    )
    penugasan.refresh_from_db()
    assert penugasan.selesai == datetime.date(2026, 12, 9)
    new = Penugasan.objects.get(user=successor)
    assert (new.wilayah_id, new.mulai, new.selesai) == (f.KANIGARAN, datetime.date(2026, 12, 10), None)
    assert new.history.get().history_user == city.admin


# -- The decision trail on one page -------------------------------------------------------------------


def test_the_household_page_shows_who_decided_each_step(aid, login):
    page = login(aid.tksk_kanigaran).get(reverse("pmks:keluarga_detail", args=[aid.k_in.pk])).content.decode()
    for step in (
        "Catatan PMKS FM dicatat",
        "Diusulkan",
        "Daftar diajukan",
        "Daftar diverifikasi",
        "Daftar disetujui",
        "Disalurkan",
    ):
        assert step in page, step
    for person in (aid.tksk_kanigaran, aid.dinsos, aid.dinsos3, aid.dinsos2):
        assert str(person) in page
    assert "SK 460/12/425.104/2026" in page


# -- Closing the gaps an audit found ------------------------------------------------------------------


def test_whoever_corrected_the_evidence_never_verifies_it(city, client):
    catatan = city.pmks_in  # recorded by the TKSK
    registry.catatan_pmks_update(actor=city.dinsos, catatan=catatan, data={"bukti": "Dikoreksi Dinas."})
    refusal = "Pemisahan tugas: pencatat atau pengoreksi catatan PMKS tidak boleh memverifikasi"
    with pytest.raises(ValidationError, match=refusal):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=catatan)
    client.force_login(city.dinsos)
    changelist = reverse("admin:pmks_catatanpmks_changelist")
    response = client.post(
        changelist, {"action": "verifikasi", "_selected_action": [catatan.pk]}, follow=True
    )
    assert refusal in _messages(response)
    catatan.refresh_from_db()
    assert catatan.status == "diusulkan"
    # Saving it unchanged writes nothing of the evidence: that reader may still verify it.
    registry.catatan_pmks_update(actor=city.dinsos3, catatan=catatan, data={"bukti": "Dikoreksi Dinas."})
    assert catatan.penyusun_bukti() == {city.tksk_kanigaran.pk, city.dinsos.pk}
    registry.catatan_pmks_verify(actor=city.dinsos3, catatan=catatan)
    catatan.refresh_from_db()
    assert (catatan.status, catatan.diverifikasi_oleh) == ("terverifikasi", city.dinsos3)


def test_a_person_holding_a_pmks_record_is_not_moved_to_another_household(city):
    wife = city.k_in.anggota.get(hubungan="istri")
    f.make_pmks(city.tksk_kanigaran, city.k_in, singkatan="LUT", anggota=wife)
    with pytest.raises(ValidationError, match="memiliki catatan PMKS pada KK asalnya"):
        registry.anggota_save(actor=city.admin, anggota=wife, data={"keluarga": city.k_tisno})
    wife.refresh_from_db()
    assert wife.keluarga == city.k_in


def test_a_flag_the_verifier_saw_must_be_answered_even_if_the_rule_changed(city):
    for c in (city.pmks_in, city.pmks_tisno):
        registry.catatan_pmks_verify(actor=city.dinsos, catatan=c)
    program = f.make_program("prog-lut", kategori=("LUT",))  # the households are FM: not targets
    tahap = f.make_tahap(program)
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    daftar = f.verify_list(tahap, builder=city.dinsos, verifier=city.dinsos3)
    entri = daftar.entri.get()
    assert [t["kode"] for t in entri.tanda_verifikasi] == ["tidak_sasaran"]
    program.kategori_sasaran.clear()  # the approver loosens the rule after verification
    with pytest.raises(ValidationError, match=f"KK {city.k_in.no_kk}: Tidak memiliki catatan PMKS"):
        aid.daftar_approve(
            actor=city.dinsos2, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1)
        )
    daftar.refresh_from_db()
    assert daftar.status == "diverifikasi"
    aid.daftar_approve(
        actor=city.dinsos2,
        daftar=daftar,
        nomor_sk="1",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan={entri.pk: "Sasaran diperluas oleh Kepala Dinas."},
    )
    entri.refresh_from_db()
    assert [t["kode"] for t in entri.dasar_persetujuan["tanda"]] == ["tidak_sasaran"]


def test_an_amendment_adding_a_flagged_household_needs_the_approvers_reason(city, login):
    registry.catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    tahap = f.make_tahap(f.make_program("prog-amandemen"))
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    daftar = f.approve_list(tahap, builder=city.dinsos, verifier=city.dinsos3, approver=city.dinsos2)
    # Bambang Tisno's FM record is not verified: not a target of the programme.
    usulan = aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_tisno, alasan="x")
    amandemen = aid.amandemen_propose(
        actor=city.dinsos, daftar=daftar, jenis="tambah", alasan="Terlewat", usulan=usulan
    )
    page = login(city.admin).get(reverse("bantuan:daftar_detail", args=[daftar.pk])).content.decode()
    assert "Tidak memiliki catatan PMKS terverifikasi" in page
    daftar.refresh_from_db()
    url = reverse("bantuan:daftar_action", args=[daftar.pk])
    response = login(city.admin).post(
        url, {"aksi": "amandemen_setujui", "versi": daftar.versi, "amandemen": amandemen.pk}, follow=True
    )
    assert "Tuliskan alasan persetujuan amandemen ini" in _messages(response)
    assert not EntriDaftar.objects.filter(daftar=daftar, keluarga=city.k_tisno).exists()
    amandemen.refresh_from_db()
    assert amandemen.status == "diajukan"
    login(city.admin).post(
        url,
        {
            "aksi": "amandemen_setujui",
            "versi": daftar.versi,
            "amandemen": amandemen.pk,
            "alasan": "Verifikasi PMKS menyusul.",
        },
    )
    entri = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_tisno)
    assert entri.alasan_pengecualian == "Verifikasi PMKS menyusul."
    assert [t["kode"] for t in entri.dasar_persetujuan["tanda"]] == ["tidak_sasaran"]
    # Whoever approved adding the household does not record its distribution either.
    refusal = "penyetuju daftar penerima tidak boleh mencatat penyalurannya"
    with pytest.raises(ValidationError, match=refusal):
        aid.penyaluran_create(
            actor=city.admin,
            entri=entri,
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket",
            penerima="langsung",
        )
    aid.penyaluran_create(
        actor=city.tksk_kanigaran,
        entri=entri,
        tanggal=datetime.date(2026, 3, 2),
        uraian="Paket",
        penerima="langsung",
    )


def test_frozen_facts_are_read_only_in_the_admin_for_superusers_too(aid, client):
    client.force_login(aid.admin)
    entri = EntriDaftar.objects.get(daftar=aid.daftar, keluarga=aid.k_in)
    url = reverse("admin:bantuan_entridaftar_change", args=[entri.pk])
    assert 'name="alasan_pengecualian"' not in client.get(url).content.decode()
    assert client.post(url, {"alasan_pengecualian": "", "dasar_persetujuan": "{}"}).status_code == 403
    entri.alasan_pengecualian = "Ditulis ulang."
    with pytest.raises(ValidationError, match="dibekukan saat disetujui"):
        entri.full_clean()
    verified = CatatanPmks.objects.filter(status="terverifikasi")
    before = verified.count()
    assert before
    delete_url = reverse("admin:pmks_catatanpmks_delete", args=[verified.first().pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:pmks_catatanpmks_changelist")
    selected = list(verified.values_list("pk", flat=True))
    client.post(changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert CatatanPmks.objects.filter(status="terverifikasi").count() == before


def test_an_open_assignment_ends_only_through_the_actions(city, client):
    penugasan = Penugasan.objects.get(user=city.tksk_kanigaran)
    with pytest.raises(ValidationError, match="Akhiri penugasan"):
        accounts_services.penugasan_update(
            actor=city.admin, penugasan=penugasan, data={"selesai": datetime.date(2026, 12, 1)}
        )
    client.force_login(city.admin)
    page = client.get(reverse("admin:accounts_penugasan_change", args=[penugasan.pk])).content.decode()
    assert 'name="selesai"' not in page and 'name="user"' not in page and 'name="wilayah"' not in page
    assert 'name="catatan"' in page
    penugasan.refresh_from_db()
    assert penugasan.selesai is None
