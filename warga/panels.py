"""The warga panel on Beranda (registered for pmks.slots.BERANDA in WargaConfig.ready): what
waits for each role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from warga import selectors


def beranda_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    user = request.user
    if user.has_perm("warga.view_ringkasan_aduan"):
        return {"peran": "dinas", "aduan": selectors.panel_dinas(user=user), "hari_ini": timezone.localdate()}
    if user.has_perm("warga.change_aduan"):
        return {"peran": "tksk", "aduan": selectors.panel_tksk(user=user), "hari_ini": timezone.localdate()}
    if user.has_perm("warga.view_aduan"):
        return {
            "peran": "kelurahan",
            "aduan": selectors.panel_kelurahan(user=user),
            "hari_ini": timezone.localdate(),
        }
    return None
