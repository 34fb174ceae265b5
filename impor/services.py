"""Writes for import jobs; the people themselves are written by impor.penduduk."""

from __future__ import annotations

import hashlib
from typing import Any

from django.shortcuts import get_object_or_404

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
