"""Reference lists shipped as CSV files with the code (PMKS categories, PSKS types, …)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def reference_csv_load(path: Path, model: Any, fields: Sequence[str]) -> int:
    """Create or update the rows of ``model`` from the CSV at ``path``, identified by their
    ``nomor`` column; returns how many rows the file has. ``model`` may be a migration's
    historical model."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        model.objects.update_or_create(nomor=int(row["nomor"]), defaults={k: row[k] for k in fields})
    return len(rows)
