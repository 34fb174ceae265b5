"""Reference lists shipped as data: the 26 PMKS categories (Permensos No. 8/2012)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

KATEGORI_PMKS_CSV = Path(__file__).resolve().parent / "data" / "kategori_pmks.csv"


def kategori_pmks_load(model: Any = None) -> int:
    """Create or update the categories from the CSV; ``model`` for data migrations."""
    if model is None:
        from pmks.models import KategoriPmks as model
    with KATEGORI_PMKS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        model.objects.update_or_create(
            nomor=int(row["nomor"]),
            defaults={"nama": row["nama"], "singkatan": row["singkatan"], "sasaran": row["sasaran"]},
        )
    return len(rows)
