"""The empty .xlsx template of every admin import: the resource's columns, text cells, nothing
imported when it is uploaded unchanged, and only for users who may import."""

from io import BytesIO

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ImportMixin

from accounts import roles
from accounts.choices import JenisPenugasan as J
from inti.admin import import_columns
from inti.models import LogBerkas
from pmks.models import CatatanPmks
from tests import factories as f
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db

# The layout of each admin import, as documented in README ("Admin import/export").
TEMPLATES = {
    "admin:wilayah_wilayah_templat": [
        "kode",
        "nama",
        "tingkat",
        "kode_bps",
        "berlaku_mulai",
        "berlaku_sampai",
    ],
    "admin:pmks_keluarga_templat": [
        "no_kk",
        "kode_kelurahan",
        "alamat",
        "rt",
        "rw",
        "jenis_lantai",
        "jenis_dinding",
        "jenis_atap",
        "luas_lantai",
        "sumber_air",
        "sanitasi",
        "listrik",
        "kepemilikan_rumah",
        "penghasilan_bulanan",
    ],
    "admin:pmks_anggotakeluarga_templat": [
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
    ],
    "admin:pmks_catatanpmks_templat": ["no_kk", "nik", "kategori", "tanggal_identifikasi", "bukti"],
    "admin:bantuan_usulan_templat": ["tahap", "no_kk", "nik", "alasan"],
    "admin:bantuan_penyaluran_templat": [
        "tahap",
        "no_kk",
        "tanggal",
        "uraian",
        "penerima",
        "nama_wakil",
        "hubungan_wakil",
    ],
}


def import_admins():
    """{template URL name: model admin} of every admin page that offers import."""
    return {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_templat": a
        for m, a in admin.site._registry.items()
        if isinstance(a, ImportMixin)
    }


def url_of(name, suffix):
    return reverse(name.replace("_templat", f"_{suffix}"))


def import_post(client, name, content, filename="templat.xlsx"):
    model_admin = import_admins()[name]
    formats = [fmt().get_title() for fmt in model_admin.get_import_formats()]
    upload = BytesIO(content)
    upload.name = filename
    return client.post(
        url_of(name, "import"),
        {"format": formats.index(filename.rsplit(".", 1)[1]), "resource": 0, "import_file": upload},
    )


def test_every_import_admin_offers_a_template():
    assert set(import_admins()) == set(TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_has_the_import_columns_as_text(city, client, name):
    client.force_login(city.admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="templat_')
    ws = openpyxl.load_workbook(BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    assert header == TEMPLATES[name]
    model_admin = import_admins()[name]
    resource = model_admin.get_import_resource_classes(None)[0](user=city.admin)
    assert header == import_columns(resource)
    # Every column the import reads is in the template, except the database id.
    assert {f.column_name for f in resource.get_import_fields()} - set(header) <= {"id"}
    assert ws.max_row == 1 and ws.freeze_panes == "A2"
    for i, cell in enumerate(ws[1], 1):
        letter = openpyxl.utils.get_column_letter(i)
        assert cell.font.b and cell.number_format == "@"
        assert ws.column_dimensions[letter].number_format == "@", (name, letter)
        assert ws.column_dimensions[letter].width >= len(cell.value)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_link_on_changelist_and_import_page(city, client, name):
    client.force_login(city.admin)
    link = f'href="{reverse(name)}"'
    for page in ("changelist", "import"):
        body = client.get(url_of(name, page)).content.decode()
        assert link in body and "Unduh templat .xlsx" in body, (name, page)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_needs_import_permission(city, client, name):
    # TKSK and kelurahan officers are not staff: the admin sends them to its login page.
    for user in (city.tksk_kanigaran, city.kelurahan):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Staff who may only look (a kelurahan officer with admin access): refused, and no link.
    viewer = f.make_user("staf_lihat", roles.KELURAHAN, J.KELURAHAN, f.KEL_KANIGARAN, staff=True)
    client.force_login(viewer)
    assert client.get(reverse(name)).status_code == 403
    assert client.get(url_of(name, "import")).status_code == 403
    changelist = client.get(url_of(name, "changelist"))
    assert changelist.status_code == 200 and reverse(name) not in changelist.content.decode()


def test_regions_template_is_for_administrators_only(city, client):
    client.force_login(city.dinsos)  # Dinas Sosial may import households, not regions
    assert client.get(reverse("admin:pmks_keluarga_templat")).status_code == 200
    assert client.get(reverse("admin:wilayah_wilayah_templat")).status_code == 403


def test_template_is_not_posted_to(city, client):
    client.force_login(city.admin)
    assert client.post(reverse("admin:pmks_keluarga_templat")).status_code == 405


@pytest.mark.parametrize("name", TEMPLATES)
def test_importing_the_template_unchanged_creates_nothing(aid, client, name):
    model = import_admins()[name].model
    client.force_login(aid.admin)
    content = client.get(reverse(name)).content
    before = (model.objects.count(), LogBerkas.objects.count())
    response = import_post(client, name, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tidak ada data yang dapat diimpor" in body
    assert "Konfirmasi impor" not in body  # no confirm step: nothing to import
    assert (model.objects.count(), LogBerkas.objects.count()) == before


def _filled(client, name, rows):
    ws_book = openpyxl.load_workbook(BytesIO(client.get(reverse(name)).content))
    ws = ws_book.active
    for row in rows:
        ws.append(row)
    out = BytesIO()
    ws_book.save(out)
    return out.getvalue()


def _confirm(client, name, response):
    form = response.context["confirm_form"]
    return client.post(url_of(name, "process_import"), {k: form[k].value() for k in form.fields})


def test_filled_region_template_imports(city, client):
    client.force_login(city.admin)
    name = "admin:wilayah_wilayah_templat"
    content = _filled(client, name, [["35.13", "KABUPATEN PROBOLINGGO", "kabupaten", "3513", "", ""]])
    response = import_post(client, name, content)
    assert response.context["confirm_form"] is not None, response.content.decode()[:2000]
    response = _confirm(client, name, response)
    assert response.status_code == 302
    assert Wilayah.objects.get(kode="35.13").nama == "KABUPATEN PROBOLINGGO"


def test_filled_pmks_template_imports_with_nik_as_text(city, client):
    client.force_login(city.admin)
    istri = city.k_in.anggota.get(hubungan="istri")
    name = "admin:pmks_catatanpmks_templat"
    content = _filled(client, name, [[city.k_in.no_kk, istri.nik, "PRSE", "01/03/2026", "Musyawarah"]])
    ws = openpyxl.load_workbook(BytesIO(content)).active
    assert ws["B2"].data_type == "s" and ws["B2"].value == istri.nik
    response = import_post(client, name, content)
    assert response.context["confirm_form"] is not None, response.content.decode()[:2000]
    assert _confirm(client, name, response).status_code == 302
    record = CatatanPmks.objects.get(anggota=istri)
    assert (record.status, record.bukti) == ("diusulkan", "Musyawarah")
