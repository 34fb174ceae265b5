"""Each business rule is one function, and every way in meets it: the screen, the admin forms
and actions, the admin import, the people import. Each test drives every entry point with the
same bad case and expects the same refusal and no change."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from bantuan import selectors as aid_selectors
from bantuan import services as aid
from bantuan.models import DaftarPenerima, EntriDaftar, Pemantauan, Penyaluran
from bantuan.resources import PenyaluranResource
from bantuan.rules import jumlah_pmks_terverifikasi, skor_kerentanan, tanda_untuk
from pmks.choices import Hubungan
from pmks.models import AnggotaKeluarga, Keluarga
from pmks.resources import AnggotaKeluargaResource
from pmks.services import catatan_pmks_verify
from tests import factories as f
from tests.test_impor import csv_file, person, upload
from tests.test_views import edit_data, form_data, two_members

pytestmark = pytest.mark.django_db

MEMBER_HEADER = [
    "nik",
    "no_kk",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "hubungan",
    "status_perkawinan",
    "pendidikan",
    "pekerjaan",
    "disabilitas",
]


def _member_row(m: AnggotaKeluarga, **changes) -> list[str]:
    values = {
        "nik": m.nik,
        "no_kk": m.keluarga.no_kk,
        "nama": m.nama,
        "tempat_lahir": m.tempat_lahir,
        "tanggal_lahir": m.tanggal_lahir.strftime("%d/%m/%Y"),
        "jenis_kelamin": m.jenis_kelamin,
        "hubungan": m.hubungan,
        "status_perkawinan": m.status_perkawinan,
        "pendidikan": m.pendidikan,
        "pekerjaan": m.pekerjaan,
        "disabilitas": m.disabilitas,
        **changes,
    }
    return [values[h] for h in MEMBER_HEADER]


def admin_import_text(user, rows) -> str:
    """Import members through the admin's resource; returns every message it gave."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_HEADER)
    writer.writerows(rows)
    dataset = tablib.Dataset().load(out.getvalue(), format="csv")
    result = AnggotaKeluargaResource(user=user).import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True, use_transactions=True
    )
    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    messages += [str(e.error) for _n, errors in result.row_errors() for e in errors]
    for error in result.base_errors:
        messages += getattr(error.error, "messages", [str(error.error)])
    return " ".join(messages)


def page_text(response) -> str:
    """A page's text and its messages (the admin shows a refused save as a message)."""
    body = response.content.decode()
    messages = [str(m) for m in response.context["messages"]] if response.context else []
    return " ".join([body, *messages])


def people_import_text(client, rows, duplikat="tolak") -> str:
    response = upload(client, csv_file(rows), duplikat=duplikat)
    h = response.context["h"]
    return " ".join([g["pesan"] for g in h.get("galat", [])] + h.get("pesan", []))


def admin_inline_data(kel: Keluarga, **member_changes) -> dict:
    """The admin household page's POST: the household and its members (the head changed)."""
    data = edit_data(kel)
    data["kelurahan"] = kel.kelurahan_id
    data["_save"] = "Simpan"
    head = next(
        i for i in range(int(data["anggota-TOTAL_FORMS"])) if data[f"anggota-{i}-hubungan"] == "kepala"
    )
    for key, value in member_changes.items():
        data[f"anggota-{head}-{key}"] = value
    data.update({f"anggota-{i}-keluarga": kel.pk for i in range(int(data["anggota-TOTAL_FORMS"]))})
    return data


# -- One head per household ------------------------------------------------------------------------


