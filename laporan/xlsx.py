"""One writer for every spreadsheet the system produces.

Title rows (report, area, period, generated at/by), a bold frozen header with autofilter,
sensible widths, NIK/KK as text, dates as dates, rupiah formatted, and every text cell
neutralised against formulas. Written in openpyxl's write-only mode, so memory does not grow
with the row count; past Excel's 1,048,576 rows the data continues on a new sheet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from pmks.spreadsheet import neutralise_formula

EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Kolom:
    """A report column: ``jenis`` is text, nomor (NIK/KK: always text), int, rupiah or tanggal."""

    judul: str
    jenis: str = "text"
    lebar: int = 18


@dataclass(frozen=True)
class Judul:
    laporan: str
    wilayah: str
    periode: str
    dibuat_oleh: str
    dibuat_pada: datetime.datetime

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Laporan", self.laporan),
            ("Wilayah", self.wilayah),
            ("Periode / saringan", self.periode),
            ("Dibuat", f"{self.dibuat_pada:%d/%m/%Y %H:%M} oleh {self.dibuat_oleh}"),
        ]


FORMATS = {"rupiah": '"Rp"#,##0', "tanggal": "DD/MM/YYYY"}


def _cell(ws, value: Any, kolom: Kolom) -> Any:
    """A cell value; a styled cell object only where a number format is needed (dates, rupiah),
    because creating cell objects is what makes large exports slow."""
    if kolom.jenis in ("text", "nomor"):
        return None if value is None else neutralise_formula(str(value))
    if value is None or kolom.jenis == "int":
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = FORMATS[kolom.jenis]
    return cell


def write_xlsx(
    target: Any,
    judul: Judul,
    kolom: list[Kolom],
    rows: Iterable[Iterable[Any]],
    max_rows: int = EXCEL_MAX_ROWS,
) -> int:
    """Write the workbook to ``target`` (a path or binary file); returns the number of data rows.
    ``max_rows`` is lowered only by tests of the sheet split."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    header_at = len(judul.rows()) + 2  # title rows, a blank row, then the header
    per_sheet = max_rows - header_at
    sheets = 0

    def new_sheet():
        nonlocal sheets
        sheets += 1
        sheet = wb.create_sheet("Data" if sheets == 1 else f"Data {sheets}")
        # Widths and frozen panes precede the rows in the file, so they are set first.
        for i, k in enumerate(kolom):
            sheet.column_dimensions[_letter(i)].width = k.lebar
        sheet.freeze_panes = f"A{header_at + 1}"
        for label, value in judul.rows():
            a = WriteOnlyCell(sheet, value=label)
            a.font = bold
            sheet.append([a, neutralise_formula(value)])
        sheet.append([])
        header = []
        for k in kolom:
            c = WriteOnlyCell(sheet, value=neutralise_formula(str(k.judul)))
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(c)
        sheet.append(header)
        return sheet

    ws = new_sheet()
    count = in_sheet = 0
    for row in rows:
        if in_sheet == per_sheet:
            _close(ws, kolom, header_at, in_sheet)
            ws, in_sheet = new_sheet(), 0
        ws.append([_cell(ws, v, k) for v, k in zip(row, kolom, strict=True)])
        in_sheet += 1
        count += 1
    _close(ws, kolom, header_at, in_sheet)
    wb.save(target)
    return count


def _close(ws, kolom: list[Kolom], header_at: int, data_rows: int) -> None:
    ws.auto_filter.ref = f"A{header_at}:{_letter(len(kolom) - 1)}{header_at + max(data_rows, 1)}"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def csv_rows(judul: Judul, kolom: list[Kolom], rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    """The same report as CSV rows (streamed): title lines, header, data; formulas neutralised."""
    for label, value in judul.rows():
        yield [label, neutralise_formula(value)]
    yield []
    yield [neutralise_formula(str(k.judul)) for k in kolom]
    for row in rows:
        out = []
        for v, k in zip(row, kolom, strict=True):
            if isinstance(v, datetime.date):
                v = v.strftime("%d/%m/%Y")
            elif k.jenis in ("text", "nomor") and v is not None:
                v = neutralise_formula(str(v))
            out.append("" if v is None else v)
        yield out
