"""The two steps of an import job, run as background tasks (impor.tasks) so a large file does
not hold a web request: check (preview, nothing written) and import. Both record progress."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils.translation import gettext as _

from bantuan.luar import penerima_eksternal_link
from impor import desil, ekstrak
from impor.baca import count_rows
from impor.ditolak import rejected_rows_csv
from impor.models import ImporBerkas, JenisImpor
from impor.tulis import write
from impor.urai import drop_parse_cache
from impor.validasi import validate
from inti.models import LogBerkas
from inti.services import log_berkas

SHOWN_ERRORS = 500
logger = logging.getLogger(__name__)


class Hasil(Protocol):
    """What every kind's check or import returns."""

    baris: int
    galat: Any
    baris_ditolak: Any

    @property
    def ada_galat(self) -> bool: ...

    @property
    def ditulis(self) -> bool: ...

    def as_json(self, shown: int) -> dict[str, Any]: ...


Progress = Callable[[int], None]


def _people_check(job: ImporBerkas, path: Path, progress: Progress) -> Hasil:
    return validate(user=job.pengguna, path=path, duplikat=job.duplikat, progress=progress)


def _people_import(job: ImporBerkas, path: Path, progress: Progress) -> Hasil:
    summary = write(user=job.pengguna, path=path, mode=job.mode, duplikat=job.duplikat, progress=progress)
    if summary.ditulis:  # external aid waiting for these households and people gets linked
        penerima_eksternal_link()
    return summary


@dataclass(frozen=True)
class Langkah:
    """A kind of file's two steps."""

    periksa: Callable[[ImporBerkas, Path, Progress], Hasil]
    impor: Callable[[ImporBerkas, Path, Progress], Hasil]


def _job_step(step: Callable[..., Hasil]) -> Callable[[ImporBerkas, Path, Progress], Hasil]:
    def run(job: ImporBerkas, path: Path, progress: Progress) -> Hasil:
        return step(
            user=job.pengguna, path=path, mode=job.mode, nama_berkas=job.nama_berkas, progress=progress
        )

    return run


LANGKAH = {
    JenisImpor.PENDUDUK: Langkah(_people_check, _people_import),
    JenisImpor.EKSTRAK: Langkah(_job_step(ekstrak.periksa), _job_step(ekstrak.impor)),
    JenisImpor.DESIL: Langkah(_job_step(desil.periksa), _job_step(desil.impor)),
}


def rejected_path(job: ImporBerkas) -> Path | None:
    """The rejected rows of the job's latest check or import, or None once its files are gone."""
    upload = job.path_berkas()
    return upload.with_name(upload.name + ".ditolak.csv") if upload else None


def _write_rejected(job: ImporBerkas, summary: Hasil) -> None:
    """Keep the rejected rows (with their errors) of the latest check or import as a CSV."""
    path = rejected_path(job)
    if path is None:
        return
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        rejected_rows_csv(Path(job.berkas.path), summary, out)


def _start(job: ImporBerkas) -> Path:
    path = Path(job.berkas.path)
    job.status, job.baris_selesai = ImporBerkas.Status.DIPROSES, 0
    job.total_baris = count_rows(path)
    job.save(update_fields=["status", "baris_selesai", "total_baris"])
    return path


def _progress(job: ImporBerkas):
    def report(done: int) -> None:
        ImporBerkas.objects.filter(pk=job.pk).update(baris_selesai=done)

    return report


@contextmanager
def _progress_outside_transaction(job: ImporBerkas):
    """The import writes in one transaction, which the page polling for progress cannot see
    into until it ends; so its progress goes through a database connection of its own
    (autocommit). SQLite allows one writer at a time: there progress shares the import's
    connection and shows at the end."""
    if connection.vendor != "postgresql":
        yield _progress(job)
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    sql = (
        f"UPDATE {connection.ops.quote_name(ImporBerkas._meta.db_table)} SET baris_selesai = %s WHERE id = %s"
    )

    failed = False

    def report(done: int) -> None:
        nonlocal failed
        if failed:
            return
        try:
            with side.cursor() as cursor:
                cursor.execute(sql, [done, job.pk])
        except DatabaseError:  # no spare connection, say: the import goes on without progress
            logger.warning("impor %s: kemajuan tidak dapat dicatat", job.pk, exc_info=True)
            failed = True

    try:
        yield report
    finally:
        side.close()


def _fail(job: ImporBerkas, messages: list[str], step: str) -> None:
    """Any failure ends the job (so the page stops waiting) and is logged."""
    job.status, job.hasil = ImporBerkas.Status.GAGAL, {"pesan": messages}
    job.save(update_fields=["status", "hasil"])
    log_berkas(
        user=job.pengguna,
        jenis=LogBerkas.Jenis.IMPOR,
        nama=f"{step} ({job.get_jenis_display()}): {job.nama_berkas}",
        format="gagal",
        saringan={"mode": job.mode, "duplikat": job.duplikat, "pesan": messages[:3]},
    )


def run_check(job_id: int) -> None:
    job = ImporBerkas.objects.select_related("pengguna").get(pk=job_id)
    try:
        path = _start(job)
        summary = LANGKAH[JenisImpor(job.jenis)].periksa(job, path, _progress(job))
    except ValidationError as exc:
        _fail(job, exc.messages, _("Pemeriksaan impor"))
        return
    except Exception:  # an unreadable file must end the job, not leave it hanging
        logger.exception("impor %s: pemeriksaan gagal", job.pk)
        _fail(
            job, [_("Berkas tidak dapat dibaca sebagai spreadsheet .xlsx atau .csv.")], _("Pemeriksaan impor")
        )
        return
    job.status, job.hasil = ImporBerkas.Status.DIPERIKSA, summary.as_json(SHOWN_ERRORS)
    job.save(update_fields=["status", "hasil"])
    _write_rejected(job, summary)


def run_import(job_id: int) -> None:
    job = ImporBerkas.objects.select_related("pengguna").get(pk=job_id)
    try:
        _import(job)
    finally:  # the check step's cached parse holds personal data; the import no longer needs it
        drop_parse_cache(Path(job.berkas.path))


def _import(job: ImporBerkas) -> None:
    title = job.get_jenis_display()
    try:
        path = _start(job)
        with _progress_outside_transaction(job) as progress:
            summary = LANGKAH[JenisImpor(job.jenis)].impor(job, path, progress)
    except ValidationError as exc:
        _fail(job, exc.messages, title)
        return
    except Exception:  # the transaction rolled back: say so instead of hanging
        logger.exception("impor %s: impor gagal", job.pk)
        _fail(
            job,
            [_("Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. Hubungi administrator.")],
            title,
        )
        return
    job.status = (
        ImporBerkas.Status.DIIMPOR if summary.ditulis or not summary.ada_galat else ImporBerkas.Status.GAGAL
    )
    job.hasil, job.baris_selesai = summary.as_json(SHOWN_ERRORS), summary.baris
    job.save(update_fields=["hasil", "status", "baris_selesai"])
    _write_rejected(job, summary)
    log_berkas(
        user=job.pengguna,
        jenis=LogBerkas.Jenis.IMPOR,
        nama=f"{title}: {job.nama_berkas}",
        format=Path(job.nama_berkas).suffix.lstrip(".") or "?",
        saringan={"mode": job.mode, "duplikat": job.duplikat},
        jumlah_baris=summary.baris,
        jumlah_galat=len(summary.baris_ditolak),
    )