def test_one_head_per_household_on_every_path(city, client, login):
    kel = city.k_in
    head = kel.anggota.get(hubungan=Hubungan.KEPALA)
    refusal = "satu kepala keluarga"

    def unchanged() -> None:
        assert AnggotaKeluarga.objects.get(pk=head.pk).hubungan == Hubungan.KEPALA
        assert kel.anggota.filter(hubungan=Hubungan.KEPALA).count() == 1

    # The registry screen.
    data = edit_data(kel)
    i = next(n for n in range(2) if data[f"anggota-{n}-hubungan"] == "kepala")
    data[f"anggota-{i}-hubungan"] = "anak"
    response = login(city.tksk_kanigaran).post(reverse("pmks:keluarga_update", args=[kel.pk]), data)
    assert refusal in page_text(response)
    unchanged()

    client.force_login(city.dinsos)
    # The admin's household page with its members.
    response = client.post(
        reverse("admin:pmks_keluarga_change", args=[kel.pk]), admin_inline_data(kel, hubungan="anak")
    )
    assert refusal in page_text(response)
    unchanged()

    # The admin's member page: the head made a child, or deleted.
    member_url = reverse("admin:pmks_anggotakeluarga_change", args=[head.pk])
    form = client.get(member_url).context["adminform"].form
    post = {k: v for k, v in form.initial.items() if v is not None}
    post.update(
        {
            "keluarga": kel.pk,
            "tanggal_lahir": head.tanggal_lahir.strftime("%d/%m/%Y"),
            "hubungan": "anak",
            "_save": "Simpan",
        }
    )
    assert refusal in page_text(client.post(member_url, post, follow=True))
    unchanged()
    delete_url = reverse("admin:pmks_anggotakeluarga_delete", args=[head.pk])
    # Remove the wife first (allowed), then the head: the household would have no head left.
    wife = kel.anggota.get(hubungan=Hubungan.ISTRI)
    client.post(reverse("admin:pmks_anggotakeluarga_delete", args=[wife.pk]), {"post": "yes"})
    assert not AnggotaKeluarga.objects.filter(pk=wife.pk).exists()
    text = page_text(client.post(delete_url, {"post": "yes"}, follow=True))
    assert "kepala keluarga" in text or "minimal satu anggota" in text
    unchanged()

    # The admin's member import.
    head.refresh_from_db()
    assert refusal in admin_import_text(city.dinsos, [_member_row(head, hubungan="anak")])
    unchanged()

    # The people import, updating registered households.
    row = person(
        kel.no_kk,
        head.nama,
        kel=kel.kelurahan_id,
        born=head.tanggal_lahir,
        nik=head.nik,
        hubungan="anak",
    )
    assert refusal in people_import_text(login(city.tksk_kanigaran), [row], duplikat="perbarui")
    unchanged()


def test_a_file_may_swap_two_heads(city):
    """The household rules hold for the household as the whole file leaves it."""
    kel = city.k_in
    head, wife = kel.anggota.get(hubungan="kepala"), kel.anggota.get(hubungan="istri")
    rows = [_member_row(head, hubungan="suami"), _member_row(wife, hubungan="kepala")]
    assert admin_import_text(city.dinsos, rows) == ""
    assert kel.anggota.get(hubungan="kepala") == wife


# -- NIK and No. KK ------------------------------------------------------------------------------------


def test_malformed_nik_on_every_path(city, client, login):
    bad = "357404170580001"  # 15 digits
    refusal = "harus tepat 16 digit"
    before = AnggotaKeluarga.objects.count()

    members = two_members()
    members[0]["nik"] = bad
    response = login(city.tksk_kanigaran).post(
        reverse("pmks:keluarga_create"), form_data(f.KEL_KANIGARAN, members)
    )
    assert refusal in page_text(response)

    client.force_login(city.dinsos)
    head = city.k_in.anggota.get(hubungan="kepala")
    response = client.post(
        reverse("admin:pmks_keluarga_change", args=[city.k_in.pk]), admin_inline_data(city.k_in, nik=bad)
    )
    assert refusal in page_text(response)
    assert refusal in admin_import_text(city.dinsos, [_member_row(head, nik=bad, hubungan="anak")])
    row = person(f.no_kk_for(f.KEL_KANIGARAN), "Salah NIK", nik=bad)
    assert refusal in people_import_text(login(city.tksk_kanigaran), [row])
    assert AnggotaKeluarga.objects.count() == before
    assert AnggotaKeluarga.objects.get(pk=head.pk).nik == head.nik


def test_a_nik_registered_in_another_area_on_every_path(city, client, login):
    taken = city.k_out.anggota.get(hubungan="kepala")
    refusal = "sudah terdaftar"
    before = AnggotaKeluarga.objects.count()

    members = two_members()
    members[0]["nik"] = taken.nik
    response = login(city.tksk_kanigaran).post(
        reverse("pmks:keluarga_create"), form_data(f.KEL_KANIGARAN, members)
    )
    assert refusal in page_text(response)
    row = [taken.nik, city.k_in.no_kk, "Tiruan", "Probolinggo", taken.tanggal_lahir.strftime("%d/%m/%Y")]
    row += [taken.jenis_kelamin, "anak", "belum_kawin", "", "", "tidak"]
    staff = f.make_user("staf_kanigaran", "Dinas Sosial", "kelurahan", f.KEL_KANIGARAN, staff=True)
    assert refusal in admin_import_text(staff, [row])
    imported = person(
        f.no_kk_for(f.KEL_KANIGARAN),
        "Tiruan",
        nik=taken.nik,
        born=taken.tanggal_lahir,
        sex=taken.jenis_kelamin,
    )
    assert refusal in people_import_text(login(city.tksk_kanigaran), [imported])
    assert AnggotaKeluarga.objects.count() == before
    assert AnggotaKeluarga.objects.get(nik=taken.nik).keluarga == city.k_out


