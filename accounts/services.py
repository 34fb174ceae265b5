"""Writes for users and assignments."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import Penugasan, User
from wilayah.models import Wilayah


def penugasan_create(
    *,
    actor: User | None,
    user: User,
    wilayah: Wilayah,
    jenis: str,
    mulai: datetime.date,
    selesai: datetime.date | None = None,
    catatan: str = "",
) -> Penugasan:
    """Assign ``user`` to ``wilayah``. At most one TKSK per kecamatan at any date."""
    with transaction.atomic():
        # Lock the region row so two simultaneous assignments to one kecamatan serialise.
        Wilayah.objects.select_for_update().filter(pk=wilayah.pk).first()
        penugasan = Penugasan(
            user=user, wilayah=wilayah, jenis=jenis, mulai=mulai, selesai=selesai, catatan=catatan
        )
        penugasan.full_clean()
        penugasan.save()
    return penugasan


def penugasan_end(*, actor: User | None, penugasan: Penugasan, selesai: datetime.date) -> None:
    """Close an assignment (hand-over); the row stays as history."""
    with transaction.atomic():
        penugasan = Penugasan.objects.select_for_update().get(pk=penugasan.pk)
        penugasan.selesai = selesai
        penugasan.full_clean()
        penugasan.save(update_fields=["selesai"])
