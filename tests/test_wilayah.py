"""Region reference data: Kota Probolinggo shipped, other lists loaded from CSV, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db


def test_kota_probolinggo_is_shipped_complete(ref):
    kota = Wilayah.objects.get(kode="35.74")
    assert kota.nama == "KOTA PROBOLINGGO"
    kecamatan = Wilayah.objects.filter(induk=kota)
    assert sorted(k.nama for k in kecamatan) == ["KADEMANGAN", "KANIGARAN", "KEDOPOK", "MAYANGAN", "WONOASIH"]
    assert Wilayah.objects.filter(kode__startswith="35.74.", tingkat="kelurahan").count() == 29
    assert Wilayah.objects.filter(induk_id="35.74.04").count() == 6
    assert Wilayah.objects.get(kode="35.74.04.1003").kode_bps == "3574031002"


def test_load_another_region_list(ref, tmp_path):
    path = tmp_path / "kab.csv"
    path.write_text(
        "kode,nama,tingkat,kode_bps\n35.13,KABUPATEN PROBOLINGGO,kabupaten,3513\n"
        "35.13.01,SUKAPURA,kecamatan,\n35.13.01.2001,\xa0NGADISARI ,desa,\n",
        encoding="utf-8",
    )
    call_command("load_wilayah", str(path))
    desa = Wilayah.objects.get(kode="35.13.01.2001")
    assert (desa.nama, desa.induk_id, desa.tingkat) == ("NGADISARI", "35.13.01", "desa")
    call_command("load_wilayah", str(path))  # twice: nothing new
    assert Wilayah.objects.filter(kode__startswith="35.13").count() == 3


def test_bad_region_file_loads_nothing(ref, tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_text(
        "kode,nama,tingkat\n35.13,KABUPATEN PROBOLINGGO,kabupaten\n35.13.1,SALAH,kecamatan\n"
        "35.99.01,TANPA INDUK,kecamatan\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_wilayah", str(path))
    assert "Baris 3" in str(exc.value)
    assert not Wilayah.objects.filter(kode__startswith="35.13").exists()
    path.write_text("kode,nama\n35.13,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Kolom wajib tidak ada: tingkat"):
        call_command("load_wilayah", str(path))
