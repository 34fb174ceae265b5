"""Turning spreadsheet cells into values, with the realities of Indonesian Excel files:
numbers that were NIKs, non-breaking spaces, three date forms, L/P or spelled-out sex."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pmks.identitas import normalise_nomor, validate_nik, validate_no_kk

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's (leap-bug) calendar
_DD_MM_YYYY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
SEX = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lk": "L",
    "pria": "L",
    "p": "P",
    "perempuan": "P",
    "pr": "P",
    "wanita": "P",
}


class SelGalat(ValueError):
    """A cell that cannot become a value; the message is for people."""


def teks(value: Any, *, required: bool = True) -> str:
    if type(value) is str:  # nearly every cell: the checks below are for the rest
        text = value
    elif value is not None and not isinstance(value, (str, int, float, bool, datetime.date)):
        raise SelGalat(
            _("sel berisi rumus atau nilai khusus (%(t)s); tulis nilainya saja") % {"t": type(value).__name__}
        )
    elif value is None:
        text = ""
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = " ".join(text.split())  # any run of whitespace, non-breaking spaces included
    if "\x00" in text:  # a NUL byte (a damaged CSV) cannot be stored
        raise SelGalat(_("sel berisi karakter tak sah (NUL); ketik ulang isinya"))
    if text.startswith("="):
        raise SelGalat(_("sel berisi rumus (%(v)s); tulis nilainya saja") % {"v": text[:30]})
    if required and not text:
        raise SelGalat(_("wajib diisi"))
    return text


def nomor16(value: Any, *, label: str) -> str:
    """NIK / No. KK: must arrive as text; a number has already lost digits in Excel."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise SelGalat(
            _(
                "%(l)s tersimpan sebagai angka (%(v)s); Excel hanya menyimpan 15 digit, ubah kolom "
                "menjadi teks lalu ketik ulang"
            )
            % {"l": label, "v": value}
        )
    text = normalise_nomor(teks(value))
    try:
        (validate_nik if label == "NIK" else validate_no_kk)(text)
    except ValidationError as exc:
        raise SelGalat(" ".join(exc.messages)) from exc
    return text


def nomor16_boleh_kosong(label: str) -> Callable[[Any], str]:
    """A NIK or No. KK column a row may leave empty (extracts need one of the two)."""

    def parse(value: Any) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return nomor16(value, label=label)

    return parse


def tanggal(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise SelGalat(_("tanggal tidak sah (%(v)s)") % {"v": value})
    text = teks(value)
    common = _DD_MM_YYYY.fullmatch(text)
    if common:  # the usual form, without strptime's cost (a 100,000-row file has 100,000 dates)
        try:
            return datetime.date(int(common[3]), int(common[2]), int(common[1]))
        except ValueError:
            pass  # 31/02/1990: the message below
    elif re.fullmatch(r"\d{5}", text):  # an Excel serial that arrived as text (CSV)
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise SelGalat(_("tanggal tidak sah (%(v)s); tulis dd/mm/yyyy, misalnya 17/08/1980") % {"v": text})


def jenis_kelamin(value: Any) -> str:
    text = teks(value).lower()
    if text not in SEX:
        raise SelGalat(_("jenis kelamin '%(v)s' tidak dikenal; tulis L atau P") % {"v": text})
    return SEX[text]


class Pilihan:
    """A choice column: its code or its label, ignoring case ('kepala' or 'Kepala keluarga').
    The lookup table is built once per column, not once per cell."""

    def __init__(self, choices: list[tuple[str, Any]], *, required: bool = True, default: str = "") -> None:
        self.mapping: dict[str, str] = {}
        for code, label in choices:
            self.mapping[str(code).lower()] = code
            self.mapping[str(label).lower()] = code
        self.allowed = ", ".join(str(code) for code, _label in choices)
        self.required, self.default = required, default

    def __call__(self, value: Any) -> str:
        text = teks(value, required=self.required)
        if not text:
            return self.default
        lowered = text.lower()
        code = self.mapping.get(lowered) or self.mapping.get(lowered.replace(" ", "_"))
        if code is not None:
            return code
        raise SelGalat(_("'%(v)s' tidak dikenal; pilihan: %(a)s") % {"v": text, "a": self.allowed})
