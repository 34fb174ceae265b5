"""Separation of duties, written once: who took one step of a decision may not take the next.

Every service that takes such a step calls ``ensure_pemisahan`` with the person who took the
earlier step; screens, admin pages and actions, imports and commands all come through those
services, and a superuser is held to the same rules. A small office may turn one rule off
(``PengecualianPemisahan``, with a reason): then the action is allowed and written to
``LogPengecualian``, never silently.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inti.models import AturanPemisahan, LogPengecualian, PengecualianPemisahan


def pemisahan_berlaku(aturan: AturanPemisahan) -> bool:
    """False only when an administrator turned the rule off for this office."""
    return not PengecualianPemisahan.objects.filter(aturan=aturan, aktif=True).exists()


def pemisahan_message(aturan: AturanPemisahan) -> str:
    return _("Pemisahan tugas: %(aturan)s. Minta rekan lain mengambil langkah ini.") % {
        "aturan": AturanPemisahan(aturan).label
    }


def ensure_pemisahan(aturan: AturanPemisahan, *, actor: Any, pelaku: Any, objek: object) -> None:
    """Refuse ``actor`` taking this step when they took the earlier one (``pelaku``)."""
    if actor is None or pelaku is None or getattr(actor, "pk", None) != getattr(pelaku, "pk", None):
        return
    if pemisahan_berlaku(aturan):
        raise ValidationError(pemisahan_message(aturan), code="pemisahan_tugas")
    LogPengecualian.objects.create(aturan=aturan, pengguna=actor, objek=str(objek)[:200])


def pemisahan_terpenuhi(aturan: AturanPemisahan, *, actor: Any, pelaku: Any) -> bool:
    """Whether ``actor`` may take this step (to offer the button at all; the service decides)."""
    same = (
        actor is not None and pelaku is not None and getattr(actor, "pk", None) == getattr(pelaku, "pk", None)
    )
    return not same or not pemisahan_berlaku(aturan)
