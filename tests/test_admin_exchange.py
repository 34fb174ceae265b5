"""Admin import/export of every exchanged model: natural keys, the screens' rules, no formulas."""

import pytest
import tablib
from django.contrib import admin
from django.urls import reverse

from bantuan.models import Usulan
from bantuan.resources import UsulanResource
from pmks import services
from pmks.models import CatatanPmks
from pmks.resources import CatatanPmksResource
from wilayah.models import Wilayah
from wilayah.resources import WilayahResource

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x")'


def _import(resource, rows, headers):
    dataset = tablib.Dataset(*rows, headers=headers)
    return resource.import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True, use_transactions=True
    )


def _row_errors(result):
    out = [" ".join(m for ms in r.error_dict.values() for m in ms) for r in result.invalid_rows]
    out += [str(e.error) for _n, errors in result.row_errors() for e in errors]
    return " ".join(out)


def test_pmks_records_import_through_the_service(city):
    istri = city.k_in.anggota.get(hubungan="istri")
    headers = ["id", "no_kk", "nik", "kategori", "tanggal_identifikasi", "bukti"]
    result = _import(
        CatatanPmksResource(user=city.tksk_kanigaran),
        [["", city.k_in.no_kk, istri.nik, "PRSE", "01/03/2026", "Musyawarah"]],
        headers,
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    record = CatatanPmks.objects.get(anggota=istri)
    assert (record.status, record.diidentifikasi_oleh) == ("diusulkan", city.tksk_kanigaran)
    # The same open record twice, and a household of another area: row errors, nothing saved.
    before = CatatanPmks.objects.count()
    result = _import(
        CatatanPmksResource(user=city.tksk_kanigaran),
        [
            ["", city.k_in.no_kk, istri.nik, "PRSE", "01/03/2026", "lagi"],
            ["", city.k_out.no_kk, "", "FM", "01/03/2026", "x"],
        ],
        headers,
    )
    assert result.has_errors() or result.has_validation_errors()
    assert CatatanPmks.objects.count() == before


def test_proposals_import_through_the_service(city):
    from pmks.services import catatan_pmks_verify
    from tests import factories as f

    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    tahap = f.make_tahap(f.make_program("sembako-uji"))
    headers = ["id", "tahap", "no_kk", "nik", "alasan"]
    result = _import(
        UsulanResource(user=city.tksk_kanigaran),
        [["", "sembako-uji/2026/1", city.k_in.no_kk, "", "Musyawarah kelurahan"]],
        headers,
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert Usulan.objects.get(tahap=tahap).diusulkan_oleh == city.tksk_kanigaran
    result = _import(
        UsulanResource(user=city.tksk_kanigaran),
        [["", "sembako-uji/2026/9", city.k_tisno.no_kk, "", "x"]],
        headers,
    )
    assert "tidak ada" in _row_errors(result)


def test_regions_import_with_parents_from_codes(city):
    result = _import(
        WilayahResource(),
        [
            ["35.13", "KABUPATEN PROBOLINGGO", "kabupaten", "3513", "", ""],
            ["35.13.01", "SUKAPURA", "kecamatan", "", "", ""],
        ],
        ["kode", "nama", "tingkat", "kode_bps", "berlaku_mulai", "berlaku_sampai"],
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert Wilayah.objects.get(kode="35.13.01").induk_id == "35.13"


ADMIN_EXPORTS = [
    "admin:wilayah_wilayah_export",
    "admin:pmks_keluarga_export",
    "admin:pmks_anggotakeluarga_export",
    "admin:pmks_catatanpmks_export",
    "admin:bantuan_usulan_export",
    "admin:bantuan_entridaftar_export",
    "admin:bantuan_penyaluran_export",
]


EXPECTED = {
    "admin:wilayah_wilayah_export": "'=KANIGARAN",
    "admin:pmks_keluarga_export": "'=HYPERLINK",
    "admin:pmks_anggotakeluarga_export": "'+cmd",
    "admin:pmks_catatanpmks_export": "'@SUM(A1)",
    "admin:bantuan_usulan_export": "'-2+3",
    "admin:bantuan_entridaftar_export": "35.74.04.1003",
    "admin:bantuan_penyaluran_export": "'=1+1",
}


def test_every_admin_export_neutralises_formulas(aid, client):
    kepala = aid.k_in.anggota.get(hubungan="kepala")
    services.keluarga_save(
        actor=aid.tksk_kanigaran,
        keluarga=aid.k_in,
        data={"alamat": FORMULA},
        anggota=[{"pk": kepala.pk, "pekerjaan": "+cmd|' /C calc'!A0"}],
    )
    CatatanPmks.objects.filter(pk=aid.pmks_in.pk).update(bukti="@SUM(A1)")
    Usulan.objects.filter(pk=aid.usulan_in.pk).update(alasan="-2+3")
    type(aid.penyaluran_in).objects.filter(pk=aid.penyaluran_in.pk).update(uraian="=1+1")
    Wilayah.objects.filter(pk="35.74.04.1003").update(nama="=KANIGARAN")
    client.force_login(aid.admin)
    for name in ADMIN_EXPORTS:
        model_admin = next(
            a
            for m, a in admin.site._registry.items()
            if f"{m._meta.app_label}_{m._meta.model_name}_export" == name.split(":")[1]
        )
        formats = [fmt().get_title() for fmt in model_admin.get_export_formats()]
        resource = model_admin.get_export_resource_classes(None)[0]
        prefix = resource.__name__.lower()
        data = {"format": formats.index("csv"), "resource": 0}
        for field_name in (
            resource(user=aid.admin).get_export_order()
            if hasattr(resource, "user")
            else resource().get_export_order()
        ):
            data[f"{prefix}_{field_name}"] = True
        response = client.post(reverse(name), data)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert EXPECTED[name] in body, (name, body[:300])  # the poisoned cell is there, neutralised
        header = body.lstrip("\ufeff").splitlines()[0].split(",")
        assert "id" not in header, (name, header)  # natural keys only, never database ids
        for cell in body.replace("\r", "").split("\n"):
            for value in cell.split(","):
                value = value.strip('"')
                assert not (value[:1] in ("=", "@") or value.startswith("+cmd") or value.startswith("-2+")), (
                    name,
                    value,
                )


def test_distributions_import_only_for_approved_recipients(aid):
    from bantuan.models import Penyaluran
    from bantuan.resources import PenyaluranResource
    from tests import factories as f

    Penyaluran.objects.all().delete()
    code = f"{aid.tahap.program.kode}/{aid.tahap.tahun}/{aid.tahap.tahap}"
    headers = ["id", "tahap", "no_kk", "tanggal", "uraian", "penerima", "nama_wakil", "hubungan_wakil"]
    result = _import(
        PenyaluranResource(user=aid.tksk_kanigaran),
        [["", code, aid.k_in.no_kk, "02/03/2026", "Paket sembako", "langsung", "", ""]],
        headers,
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    p = Penyaluran.objects.get()
    assert (p.entri.keluarga, p.petugas) == (aid.k_in, aid.tksk_kanigaran) and p.pemantauan.count() == 1
    draft = f.make_tahap(aid.program, tahap=2)
    from bantuan import services as aid_services

    aid_services.usulan_create(actor=aid.tksk_kanigaran, tahap=draft, keluarga=aid.k_tisno, alasan="x")
    aid_services.daftar_build(actor=aid.dinsos, tahap=draft)
    result = _import(
        PenyaluranResource(user=aid.tksk_kanigaran),
        [
            ["", f"{aid.program.kode}/2026/2", aid.k_tisno.no_kk, "02/03/2026", "x", "langsung", "", ""],
            ["", code, aid.k_out.no_kk, "02/03/2026", "x", "langsung", "", ""],
        ],
        headers,
    )
    assert result.has_errors() or result.has_validation_errors()
    assert Penyaluran.objects.count() == 1
