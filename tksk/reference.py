"""Reference lists shipped as data: the PSKS types (Permensos No. 8/2012)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

JENIS_PSKS_CSV = Path(__file__).resolve().parent / "data" / "jenis_psks.csv"


def jenis_psks_load(model: Any = None) -> int:
    """Create or update the PSKS types from the CSV; ``model`` for data migrations."""
    if model is None:
        from tksk.models import JenisPsks as model
    with JENIS_PSKS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        model.objects.update_or_create(
            nomor=int(row["nomor"]), defaults={"nama": row["nama"], "singkatan": row["singkatan"]}
        )
    return len(rows)
