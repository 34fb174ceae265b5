"""Writes for import jobs; the people themselves are written by impor.penduduk."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from impor.models import ImporBerkas


def sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def impor_earlier(sha256: str) -> ImporBerkas | None:
    """A file with the same content imported before (by anyone): worth a warning."""
    return ImporBerkas.objects.filter(sha256=sha256, status=ImporBerkas.Status.DIIMPOR).first()


def impor_create(*, actor: Any, upload: Any, sha256: str, mode: str, duplikat: str) -> ImporBerkas:
    return ImporBerkas.objects.create(
        pengguna=actor,
        nama_berkas=upload.name[:200],
        berkas=upload,
        sha256=sha256,
        mode=mode,
        duplikat=duplikat,
        status=ImporBerkas.Status.ANTRE,
    )


def impor_get_for_user_or_404(*, user: Any, pk: int) -> ImporBerkas:
    """An import belongs to the person who uploaded it; anyone else gets 404."""
    return get_object_or_404(ImporBerkas, pk=pk, pengguna=user)


def impor_claim(*, job: ImporBerkas) -> bool:
    """Move a checked job to the queue exactly once (a double click imports once)."""
    return bool(
        ImporBerkas.objects.filter(pk=job.pk, status=ImporBerkas.Status.DIPERIKSA).update(
            status=ImporBerkas.Status.ANTRE
        )
    )


def impor_hapus_berkas_lama(*, sebelum: datetime.datetime) -> int:
    """Delete the files of import jobs created before ``sebelum`` (the upload, its cached parse,
    its rejected rows): they hold personal data. The job and its summary stay, as does the
    processing log; a job still waiting to be imported can no longer be, and says so."""
    removed = 0
    old = ImporBerkas.objects.filter(dibuat_pada__lt=sebelum).exclude(
        status__in=[ImporBerkas.Status.ANTRE, ImporBerkas.Status.DIPROSES]
    )
    for job in old.iterator():
        upload = Path(job.berkas.path)
        for path in [upload, *upload.parent.glob(upload.name + ".*")]:
            if path.exists():
                path.unlink()
                removed += 1
        if job.status == ImporBerkas.Status.DIPERIKSA:
            job.status = ImporBerkas.Status.GAGAL
            message = _("Berkas sudah dihapus karena lama tidak diimpor; unggah ulang.")
            job.hasil = {**job.hasil, "pesan": [message]}
            job.save(update_fields=["status", "hasil"])
    return removed
