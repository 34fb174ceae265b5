"""Uploaded people files and background export files (personal data) are deleted after
BERKAS_SIMPAN_HARI days by `manage.py hapus_berkas_lama`; the jobs' summaries and the log stay."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impor.models import ImporBerkas
from inti.models import LogBerkas
from laporan.models import EksporBerkas
from tests.test_impor import csv_file, household, person, upload

pytestmark = pytest.mark.django_db


def _age(model, pk: int, days: int) -> None:
    model.objects.filter(pk=pk).update(dibuat_pada=timezone.now() - datetime.timedelta(days=days))


def test_old_import_files_are_deleted_and_the_pages_say_so(city, login):
    client = login(city.tksk_kanigaran)
    rows = [*household("Lama Sekali"), person("1", "Salah")]  # one bad row: rejected rows file
    old = upload(client, csv_file(rows)).context["job"]
    recent = upload(client, csv_file(household("Baru Saja"))).context["job"]
    old_files = [Path(old.berkas.path), Path(old.berkas.path + ".ditolak.csv")]
    assert all(p.exists() for p in old_files) and Path(old.berkas.path + ".urai.csv").exists()
    assert client.get(reverse("impor:ditolak", args=[old.pk])).status_code == 200
    _age(ImporBerkas, old.pk, 31)
    _age(ImporBerkas, recent.pk, 29)
    logs = LogBerkas.objects.count()

    call_command("hapus_berkas_lama")

    assert not any(p.exists() for p in old_files) and not Path(old.berkas.path + ".urai.csv").exists()
    assert Path(recent.berkas.path).exists()
    old.refresh_from_db()
    assert old.status == "gagal" and old.hasil["baris"] == 3  # the summary stays
    page = client.get(reverse("impor:detail", args=[old.pk])).content.decode()
    assert "sudah dihapus" in page and reverse("impor:ditolak", args=[old.pk]) not in page
    assert client.get(reverse("impor:ditolak", args=[old.pk])).status_code == 404
    assert client.post(reverse("impor:detail", args=[old.pk])).status_code in (302, 200)
    assert not ImporBerkas.objects.filter(pk=old.pk, status="antre").exists()  # cannot be imported
    assert LogBerkas.objects.count() == logs  # the record of processing is kept


def test_old_export_files_are_deleted(aid, login, settings):
    settings.EKSPOR_LATAR_BARIS = 2
    client = login(aid.dinsos)
    client.get(reverse("laporan:unduh", args=["keluarga"]), {"format": "xlsx"})
    job = EksporBerkas.objects.filter(pengguna=aid.dinsos, format="xlsx").latest("pk")
    path = Path(job.berkas.path)
    assert path.exists()
    call_command("hapus_berkas_lama", hari=30)
    assert path.exists()  # not old yet
    _age(EksporBerkas, job.pk, 40)
    call_command("hapus_berkas_lama", hari=30)
    job.refresh_from_db()
    assert not path.exists() and not job.berkas and job.status == "selesai"
    assert client.get(reverse("laporan:ekspor_berkas", args=[job.pk])).status_code == 404
    page = client.get(reverse("laporan:ekspor", args=[job.pk])).content.decode()
    assert "sudah dihapus" in page


def test_running_jobs_are_left_alone(city, login):
    job = upload(login(city.tksk_kanigaran), csv_file(household("Berjalan"))).context["job"]
    ImporBerkas.objects.filter(pk=job.pk).update(status="diproses")
    _age(ImporBerkas, job.pk, 90)
    call_command("hapus_berkas_lama", hari=1)
    assert Path(job.berkas.path).exists()
