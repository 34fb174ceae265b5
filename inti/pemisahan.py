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


def _ids(pelaku: Any) -> set[Any]:
    """The earlier step's people: one user, or several (everyone who wrote the evidence)."""
    people = pelaku if isinstance(pelaku, (list, tuple, set, frozenset)) else [pelaku]
    return {getattr(p, "pk", p) for p in people if p is not None}


def ensure_pemisahan(aturan: AturanPemisahan, *, actor: Any, pelaku: Any, objek: object) -> None:
    """Refuse ``actor`` taking this step when they took the earlier one (``pelaku``: a user or
    several users)."""
    if pemisahan_terpenuhi(aturan, actor=actor, pelaku=pelaku, ask_office=False):
        return
    if pemisahan_berlaku(aturan):
        raise ValidationError(pemisahan_message(aturan), code="pemisahan_tugas")
    LogPengecualian.objects.create(aturan=aturan, pengguna=actor, objek=str(objek)[:200])


def pemisahan_terpenuhi(aturan: AturanPemisahan, *, actor: Any, pelaku: Any, ask_office: bool = True) -> bool:
    """Whether ``actor`` may take this step (to offer the button at all; the service decides).
    With ``ask_office=False``: whether they took no earlier step, exception or not."""
    same = actor is not None and getattr(actor, "pk", None) in _ids(pelaku)
    return not same or (ask_office and not pemisahan_berlaku(aturan))
