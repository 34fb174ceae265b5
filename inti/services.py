"""Guards every service of every app uses, and the file log (who exported or imported what).

A write checks the actor's permission (``ensure_perm``) and area (``ensure_in_scope``), then saves
through ``save_validated``: ``full_clean()`` first, the actor recorded as the author of the
history row. The file log is the record of processing UU PDP asks for: every export and import
of personal data, with its filter, row count and the exporter's area at that moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from inti.models import LogBerkas
from inti.scoping import scope_of

# -- Guards ----------------------------------------------------------------------------------------


def ensure_in_scope(actor: Any, kode_wilayah: str | None) -> None:
    """Refuse a write outside the actor's area (a form posted by hand, a stale page)."""
    if not scope_of(actor).allows(kode_wilayah):
        raise PermissionDenied(_("Wilayah ini di luar wilayah tugas Anda."))


def ensure_perm(actor: Any, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))


def save_validated(instance: models.Model, actor: Any, update_fields: Iterable[str] | None = None) -> None:
    """full_clean() then save, with ``actor`` as the audit author (also outside a request).
    Every service of every app saves through this."""
    instance._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    instance.full_clean()
    instance.save(update_fields=list(update_fields) if update_fields else None)


M = TypeVar("M", bound=models.Model)


def save_fields_in_scope(
    *,
    actor: Any,
    existing: M | None,
    new: Callable[[], M],
    data: dict[str, Any],
    fields: Iterable[str],
    region: Callable[[M], str | None],
) -> M:
    """The common write of a screen's form, inside the caller's transaction: lock the existing
    row (or start a new one), check that it lies in the actor's area before and after the
    change, set ``fields`` from ``data`` and save it validated."""
    if existing is None:
        obj = new()
    else:
        obj = type(existing)._default_manager.select_for_update().get(pk=existing.pk)
        ensure_in_scope(actor, region(obj))
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
    ensure_in_scope(actor, region(obj))
    save_validated(obj, actor)
    return obj


# -- The file log ----------------------------------------------------------------------------------


def area_text(user: Any) -> str:
    scope = scope_of(user)
    if scope.unrestricted:
        return _("Semua wilayah")
    return ", ".join(sorted(scope.kode_wilayah or [])) or _("(tanpa wilayah)")


def log_berkas(
    *,
    user: Any,
    jenis: str,
    nama: str,
    format: str,
    saringan: dict | None = None,
    jumlah_baris: int = 0,
    jumlah_galat: int = 0,
) -> LogBerkas:
    return LogBerkas.objects.create(
        jenis=jenis,
        pengguna=user,
        nama=nama[:200],
        format=format[:10],
        saringan=saringan or {},
        jumlah_baris=jumlah_baris,
        jumlah_galat=jumlah_galat,
        wilayah=area_text(user)[:200],
    )


def log_berkas_rows(log: LogBerkas, jumlah_baris: int) -> None:
    """Record the row count once a streamed export has finished."""
    LogBerkas.objects.filter(pk=log.pk).update(jumlah_baris=jumlah_baris)
