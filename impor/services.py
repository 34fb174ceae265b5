"""Writes for import jobs, and the rule of when a checked file may be imported; the people
themselves are written by impor.tulis."""

from __future__ import annotations

import hashlib
from typing import Any

from impor.models import ImporBerkas, JenisImpor, ModeImpor


def sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def impor_earlier(sha256: str, jenis: str = JenisImpor.PENDUDUK) -> ImporBerkas | None:
    """A file with the same content imported before (by anyone): worth a warning."""
    return ImporBerkas.objects.filter(sha256=sha256, jenis=jenis, status=ImporBerkas.Status.DIIMPOR).first()


def impor_create(
    *, actor: Any, upload: Any, sha256: str, mode: str, duplikat: str, jenis: str = JenisImpor.PENDUDUK
) -> ImporBerkas:
    return ImporBerkas.objects.create(
        pengguna=actor,
        jenis=jenis,
        nama_berkas=upload.name[:200],
        berkas=upload,
        sha256=sha256,
        mode=mode,
        duplikat=duplikat,
        status=ImporBerkas.Status.ANTRE,
    )


def impor_may_import(job: ImporBerkas) -> bool:
    """A checked file may be imported when its file is still there and the check found nothing
    wrong (all or nothing), or found at least one household to keep (keep the good rows)."""
    h = job.hasil
    if job.status != ImporBerkas.Status.DIPERIKSA or not job.berkas:
        return False
    if job.mode == ModeImpor.SEMUA:
        return h.get("jumlah_galat") == 0
    # "baik": what would be kept (households not skipped, good extract rows, households' deciles)
    return job.mode == ModeImpor.SEBAGIAN and h.get("baik", 0) > 0


def impor_claim(*, job: ImporBerkas) -> bool:
    """Move a checked job that may be imported to the queue, exactly once (a double click, or
    two tabs, import once)."""
    if not impor_may_import(job):
        return False
    return bool(
        ImporBerkas.objects.filter(pk=job.pk, status=ImporBerkas.Status.DIPERIKSA).update(
            status=ImporBerkas.Status.ANTRE
        )
    )
