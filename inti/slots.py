"""Slots: places in a lower app's page where higher apps put panels of their own.

A page of the registry (pmks) shows a household's aid and its visits, which live in apps above
it (bantuan, tksk). pmks must not know them, so it declares a slot by name and renders it with
``{% load slot %}{% slot "pmks.keluarga" keluarga=keluarga %}``; each higher app registers its
panel for that slot in its ``AppConfig.ready()``. Dependencies keep pointing one way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

# (request, the slot's arguments) -> the panel template's context, or None to show nothing.
PanelContext = Callable[[HttpRequest, dict[str, Any]], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext
    urutan: int = 50  # lower comes first


_PANELS: dict[str, list[Panel]] = defaultdict(list)


def register(slot: str, panel: Panel) -> None:
    if panel not in _PANELS[slot]:
        _PANELS[slot].append(panel)
        _PANELS[slot].sort(key=lambda p: p.urutan)


def panels(slot: str) -> list[Panel]:
    return list(_PANELS.get(slot, ()))
