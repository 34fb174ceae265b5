"""The admin: scoped like the screens; decisions and imports go through the same rules."""

import csv
import datetime
import io

import pytest
import tablib
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from accounts.choices import JenisPenugasan as J
from inti.spreadsheet import neutralise_formula
from pmks.choices import StatusPmks
from pmks.models import AnggotaKeluarga, Keluarga
from pmks.resources import AnggotaKeluargaResource, KeluargaResource
from tests import factories as f

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


@pytest.fixture
def staff_mayangan(city):
    """Staff with Dinas permissions but limited to one Mayangan kelurahan."""
    return f.make_user("staf_mayangan", roles.DINAS, J.KELURAHAN, f.KEL_MAYANGAN, staff=True)


def test_changelist_is_scoped(city, client, staff_mayangan):
    client.force_login(staff_mayangan)
    page = client.get(reverse("admin:pmks_keluarga_changelist")).content.decode()
    assert city.k_out.no_kk in page
    assert city.k_in.no_kk not in page
    client.force_login(city.dinsos)
    page = client.get(reverse("admin:pmks_keluarga_changelist")).content.decode()
    assert city.k_out.no_kk in page and city.k_in.no_kk in page


def test_changelist_queries_do_not_grow(city, client, django_assert_max_num_queries):
    client.force_login(city.dinsos)
    for i in range(5):
        f.make_pmks(
            city.tksk_kanigaran, f.make_keluarga(city.tksk_kanigaran, f.KEL_KANIGARAN, kepala=f"X{i}")
        )
    for name in (
        "admin:pmks_keluarga_changelist",
        "admin:pmks_catatanpmks_changelist",
        "admin:pmks_anggotakeluarga_changelist",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_verify_action_calls_the_service(city, client):
    client.force_login(city.dinsos)
    url = reverse("admin:pmks_catatanpmks_changelist")
    client.post(url, {"action": "verifikasi", "_selected_action": [city.pmks_in.pk]})
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.TERVERIFIKASI
    assert city.pmks_in.diverifikasi_oleh == city.dinsos
    assert city.pmks_in.history.first().history_user == city.dinsos


def test_reject_action_asks_for_a_reason(city, client):
    client.force_login(city.dinsos)
    url = reverse("admin:pmks_catatanpmks_changelist")
    response = client.post(url, {"action": "tolak", "_selected_action": [city.pmks_in.pk]})
    assert response.status_code == 200
    assert "Alasan" in response.content.decode()
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.DIUSULKAN
    client.post(url, {"action": "tolak", "_selected_action": [city.pmks_in.pk], "alasan": "Tidak sesuai"})
    city.pmks_in.refresh_from_db()
    assert (city.pmks_in.status, city.pmks_in.catatan_verifikasi) == (StatusPmks.DITOLAK, "Tidak sesuai")


def test_staff_without_verify_permission_cannot_use_the_action(city, client):
    staff = f.make_user("staf_tanpa_verifikasi", roles.KELURAHAN, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_catatanpmks"))
    client.force_login(staff)
    url = reverse("admin:pmks_catatanpmks_changelist")
    client.post(url, {"action": "verifikasi", "_selected_action": [city.pmks_in.pk]})
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.DIUSULKAN


# -- Import / export ----------------------------------------------------------------------------


def _members_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _row(kk, nama, nik=None, born="17/05/1980", sex="L", hubungan="anak"):
    nik = nik or f.nik_for(f.KEL_KANIGARAN, datetime.date(1980, 5, 17), sex)
    return [nik, kk, nama, "Probolinggo", born, sex, hubungan, "belum_kawin", "sd", "", "tidak"]


def _import(user, text):
    resource = AnggotaKeluargaResource(user=user)
    dataset = tablib.Dataset().load(text, format="csv")
    return resource.import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True, use_transactions=True
    )


def test_import_members_with_natural_keys_and_history(city):
    result = _import(city.dinsos, _members_csv([_row(city.k_in.no_kk, "Anak Baru")]))
    assert not result.has_errors() and not result.has_validation_errors()
    member = AnggotaKeluarga.objects.get(nama="Anak Baru")
    assert member.keluarga == city.k_in
    assert member.history.first().history_type == "+"


def test_import_with_one_bad_row_saves_nothing_and_names_the_row(city):
    before = AnggotaKeluarga.objects.count()
    text = _members_csv(
        [
            _row(city.k_in.no_kk, "Baik"),
            _row(city.k_in.no_kk, "Angka", nik="3.57404E+15"),
            _row(city.k_in.no_kk, "Salah Tanggal", born="18/05/1980"),
        ]
    )
    result = _import(city.dinsos, text)
    assert result.has_validation_errors()
    messages = {
        row.number: " ".join(m for ms in row.error_dict.values() for m in ms) for row in result.invalid_rows
    }
    assert set(messages) == {2, 3}
    assert "sebagai angka" in messages[2]
    assert "tidak cocok dengan NIK" in messages[3]
    assert AnggotaKeluarga.objects.count() == before


def test_import_row_outside_the_area_is_a_row_error(city, staff_mayangan):
    result = _import(staff_mayangan, _members_csv([_row(city.k_in.no_kk, "Nyasar")]))
    assert result.has_validation_errors()
    text = " ".join(m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms)
    assert "di luar wilayah tugas Anda" in text
    assert not AnggotaKeluarga.objects.filter(nama="Nyasar").exists()


def test_admin_import_preview_then_confirm(city, client):
    client.force_login(city.dinsos)
    upload = SimpleUploadedFile(
        "anggota.csv", _members_csv([_row(city.k_in.no_kk, "Dari Admin")]).encode(), content_type="text/csv"
    )
    url = reverse("admin:pmks_anggotakeluarga_import")
    formats = [fmt().get_title() for fmt in admin.site._registry[AnggotaKeluarga].get_import_formats()]
    response = client.post(url, {"import_file": upload, "format": formats.index("csv"), "resource": 0})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context.get("result")
    assert not AnggotaKeluarga.objects.filter(nama="Dari Admin").exists()  # preview only
    response = client.post(reverse("admin:pmks_anggotakeluarga_process_import"), confirm.initial)
    assert response.status_code == 302
    assert AnggotaKeluarga.objects.filter(nama="Dari Admin", keluarga=city.k_in).exists()


def test_export_is_scoped_and_never_contains_live_formulas(city, staff_mayangan):
    from pmks import services

    services.keluarga_save(
        actor=city.tksk_mayangan,
        keluarga=city.k_out,
        data={"alamat": '=HYPERLINK("http://x","klik")'},
        anggota=[
            {"pk": a.pk, "pekerjaan": p}
            for a, p in zip(city.k_out.anggota.all(), ["+62 812", "@SUM(A1)"], strict=True)
        ],
    )
    data = KeluargaResource(user=staff_mayangan).export(Keluarga.objects.for_user(staff_mayangan))
    assert [row[0] for row in data] == [city.k_out.no_kk]
    alamat = data.dict[0]["alamat"]
    assert alamat.startswith("'=")
    people = AnggotaKeluargaResource(user=staff_mayangan).export(
        AnggotaKeluarga.objects.for_user(staff_mayangan)
    )
    jobs = sorted(r["pekerjaan"] for r in people.dict)
    assert jobs == ["'+62 812", "'@SUM(A1)"]
    # NIK stays text, full 16 digits.
    assert all(len(r["nik"]) == 16 and r["nik"].isdigit() for r in people.dict)


def test_admin_export_download_is_scoped_and_neutralised(city, client, staff_mayangan):
    client.force_login(staff_mayangan)
    url = reverse("admin:pmks_keluarga_export")
    formats = [fmt().get_title() for fmt in admin.site._registry[Keluarga].get_export_formats()]
    response = client.post(
        url,
        {
            "format": formats.index("csv"),
            "resource": 0,
            "keluargaresource_no_kk": True,
            "keluargaresource_alamat": True,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert city.k_out.no_kk in body
    assert city.k_in.no_kk not in body


@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-1+A1", "@x", "\tx", "\rx"])
def test_neutralise_formula(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["-5", "+62", "12.5", "Jl. Mawar", "", None, 7])
def test_neutralise_formula_leaves_plain_values(value):
    assert neutralise_formula(value) == value


def test_import_cannot_take_over_a_person_of_another_area(city, staff_mayangan):
    """A Kanigaran NIK in a Mayangan-limited staff member's file is refused, not moved."""
    person = city.k_in.anggota.get(hubungan="kepala")
    row = _row(city.k_out.no_kk, "Nama Baru", nik=person.nik, born=person.tanggal_lahir.strftime("%d/%m/%Y"))
    result = _import(staff_mayangan, _members_csv([row]))
    assert result.has_validation_errors()
    person.refresh_from_db()
    assert (person.keluarga_id, person.nama) == (city.k_in.pk, "Slamet Riyadi")


# -- The household and member pages save through the services ----------------------------------------


def _household_post(kel=None, members=(), **household):
    """The admin household page's POST: the household and its member inline."""
    from tests.test_views import edit_data, form_data

    if kel is not None:
        data = edit_data(kel)
        data["kelurahan"] = kel.kelurahan_id
    else:
        data = form_data(f.KEL_KANIGARAN, list(members))
        data.update({"kelurahan": f.KEL_KANIGARAN, "no_kk": f.no_kk_for(f.KEL_KANIGARAN)})
    data.update({"_save": "Simpan", **household})
    return data


def test_admin_adds_and_edits_a_household_with_its_members(city, client):
    client.force_login(city.dinsos)
    members = [
        f.member(f.KEL_KANIGARAN, "Dari Admin"),
        f.member(f.KEL_KANIGARAN, "Istri Admin", sex="P", born=datetime.date(1985, 3, 9), hubungan="istri"),
    ]
    response = client.post(
        reverse("admin:pmks_keluarga_add"), _household_post(members=members, alamat="Jl. Admin")
    )
    assert response.status_code == 302, response.content.decode()[:500]
    kel = Keluarga.objects.get(alamat="Jl. Admin")
    assert kel.anggota.count() == 2 and kel.dibuat_oleh == city.dinsos
    assert kel.history.first().history_user == city.dinsos
    # Edit the address and remove the wife on the same page.
    data = _household_post(kel, alamat="Jl. Admin 2")
    wife = next(i for i in range(2) if data[f"anggota-{i}-hubungan"] == "istri")
    data[f"anggota-{wife}-DELETE"] = "on"
    response = client.post(reverse("admin:pmks_keluarga_change", args=[kel.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Admin 2" and list(kel.anggota.values_list("nama", flat=True)) == ["Dari Admin"]
    from django.contrib.admin.models import LogEntry

    assert "Istri Admin" in LogEntry.objects.filter(object_id=str(kel.pk)).latest("pk").get_change_message()


def test_view_only_staff_get_403_not_a_loop(city, client):
    viewer = f.make_user("staf_lihat", roles.KELURAHAN, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    client.force_login(viewer)
    head = city.k_in.anggota.get(hubungan="kepala")
    for url in (
        reverse("admin:pmks_keluarga_add"),
        reverse("admin:pmks_anggotakeluarga_add"),
        reverse("admin:pmks_anggotakeluarga_delete", args=[head.pk]),
        reverse("admin:pmks_keluarga_delete", args=[city.k_in.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_household_import_without_members_is_refused(city):
    dataset = tablib.Dataset(
        [f.no_kk_for(f.KEL_KANIGARAN), f.KEL_KANIGARAN, "Jl. Kosong", "001", "002"],
        headers=["no_kk", "kode_kelurahan", "alamat", "rt", "rw"],
    )
    before = Keluarga.objects.count()
    result = KeluargaResource(user=city.dinsos).import_data(dataset, use_transactions=True)
    assert result.has_errors()
    assert "Impor penduduk" in " ".join(" ".join(e.error.messages) for e in result.base_errors)
    assert Keluarga.objects.count() == before
