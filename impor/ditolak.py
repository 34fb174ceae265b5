"""The rejected rows of a check or import, with their errors, as a CSV to fix and upload again."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from impor.baca import rows_of
from inti.spreadsheet import csv_data_rows, write_csv


def _rejected(path: Path, summary: Any) -> Iterator[tuple[list[str], list[Any]]]:
    """(header, [errors, row number, *cells]) for each rejected row, errors merged in row order
    (both are sorted by row: nothing is held in memory)."""
    errors = iter(summary.galat)
    pending = next(errors, None)
    for number, raw in rows_of(path):
        if number not in summary.baris_ditolak:
            continue
        messages = []
        while pending is not None and pending.baris <= number:
            if pending.baris == number:
                messages.append(f"{pending.kolom}: {pending.pesan}")
            pending = next(errors, None)
        yield ["galat", "baris", *raw.keys()], ["; ".join(messages), number, *raw.values()]


def rejected_rows_csv(path: Path, summary: Any, target: Any) -> None:
    """The rejected rows as a CSV with a 'galat' column first (nothing when none was rejected)."""
    rows = _rejected(path, summary)
    first = next(rows, None)
    if first is None:
        return
    header, row = first
    write_csv(target, csv_data_rows(header, chain([row], (r for _h, r in rows))))
