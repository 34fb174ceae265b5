"""TKSK panels on the registry's pages (registered for pmks.slots in TkskConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tksk import selectors


def keluarga_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """The household's latest accompaniment activities."""
    user = request.user
    if not user.has_perm("tksk.view_kegiatan"):
        return None
    return {"kegiatan": list(selectors.kegiatan_for_keluarga(user=user, keluarga=args["keluarga"])[:10])}


def agenda_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """The agenda in brief, on the home page."""
    user = request.user
    if not user.has_perm("tksk.view_kegiatan"):
        return None
    return {"agenda": selectors.agenda(user=user, limit=5)}


def tugas_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """Monthly reports waiting for review (city staff) or returned for correction (the TKSK)."""
    tugas = selectors.tugas_laporan(user=request.user)
    return {"tugas_list": tugas} if tugas else None
