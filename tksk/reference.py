"""Reference lists shipped as data: the PSKS types (Permensos No. 8/2012)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inti.reference import reference_csv_load

JENIS_PSKS_CSV = Path(__file__).resolve().parent / "data" / "jenis_psks.csv"


def jenis_psks_load(model: Any = None) -> int:
    """Create or update the PSKS types from the CSV; ``model`` for data migrations."""
    if model is None:
        from tksk.models import JenisPsks as model
    return reference_csv_load(JENIS_PSKS_CSV, model, ("nama", "singkatan"))