# -- Area ----------------------------------------------------------------------------------------------


def test_a_household_outside_the_area_on_every_path(city, client, login):
    """A TKSK of Kanigaran registering in Mayangan, and Mayangan's staff editing Kanigaran."""
    refusal = "di luar wilayah tugas Anda"
    before = Keluarga.objects.count()
    response = login(city.tksk_kanigaran).post(
        reverse("pmks:keluarga_create"), form_data(f.KEL_MAYANGAN, two_members(f.KEL_MAYANGAN))
    )
    assert refusal in page_text(response)
    rows = [person(f.no_kk_for(f.KEL_MAYANGAN), "Nyasar", kel=f.KEL_MAYANGAN)]
    assert refusal in people_import_text(login(city.tksk_kanigaran), rows)

    staff = f.make_user("staf_mayangan", "Dinas Sosial", "kelurahan", f.KEL_MAYANGAN, staff=True)
    head = city.k_in.anggota.get(hubungan="kepala")
    assert refusal in admin_import_text(staff, [_member_row(head, nama="Diambil Alih")])
    client.force_login(staff)
    add = form_data(f.KEL_KANIGARAN, [])
    add.update({"kelurahan": f.KEL_KANIGARAN, "no_kk": f.no_kk_for(f.KEL_KANIGARAN), "_save": "Simpan"})
    assert refusal in page_text(client.post(reverse("admin:pmks_keluarga_add"), add))
    assert client.get(reverse("admin:pmks_keluarga_change", args=[city.k_in.pk])).status_code == 302
    assert Keluarga.objects.count() == before
    assert AnggotaKeluarga.objects.get(pk=head.pk).nama == head.nama


# -- Aid: quota, four eyes, follow-ups -------------------------------------------------------------


def _verified_list(city, kuota: int = 100) -> DaftarPenerima:
    for c in (city.pmks_in, city.pmks_tisno):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    tahap = f.make_tahap(f.make_program("rtlh-uji", jadwal="30,90"), kuota=kuota)
    for k in (city.k_in, city.k_tisno):
        aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=k, alasan="Rumah tidak layak.")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=tahap)
    aid.daftar_submit(actor=city.dinsos, daftar=daftar)
    aid.daftar_verify(actor=city.dinsos3, daftar=daftar)
    daftar.refresh_from_db()
    return daftar


def _approve_in_admin(client, daftar: DaftarPenerima):
    url = reverse("admin:bantuan_daftarpenerima_setujui", args=[daftar.pk])
    data = {"nomor_sk": "460/1/2026", "tanggal_sk": "2026-02-01", "versi": daftar.versi}
    return client.post(url, data, follow=True)


def _approve_by_action(client, daftar: DaftarPenerima):
    url = reverse("admin:bantuan_daftarpenerima_changelist")
    response = client.post(url, {"action": "setujui", "_selected_action": [daftar.pk]})
    assert response.status_code == 302  # to the approval page, where the rule is applied
    return _approve_in_admin(client, daftar)


@pytest.mark.parametrize("approve", [_approve_in_admin, _approve_by_action])
def test_the_submitter_never_approves(city, client, approve):
    daftar = _verified_list(city)
    client.force_login(city.dinsos)  # who submitted it
    assert "persetujuan harus oleh staf lain" in page_text(approve(client, daftar))
    daftar.refresh_from_db()
    assert daftar.status == "diverifikasi"


@pytest.mark.parametrize("approve", [_approve_in_admin, _approve_by_action])
def test_the_quota_holds_at_approval(city, client, approve):
    daftar = _verified_list(city, kuota=1)
    client.force_login(city.dinsos2)
    assert "Kuota 1 terlampaui" in page_text(approve(client, daftar))
    daftar.refresh_from_db()
    assert daftar.status == "diverifikasi"


