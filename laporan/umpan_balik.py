"""How fast the field hears back: days from a proposal to the first notification about it that
reaches its kecamatan's TKSK (taken onto a list, approved, rejected), and unread notifications
per role. Printed by ``manage.py ukur_umpan_balik`` (the README's figures on the demo)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from bantuan.choices import StatusUsulan
from bantuan.models import AmandemenDaftar, DaftarPenerima, Usulan
from kabar.choices import Peristiwa
from kabar.models import Notifikasi
from kabar.selectors import jumlah_belum_dibaca_per_peran

UMPAN_BALIK = (Peristiwa.USULAN_MASUK_DAFTAR, Peristiwa.USULAN_DISETUJUI, Peristiwa.USULAN_DITOLAK)


@dataclass
class UkuranUmpanBalik:
    usulan: int
    mendapat_kabar: int
    # Proposals already taken onto a list or decided whose TKSK was told nothing (should be 0);
    # one still waiting to be put on a list has had nothing to hear yet.
    diproses_tanpa_kabar: int
    median_hari: float | None
    per_peran: list[dict[str, Any]]


def ukur_umpan_balik() -> UkuranUmpanBalik:
    ct = ContentType.objects.get_for_model
    kinds = {ct(Usulan).pk: "usulan", ct(DaftarPenerima).pk: "daftar", ct(AmandemenDaftar).pk: "amandemen"}
    # (kind, object id) -> [(area code, moment)] of feedback notifications
    told: dict[tuple[str, int], list[tuple[str, Any]]] = defaultdict(list)
    rows = Notifikasi.objects.filter(jenis__in=UMPAN_BALIK, objek_jenis__in=list(kinds)).values_list(
        "objek_jenis", "objek_id", "wilayah_id", "dibuat_pada"
    )
    for jenis_objek, objek_id, wilayah, moment in rows:
        told[(kinds[jenis_objek], objek_id)].append((wilayah, moment))
    amended: dict[int, list[int]] = defaultdict(list)
    for pk, usulan_id, entri_usulan_id in AmandemenDaftar.objects.values_list(
        "pk", "usulan_id", "entri__usulan_id"
    ):
        amended[usulan_id or entri_usulan_id].append(pk)
    days = []
    usulan = Usulan.objects.values_list(
        "pk", "dibuat_pada", "keluarga__kelurahan_id", "entri__daftar_id", "status"
    )
    total = silent = 0
    for pk, proposed, kelurahan, daftar_id, status in usulan:
        total += 1
        keys = [("usulan", pk), ("daftar", daftar_id), *(("amandemen", a) for a in amended.get(pk, ()))]
        moments = [
            moment
            for key in keys
            for wilayah, moment in told.get(key, ())
            if moment >= proposed and (kelurahan == wilayah or kelurahan.startswith(wilayah + "."))
        ]
        if moments:
            days.append((min(moments) - proposed).total_seconds() / 86400)
        elif status != StatusUsulan.DIAJUKAN:
            silent += 1
    return UkuranUmpanBalik(
        usulan=total,
        mendapat_kabar=len(days),
        diproses_tanpa_kabar=silent,
        median_hari=round(statistics.median(days), 1) if days else None,
        per_peran=jumlah_belum_dibaca_per_peran(),
    )
