"""Aid panels on the registry's pages (registered for pmks.slots in BantuanConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bantuan import selectors
from bantuan.rules import desil_bertentangan, profil_keluarga
from pmks.selectors import desil_terkini


def keluarga_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """The household's proposals, what became of them, and who decided each step."""
    user = request.user
    if not user.has_perm("bantuan.view_usulan"):
        return None
    usulan = (
        selectors.usulan_list(user=user)
        .filter(keluarga=args["keluarga"])
        .select_related(
            "entri__daftar__diajukan_oleh",
            "entri__daftar__diverifikasi_oleh",
            "entri__daftar__diputuskan_oleh",
        )
    )
    keluarga = args["keluarga"]
    profil = profil_keluarga([keluarga.pk]).get(keluarga.pk)
    desil = desil_terkini([keluarga.pk]).get(keluarga.pk)
    return {
        "rows": [(u, selectors.nasib_usulan(u), selectors.jejak_keputusan(usulan=u)) for u in usulan],
        "luar": selectors.bantuan_luar_keluarga(keluarga)
        if user.has_perm("bantuan.view_penerimaeksternal")
        else [],
        "desil": desil,
        "cek_ulang": desil_bertentangan(desil.desil if desil else None, profil.skor.total) if profil else "",
    }


def pemantauan_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """Follow-ups overdue and due soon, on the home page."""
    user = request.user
    if not user.has_perm("bantuan.view_pemantauan"):
        return None
    due = selectors.pemantauan_due(user=user)
    return due if due["terlambat"] or due["segera"] else None


def tugas_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """What waits for the user on Beranda: lists to verify or approve, amendments, proposals to
    put on a list (city staff); rejected proposals (the field)."""
    tugas = selectors.tugas_bantuan(user=request.user)
    return {"tugas_list": tugas} if tugas else None


def musyawarah_panel(request: HttpRequest, args: dict[str, Any]) -> dict[str, Any] | None:
    """On a musyawarah page: the proposals of the households it proposed, which cite it, and a
    button to cite it on those still waiting for a list."""
    user = request.user
    if not user.has_perm("bantuan.view_usulan"):
        return None
    m = args["musyawarah"]
    if not m.selesai:
        return None
    diusulkan = m.keluarga_dibahas.filter(keputusan="diusulkan").values("keluarga_id")
    rows = list(
        selectors.usulan_list(user=user)
        .filter(keluarga_id__in=diusulkan)
        .select_related("tahap__program", "keluarga", "musyawarah")
        .order_by("keluarga__no_kk", "-dibuat_pada")
    )
    return {"usulan_musyawarah": rows} if rows else None