def test_the_quota_holds_for_an_amendment(city, login):
    daftar = _verified_list(city, kuota=2)
    aid.daftar_approve(actor=city.dinsos2, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1))
    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_out)
    late = aid.usulan_create(actor=city.tksk_mayangan, tahap=daftar.tahap, keluarga=city.k_out, alasan="x")
    daftar.refresh_from_db()
    response = login(city.dinsos2).post(
        reverse("bantuan:daftar_action", args=[daftar.pk]),
        {"aksi": "amandemen_tambah", "versi": daftar.versi, "usulan": late.pk, "alasan": "Susulan"},
        follow=True,
    )
    assert "Kuota 2 terlampaui" in page_text(response)
    assert not EntriDaftar.objects.filter(usulan=late).exists()


def test_follow_ups_are_scheduled_alike_on_every_path(city, login):
    daftar = _verified_list(city)
    aid.daftar_approve(actor=city.dinsos2, daftar=daftar, nomor_sk="1", tanggal_sk=datetime.date(2026, 2, 1))
    e_in = EntriDaftar.objects.get(daftar=daftar, keluarga=city.k_in)
    login(city.tksk_kanigaran).post(
        reverse("bantuan:penyaluran_create", args=[e_in.pk]),
        {"tanggal": "2026-03-02", "uraian": "Bahan bangunan", "penerima": "langsung"},
    )
    dataset = tablib.Dataset(
        [
            "",
            f"{daftar.tahap.program.kode}/2026/1",
            city.k_tisno.no_kk,
            "02/03/2026",
            "Bahan",
            "langsung",
            "",
            "",
        ],
        headers=["id", "tahap", "no_kk", "tanggal", "uraian", "penerima", "nama_wakil", "hubungan_wakil"],
    )
    result = PenyaluranResource(user=city.tksk_kanigaran).import_data(dataset, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    schedules = [
        sorted(Pemantauan.objects.filter(penyaluran__entri__keluarga=k).values_list("jadwal", flat=True))
        for k in (city.k_in, city.k_tisno)
    ]
    expected = [datetime.date(2026, 4, 1), datetime.date(2026, 5, 31)]  # 30 and 90 days later
    assert schedules == [expected, expected]
    assert Penyaluran.objects.filter(entri__daftar=daftar).count() == 2


# -- The exclusion rule: the flags and the overlap report agree ---------------------------------


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        # (period of the goat stage, period of the business-capital stage, excluded?)
        (
            (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
            (datetime.date(2026, 3, 1), datetime.date(2026, 9, 30)),
            True,
        ),
        (
            (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
            (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
            False,
        ),
        (
            (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
            (datetime.date(2026, 12, 31), datetime.date(2027, 3, 31)),
            True,
        ),
    ],
)
def test_overlap_flag_and_overlap_report_agree(city, first, second, clash):
    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    kambing = f.make_program("kambing-uji", jenis_pemantauan="kambing")
    modal = f.make_program("modal-uji", jenis_pemantauan="usaha")
    kambing.tidak_bersama.add(modal)
    t_kambing = f.make_tahap(kambing, mulai=first[0], selesai=first[1])
    t_modal = f.make_tahap(modal, tahun=second[0].year, mulai=second[0], selesai=second[1])
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=t_kambing, keluarga=city.k_in, alasan="x")
    f.approve_list(t_kambing, builder=city.dinsos, approver=city.dinsos2)

    flags = tanda_untuk(t_modal, [city.k_in.pk]).get(city.k_in.pk, [])
    flagged = any(t.kode == "tumpang_tindih" for t in flags)
    assert flagged == clash

    aid.usulan_create(actor=city.tksk_kanigaran, tahap=t_modal, keluarga=city.k_in, alasan="x")
    f.approve_list(t_modal, builder=city.dinsos, approver=city.dinsos2)
    rows = aid_selectors.laporan_tumpang_tindih(user=city.dinsos, tahun=2026)
    row = next(r for r in rows if r.keluarga == city.k_in)
    assert row.bertentangan == flagged


# -- The vulnerability score --------------------------------------------------------------------


def test_the_gap_report_ranks_by_the_one_score(city):
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    program = f.make_program("sembako-uji")
    rows = aid_selectors.laporan_belum_menerima(user=city.dinsos, program=program, tahun=2026)
    today = timezone.localdate()
    counts = jumlah_pmks_terverifikasi([r.keluarga.pk for r in rows])
    for r in rows:
        members = list(r.keluarga.anggota.all())
        assert r.skor == skor_kerentanan(r.keluarga, members, counts.get(r.keluarga.pk, 0), today)
    assert [r.skor.total for r in rows] == sorted((r.skor.total for r in rows), reverse=True)
