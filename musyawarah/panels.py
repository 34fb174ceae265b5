"""Musyawarah panels on the registry's pages (registered for pmks.slots in MusyawarahConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from musyawarah import selectors


def keluarga_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """Where the household was discussed: proposed or dropped, and why."""
    if not request.user.has_perm("musyawarah.view_musyawarah"):
        return None
    rows = list(selectors.dibahas_untuk_keluarga(user=request.user, keluarga=args["keluarga"]))
    return {"dibahas": rows} if rows else None


def beranda_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """The area's musyawarah of the coming month, on the home page."""
    if not request.user.has_perm("musyawarah.view_musyawarah"):
        return None
    rows = list(selectors.akan_datang(user=request.user))
    return {"akan_datang": rows, "hari": selectors.HARI_BERANDA} if rows else None
