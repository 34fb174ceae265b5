"""Aid panels on the registry's pages (registered for pmks.slots in BantuanConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bantuan import selectors


def keluarga_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """The household's proposals and what became of them."""
    user = request.user
    if not user.has_perm("bantuan.view_usulan"):
        return None
    usulan = selectors.usulan_list(user=user).filter(keluarga=args["keluarga"])
    return {"rows": [(u, selectors.nasib_usulan(u)) for u in usulan]}


def pemantauan_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """Follow-ups overdue and due soon, on the home page."""
    user = request.user
    if not user.has_perm("bantuan.view_pemantauan"):
        return None
    due = selectors.pemantauan_due(user=user)
    return due if due["terlambat"] or due["segera"] else None
