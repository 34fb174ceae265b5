"""Reference lists shipped as data: the 26 PMKS categories (Permensos No. 8/2012)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inti.reference import reference_csv_load

KATEGORI_PMKS_CSV = Path(__file__).resolve().parent / "data" / "kategori_pmks.csv"


def kategori_pmks_load(model: Any = None) -> int:
    """Create or update the categories from the CSV; ``model`` for data migrations."""
    if model is None:
        from pmks.models import KategoriPmks as model
    return reference_csv_load(KATEGORI_PMKS_CSV, model, ("nama", "singkatan", "sasaran"))
