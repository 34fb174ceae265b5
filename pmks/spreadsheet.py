"""Safety of cells that leave the system in spreadsheets (every export path uses this).

A text cell starting with = + - @ tab or CR is run as a formula by Excel/LibreOffice (CSV
injection). django-import-export's own option strips only a leading "=", so exports neutralise
cells here instead, by prefixing an apostrophe: the text stays readable and is never executed.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")


def neutralise_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class SafeExportMixin:
    """django-import-export resource whose exported text cells can never be formulas."""

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))
