"""Writes for users' assignments (penugasan): who may see which area, kept as history.

Every change is made by an actor and recorded (django-simple-history: who, when, old → new),
and the user's admin page shows it. Ending a TKSK's assignment warns when it leaves a
kecamatan with no TKSK.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import JenisPenugasan
from accounts.models import Penugasan, User
from inti.services import ensure_perm, save_validated
from wilayah.models import Wilayah


def _lock_region(wilayah_id: str) -> None:
    """Two assignments to one kecamatan at the same moment save one after the other."""
    Wilayah.objects.select_for_update().filter(pk=wilayah_id).first()


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
    """Assign ``user`` to ``wilayah``. At most one TKSK per kecamatan at any date. ``actor``
    None is the system (the demo, tests), which is not asked for a permission."""
    if actor is not None:
        ensure_perm(actor, "accounts.add_penugasan")
    with transaction.atomic():
        _lock_region(wilayah.pk)
        penugasan = Penugasan(
            user=user, wilayah=wilayah, jenis=jenis, mulai=mulai, selesai=selesai, catatan=catatan
        )
        save_validated(penugasan, actor)
    return penugasan


# What a correction may change. Who and where never change (end the assignment and start
# another: a hand-over), and an open assignment ends only through ``penugasan_end``, whose
# screen names any kecamatan it would leave without a TKSK.
PENUGASAN_KOREKSI = ("mulai", "selesai", "catatan")


def penugasan_update(*, actor: User, penugasan: Penugasan, data: dict) -> Penugasan:
    """Correct an assignment's dates or note from the admin; the old values stay in its history."""
    ensure_perm(actor, "accounts.change_penugasan")
    with transaction.atomic():
        locked = Penugasan.objects.select_for_update().get(pk=penugasan.pk)
        if locked.selesai is None and data.get("selesai"):
            raise ValidationError(
                {
                    "selesai": _(
                        "Penugasan yang berjalan diakhiri lewat aksi “Akhiri penugasan” atau “Serah terima”."
                    )
                }
            )
        for field in PENUGASAN_KOREKSI:
            if field in data:
                setattr(locked, field, data[field])
        _lock_region(locked.wilayah_id)
        save_validated(locked, actor)
    return locked


def penugasan_end(*, actor: User | None, penugasan: Penugasan, selesai: datetime.date) -> Penugasan:
    """Close an assignment (hand-over); the row stays as history."""
    if actor is not None:
        ensure_perm(actor, "accounts.change_penugasan")
    with transaction.atomic():
        locked = Penugasan.objects.select_for_update().get(pk=penugasan.pk)
        locked.selesai = selesai
        save_validated(locked, actor, ["selesai"])
    return locked


def penugasan_handover(
    *, actor: User, penugasan: Penugasan, pengganti: User, mulai: datetime.date, catatan: str = ""
) -> Penugasan:
    """Hand an area over: the old assignment ends the day before ``mulai`` and the successor's
    starts on it, both or neither."""
    with transaction.atomic():
        penugasan_end(actor=actor, penugasan=penugasan, selesai=mulai - datetime.timedelta(days=1))
        return penugasan_create(
            actor=actor,
            user=pengganti,
            wilayah=penugasan.wilayah,
            jenis=penugasan.jenis,
            mulai=mulai,
            catatan=catatan,
        )


def kecamatan_without_tksk(ending: list[Penugasan], on: datetime.date | None = None) -> list[Wilayah]:
    """The kecamatan that ending these assignments would leave with no TKSK on or after ``on``
    (today by default): no other TKSK assignment there is active then or starts later."""
    day = on or timezone.localdate()
    ids = {p.pk for p in ending}
    left = []
    for p in ending:
        if p.jenis != JenisPenugasan.TKSK:
            continue
        others = Penugasan.objects.filter(wilayah_id=p.wilayah_id, jenis=JenisPenugasan.TKSK).exclude(
            pk__in=ids
        )
        covered = others.filter(selesai__isnull=True) | others.filter(selesai__gt=day)
        if not covered.exists() and p.wilayah not in left:
            left.append(p.wilayah)
    return left
