"""Writing a report, once for every path: a small one straight into the response, a large one
by a background task (laporan.tasks) into a private file whose page shows progress. Both start
from the same scoped report, title and file name, and both are written to the file log."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from bantuan.selectors import area_label
from inti.models import LogBerkas
from inti.services import log_berkas, log_berkas_rows
from inti.spreadsheet import Judul, csv_rows, stream_csv, write_csv, write_xlsx
from laporan.models import EksporBerkas
from laporan.reports import BY_KODE, Hasil, Laporan

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000
FORMATS = ("xlsx", "csv")
CONTROL_PARAMS = ("format", "latar")  # how to deliver, not what to report


@dataclass
class Ekspor:
    """A report ready to be written: what the user asked for, in the user's area."""

    laporan: Laporan
    hasil: Hasil
    judul: Judul
    saringan: dict[str, str]
    fmt: str

    @property
    def titel_baris(self) -> int:
        """Lines above the data in a CSV: the title lines, a blank line and the header."""
        return len(self.judul.rows()) + 2

    @property
    def nama_berkas(self) -> str:
        return f"{slugify(str(self.laporan.nama))}-{timezone.localdate():%Y%m%d}.{self.fmt}"

    def log(self, user: Any, jumlah_baris: int = 0) -> LogBerkas:
        return log_berkas(
            user=user,
            jenis=LogBerkas.Jenis.EKSPOR,
            nama=str(self.laporan.nama),
            format=self.fmt,
            saringan=self.saringan,
            jumlah_baris=jumlah_baris,
        )


def ekspor_prepare(*, user: Any, kode: str, params: Mapping[str, str], fmt: str) -> Ekspor:
    """The report ``kode`` for ``user`` with the filter ``params`` (the same rows as on screen)."""
    laporan = BY_KODE[kode]
    saringan = {k: v for k, v in params.items() if k not in CONTROL_PARAMS}
    query = QueryDict(mutable=True)
    query.update(saringan)
    hasil = laporan.build(user, query)
    judul = Judul(
        str(laporan.nama), area_label(user), hasil.periode, user.get_full_name(), timezone.localtime()
    )
    return Ekspor(laporan, hasil, judul, saringan, fmt)


def ekspor_write(ekspor: Ekspor, target: Any, rows: Iterator[list[Any]] | None = None) -> int:
    """Write the whole report to ``target`` (binary for xlsx, text for csv); returns data rows."""
    rows = ekspor.hasil.rows if rows is None else rows
    if ekspor.fmt == "csv":
        written = write_csv(target, csv_rows(ekspor.judul, ekspor.hasil.kolom, rows))
        return max(written - ekspor.titel_baris, 0)
    return write_xlsx(target, ekspor.judul, ekspor.hasil.kolom, rows)


def ekspor_csv_stream(ekspor: Ekspor, log: LogBerkas) -> Iterator[str]:
    """The report as CSV text, streamed to the browser; the row count is logged at the end."""
    counted = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal counted
        for row in ekspor.hasil.rows:
            counted += 1
            yield row

    yield from stream_csv(csv_rows(ekspor.judul, ekspor.hasil.kolom, rows()))
    log_berkas_rows(log, counted)


# -- Background exports ------------------------------------------------------------------------------


def ekspor_create(*, user: Any, ekspor: Ekspor) -> EksporBerkas:
    return EksporBerkas.objects.create(
        pengguna=user,
        kode=ekspor.laporan.kode,
        nama=str(ekspor.laporan.nama),
        format=ekspor.fmt,
        saringan=ekspor.saringan,
        total_baris=ekspor.hasil.jumlah,
    )


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
        ekspor = ekspor_prepare(user=user, kode=job.kode, params=job.saringan, fmt=job.format)
        job.berkas.save(ekspor.nama_berkas, ContentFile(b""), save=False)
        path = Path(job.berkas.path)
        rows = _counted(ekspor.hasil.rows, job)
        if job.format == "csv":
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                n = ekspor_write(ekspor, f, rows)
        else:
            n = ekspor_write(ekspor, path, rows)
    except Exception:  # the page must stop waiting whatever went wrong
        logger.exception("ekspor %s gagal", job.pk)
        job.status = EksporBerkas.Status.GAGAL
        job.save(update_fields=["status"])
        return
    job.status, job.baris_selesai, job.total_baris = EksporBerkas.Status.SELESAI, n, max(n, job.total_baris)
    job.save(update_fields=["status", "baris_selesai", "total_baris", "berkas"])
    ekspor.log(user, n)
