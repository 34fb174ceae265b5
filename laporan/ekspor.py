"""Reports too large for one request are written by a background task (laporan.tasks) into a
private file, with progress; the page polls and then offers the download."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from bantuan.selectors import area_label
from inti.models import LogBerkas
from inti.services import log_berkas
from inti.spreadsheet import Judul, csv_rows, write_xlsx
from laporan.models import EksporBerkas
from laporan.reports import BY_KODE

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000


def ekspor_create(*, user: Any, kode: str, params: dict[str, str], fmt: str, total: int) -> EksporBerkas:
    laporan = BY_KODE[kode]
    return EksporBerkas.objects.create(
        pengguna=user, kode=kode, nama=str(laporan.nama), format=fmt, saringan=params, total_baris=total
    )


def ekspor_get_for_user_or_404(*, user: Any, pk: int) -> EksporBerkas:
    return get_object_or_404(EksporBerkas, pk=pk, pengguna=user)


def _counted(rows: Iterator[list[Any]], job: EksporBerkas) -> Iterator[list[Any]]:
    for n, row in enumerate(rows, start=1):
        if n % PROGRESS_EVERY == 0:
            EksporBerkas.objects.filter(pk=job.pk).update(baris_selesai=n)
        yield row


def run_export(job_id: int) -> None:
    job = EksporBerkas.objects.select_related("pengguna").get(pk=job_id)
    job.status = EksporBerkas.Status.DIPROSES
    job.save(update_fields=["status"])
    user = job.pengguna
    try:
        params = QueryDict(mutable=True)
        params.update(job.saringan)
        laporan = BY_KODE[job.kode]
        hasil = laporan.build(user, params, SimpleNamespace(user=user, GET=params))
        wilayah = area_label(user)
        judul = Judul(job.nama, wilayah, hasil.periode, user.get_full_name(), timezone.localtime())
        name = f"{slugify(job.nama)}-{timezone.localdate():%Y%m%d}.{job.format}"
        job.berkas.save(name, ContentFile(b""), save=False)
        path = Path(job.berkas.path)
        if job.format == "csv":
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                n = -len(judul.rows()) - 2
                for row in csv_rows(judul, hasil.kolom, _counted(hasil.rows, job)):
                    writer.writerow(row)
                    n += 1
        else:
            n = write_xlsx(path, judul, hasil.kolom, _counted(hasil.rows, job))
    except Exception:  # the page must stop waiting whatever went wrong
        logger.exception("ekspor %s gagal", job.pk)
        job.status = EksporBerkas.Status.GAGAL
        job.save(update_fields=["status"])
        return
    job.status, job.baris_selesai, job.total_baris = EksporBerkas.Status.SELESAI, n, max(n, job.total_baris)
    job.save(update_fields=["status", "baris_selesai", "total_baris", "berkas"])
    log_berkas(
        user=user,
        jenis=LogBerkas.Jenis.EKSPOR,
        nama=job.nama,
        format=job.format,
        saringan=job.saringan,
        jumlah_baris=n,
    )


def ekspor_hapus_berkas_lama(*, sebelum: Any) -> int:
    """Delete the files of background exports created before ``sebelum`` (personal data); the
    job stays, without a file, so its page says there is nothing left to download."""
    removed = 0
    old = EksporBerkas.objects.filter(dibuat_pada__lt=sebelum).exclude(
        status__in=[EksporBerkas.Status.ANTRE, EksporBerkas.Status.DIPROSES]
    )
    for job in old.exclude(berkas="").iterator():
        job.berkas.delete(save=False)
        job.berkas = ""
        job.save(update_fields=["berkas"])
        removed += 1
    return removed
