"""The import step: check the file again (the database may have changed since the check) and
write the good households, all or nothing unless the user asked to keep the good rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from impor.kolom import LOOKUP_BATCH, WRITE_BATCH, check_columns
from impor.models import ModeImpor
from impor.rumah import HasilImpor, Rumah, batched, households
from impor.salin import create_with_history
from impor.validasi import Validator
from pmks import choices
from pmks.models import AnggotaKeluarga, Keluarga
from pmks.services import ANGGOTA_FIELDS, KELUARGA_FIELDS


def write(*, user: Any, path: Path, mode: str, duplikat: str, progress: Any = None) -> HasilImpor:
    """Pass 2: validate again (the database may have changed) and write the good households.

    All or nothing (``ModeImpor.SEMUA``): one bad row and nothing is written. ``ModeImpor.SEBAGIAN``:
    households without errors are written; the others are reported."""
    check_columns(path)
    summary = HasilImpor()
    validator = Validator(user, duplikat)
    with transaction.atomic():
        for batch in batched(households(path, summary), LOOKUP_BATCH):
            summary.keluarga += len(batch)
            good = validator.check(batch, summary)
            if progress:
                progress(summary.baris)
            if summary.ada_galat and mode == ModeImpor.SEMUA:
                continue  # keep validating to report every bad row; nothing will be kept
            _write(user, good, summary)
        if summary.ada_galat and mode == ModeImpor.SEMUA:
            transaction.set_rollback(True)
            summary.keluarga_baru = summary.anggota_baru = 0
            summary.keluarga_diperbarui = summary.anggota_diperbarui = 0
    return summary


# Derived from the registry's own field lists, so a new household or person field is not missed.
HOUSEHOLD_UPDATE_FIELDS = [
    "kelurahan_id" if f == "kelurahan" else f for f in KELUARGA_FIELDS if f != "no_kk"
] + ["diubah_pada"]
PERSON_UPDATE_FIELDS = [f for f in ANGGOTA_FIELDS if f != "nik"] + ["diubah_pada"]


def _write(user: Any, households_: list[Rumah], summary: HasilImpor) -> None:
    updates = [r for r in households_ if r.existing_pk]
    if updates:
        _update(user, updates, summary)
    households_ = [r for r in households_ if not r.existing_pk]
    if not households_:
        return
    now = timezone.now()
    stamps = {"dibuat_pada": now, "diubah_pada": now}
    ids = create_with_history(
        Keluarga,
        [{**r.data, **stamps, "dibuat_oleh_id": user.pk} for r in households_],
        user=user,
        now=now,
    )
    if None in ids:  # a backend that does not return new keys: look them up
        by_kk = dict(
            Keluarga.objects.filter(no_kk__in=[r.no_kk for r in households_]).values_list("no_kk", "pk")
        )
        ids = [by_kk[r.no_kk] for r in households_]
    people = [
        {**o.data, **stamps, "keluarga_id": pk}
        for r, pk in zip(households_, ids, strict=True)
        for o in r.orang
    ]
    create_with_history(AnggotaKeluarga, people, user=user, now=now)
    summary.keluarga_baru += len(households_)
    summary.anggota_baru += len(people)


def _update(user: Any, households_: list[Rumah], summary: HasilImpor) -> None:
    """Update existing households and people in place (history rows written), add new people.
    The stored rows are loaded first: history records copy every field of the objects."""
    now = timezone.now()
    stored = Keluarga.objects.in_bulk([r.existing_pk for r in households_])
    keluarga = []
    for r in households_:
        k = stored[r.existing_pk]
        for key, value in r.data.items():
            setattr(k, key, value)
        k.diubah_pada = now
        keluarga.append(k)
    bulk_update_with_history(
        keluarga, Keluarga, HOUSEHOLD_UPDATE_FIELDS, batch_size=WRITE_BATCH, default_user=user
    )
    people = AnggotaKeluarga.objects.in_bulk([pk for r in households_ for pk in r.existing_people.values()])
    changed, added = [], []
    for r in households_:
        for o in r.orang:
            pk = r.existing_people.get(o.data["nik"])
            if pk:
                person = people[pk]
                for key, value in o.data.items():
                    setattr(person, key, value)
                person.diubah_pada = now
                changed.append(person)
            elif r.existing_pk is not None:
                added.append(
                    AnggotaKeluarga(keluarga_id=r.existing_pk, dibuat_pada=now, diubah_pada=now, **o.data)
                )
    # Head changes: clear the old head mark first, the unique "one head" index is checked per row.
    heads_now = {p.keluarga_id for p in changed + added if p.hubungan == choices.Hubungan.KEPALA}
    AnggotaKeluarga.objects.filter(keluarga_id__in=heads_now, hubungan=choices.Hubungan.KEPALA).exclude(
        pk__in=[p.pk for p in changed if p.hubungan == choices.Hubungan.KEPALA]
    ).update(hubungan=choices.Hubungan.LAINNYA)
    if changed:
        bulk_update_with_history(
            changed, AnggotaKeluarga, PERSON_UPDATE_FIELDS, batch_size=WRITE_BATCH, default_user=user
        )
    if added:
        bulk_create_with_history(added, AnggotaKeluarga, batch_size=WRITE_BATCH, default_user=user)
    summary.keluarga_diperbarui += len(keluarga)
    summary.anggota_diperbarui += len(changed)
    summary.anggota_baru += len(added)
