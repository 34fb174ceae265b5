"""The cached parse of an uploaded file: the check step parses every cell once and keeps the
result next to the upload; the import step reads it back instead of parsing again."""

from __future__ import annotations

import csv
import datetime
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from django.db.models import Field, Model
from django.utils import timezone

from impor import kolom
from impor.baca import rows_of
from impor.galat import Galat
from impor.kolom import COLUMN_PARSERS, HOUSE, PERSON, parse_row, rencana
from pmks import choices
from pmks.identitas import normalise_nomor
from pmks.models import AnggotaKeluarga, Keluarga


def _rules_version() -> str:
    """A fingerprint of the code the cached parse depends on (reader, header names, cell and
    NIK rules, choices, field lengths): after a deploy that changes any of it, a file checked
    before is parsed again rather than imported under the old rules."""
    from impor import baca, sel, xlsx_cepat
    from pmks import identitas, models

    digest = hashlib.sha256()
    for module in (sys.modules[__name__], kolom, baca, sel, xlsx_cepat, identitas, choices, models):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


URAI_VERSI = _rules_version()
_AKHIR = "akhir"  # the cache's last line: written only when the whole file was parsed
ParsedRow = tuple[int, "tuple[dict, dict] | None", list[tuple[str, str]], str]
_KEYS = [[key for _column, _parser, side, key in COLUMN_PARSERS if side == s] for s in (HOUSE, PERSON)]
_GALAT = "galat"


def _from_text(model: type[Model], key: str) -> Any:
    """How a cached value comes back from its text: dates, decimals and numbers are typed;
    an empty text in a nullable field is NULL; any other text is itself."""
    model_field = cast(Field, model._meta.get_field(key))
    kind = model_field.get_internal_type()
    by_kind: dict[str, Callable[[str], Any]] = {
        "DateField": datetime.date.fromisoformat,
        "DecimalField": Decimal,
    }
    typed = by_kind.get(kind)
    if typed is None and kind.endswith("IntegerField"):
        typed = int
    if typed is None:
        return None
    return lambda text: typed(text) if text else None


_CONVERTERS = [
    {key: conv for key in keys if (conv := _from_text(model, key)) is not None}
    for keys, model in zip(_KEYS, (Keluarga, AnggotaKeluarga), strict=True)
]


def parsed_rows(path: Path) -> Iterator[ParsedRow]:
    """(row number, (household, person) or None, the row's errors as (column, message), its
    No. KK as written) for every data row.

    The check step parses the cells and keeps the result in a CSV file next to the upload
    (uploads have server-made names, so it belongs to this job alone); the import step reads it
    back instead of parsing every cell again. The cells' rules depend only on the file, the date
    and the rules' version, all three checked; the database checks are always made again.
    A line is [row, "", household values..., person values...] in _KEYS order, or
    [row, "galat", No. KK, column, message, column, message, ...]: the csv module reads and
    writes it in C."""
    today = timezone.localdate()
    cache = path.with_name(path.name + ".urai.csv")
    house_keys, person_keys = _KEYS
    header = ["versi", str(URAI_VERSI), today.isoformat(), *house_keys, "|", *person_keys]
    if cache.exists() and cache.stat().st_mtime >= path.stat().st_mtime:
        with cache.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            if next(reader, None) == header:
                yield from _read_cache(reader)
                return
    house_values, person_values = itemgetter(*house_keys), itemgetter(*person_keys)
    count = 0
    # A name of its own (two parses of one upload never share a half-written file); renamed
    # into place only when complete, after an fsync, so a crash leaves no cache to trust.
    out = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=cache.parent, prefix=cache.name, suffix=".tmp", delete=False
    )
    partial = Path(out.name)
    try:
        with out:
            writer = csv.writer(out)
            writer.writerow(header)
            plan = None
            for number, raw in rows_of(path):
                if plan is None:
                    plan = rencana(raw, today)
                errors: list[Galat] = []
                parsed = parse_row(number, raw, errors, plan)
                pairs = [(g.kolom, g.pesan) for g in errors]
                if parsed is None:
                    kk = raw.get("no_kk")
                    kk = normalise_nomor(kk) if isinstance(kk, str) else ""
                    writer.writerow([number, _GALAT, kk, *(text for pair in pairs for text in pair)])
                else:
                    kk = ""
                    writer.writerow([number, "", *house_values(parsed[0]), *person_values(parsed[1])])
                count += 1
                yield number, parsed, pairs, kk
            writer.writerow([_AKHIR, count])
            out.flush()
            os.fsync(out.fileno())
        partial.replace(cache)
    finally:
        partial.unlink(missing_ok=True)  # a parse that stopped half-way (error, abandoned)


def drop_parse_cache(path: Path) -> None:
    """The cached parse holds personal data: gone once the import is over."""
    for leftover in path.parent.glob(path.name + ".urai.csv*"):
        leftover.unlink(missing_ok=True)


def _read_cache(reader: Iterator[list[str]]) -> Iterator[ParsedRow]:
    house_keys, person_keys = _KEYS
    split = 2 + len(house_keys)
    house_typed, person_typed = _CONVERTERS
    count = 0
    for row in reader:
        if row[0] == _AKHIR:
            if int(row[1]) != count:
                break
            return
        count += 1
        number = int(row[0])
        if row[1] == _GALAT:
            yield number, None, list(zip(row[3::2], row[4::2], strict=True)), row[2]
            continue
        house = dict(zip(house_keys, row[2:split], strict=True))
        person = dict(zip(person_keys, row[split:], strict=True))
        for values, typed in ((house, house_typed), (person, person_typed)):
            for key, convert in typed.items():
                values[key] = convert(values[key])
        yield number, (house, person), [], ""
    # No end line (or a wrong count): not a file this module finished writing. The import's
    # transaction rolls back; the job says the file must be checked again.
    raise RuntimeError("the cached parse of this upload is incomplete")
