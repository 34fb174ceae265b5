"""Aid decided elsewhere (PKH, Sembako/BPNT, PBI-JK, PIP, Baznas, CSR): the writes around the
ledger that its extracts fill (impor.ekstrak writes the extracts themselves).

A ledger row names its recipient by NIK and No. KK as the extract gave them; when no registered
household matched, the row waits (``keluarga`` empty) and is linked as soon as one is registered
(``penerima_eksternal_link``: after a household or member is saved, and after a people import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan.models import MasalahBantuanEksternal, PenerimaEksternal
from inti.services import ensure_in_scope, ensure_perm, save_validated
from pmks.models import AnggotaKeluarga, Keluarga


def penerima_eksternal_link(*, nik: Iterable[str] | None = None, no_kk: Iterable[str] | None = None) -> int:
    """Link waiting ledger rows to the households now registered: by NIK (the member's
    household), else by No. KK. Without arguments, every waiting row; else only those NIKs and
    No. KK (a household just saved). Set-based: two UPDATE statements."""
    waiting = PenerimaEksternal.objects.filter(keluarga__isnull=True)
    by_nik = waiting.exclude(nik="")
    by_kk = waiting.exclude(no_kk="")
    if nik is not None or no_kk is not None:
        by_nik = by_nik.filter(nik__in=list(nik or []))
        by_kk = by_kk.filter(no_kk__in=list(no_kk or []))
    person = AnggotaKeluarga.objects.filter(nik=OuterRef("nik"))
    linked = by_nik.filter(Exists(person)).update(keluarga_id=Subquery(person.values("keluarga_id")[:1]))
    household = Keluarga.objects.filter(no_kk=OuterRef("no_kk"))
    linked += (
        by_kk.filter(keluarga__isnull=True)
        .filter(Exists(household))
        .update(keluarga_id=Subquery(household.values("pk")[:1]))
    )
    return linked


def link_saved_household(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """post_save of a household or member (connected in BantuanConfig.ready), new or corrected
    (a mistyped NIK or No. KK fixed): link the ledger rows waiting for it. Bulk imports send no
    signal: impor calls penerima_eksternal_link after them."""
    if raw:
        return
    if isinstance(instance, Keluarga):
        penerima_eksternal_link(no_kk=[instance.no_kk])
    else:
        penerima_eksternal_link(nik=[instance.nik])


MASALAH_FIELDS = ("jenis", "uraian")


def masalah_create(
    *, actor: User, penerima: PenerimaEksternal, data: dict[str, Any]
) -> MasalahBantuanEksternal:
    """Report a problem with aid decided elsewhere (the field's part in monitoring it)."""
    ensure_perm(actor, "bantuan.add_masalahbantuaneksternal")
    ensure_in_scope(actor, penerima.kelurahan_id)
    masalah = MasalahBantuanEksternal(penerima=penerima, dilaporkan_oleh=actor)
    for field in MASALAH_FIELDS:
        setattr(masalah, field, data.get(field, ""))
    with transaction.atomic():
        save_validated(masalah, actor)
    return masalah


def masalah_resolve(
    *, actor: User, masalah: MasalahBantuanEksternal, tindak_lanjut: str
) -> MasalahBantuanEksternal:
    """Close a reported problem with what was done (passed on to Kemensos, corrected, …)."""
    ensure_perm(actor, "bantuan.change_masalahbantuaneksternal")
    ensure_in_scope(actor, masalah.penerima.kelurahan_id)
    if not tindak_lanjut.strip():
        raise ValidationError(_("Tuliskan tindak lanjutnya."))
    with transaction.atomic():
        locked = MasalahBantuanEksternal.objects.select_for_update().get(pk=masalah.pk)
        if locked.selesai:
            raise ValidationError(_("Masalah ini sudah ditandai selesai."))
        locked.selesai, locked.tindak_lanjut = True, tindak_lanjut.strip()
        save_validated(locked, actor, ["selesai", "tindak_lanjut", "diubah_pada"])
    return locked
