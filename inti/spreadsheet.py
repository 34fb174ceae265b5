"""The one writer for every spreadsheet and CSV the system produces, and formula safety.

Reports (title rows, a bold frozen header with autofilter, NIK/KK as text, dates as dates, rupiah
formatted), documents made of several titled sections (the TKSK monthly report), import templates
(header only, every column text) and CSV files all come from here, and every text cell they write
is neutralised against formulas. Workbooks are written in openpyxl's write-only mode, so memory
does not grow with the row count; past Excel's 1,048,576 rows the data continues on a new sheet.

Formula safety: a text cell starting with = + - @ tab or CR is run as a formula by Excel and
LibreOffice (CSV injection). django-import-export's own option strips only a leading "=", so every
export path neutralises cells here instead, by prefixing an apostrophe: the text stays readable
and is never executed.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

EXCEL_MAX_ROWS = 1_048_576
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"
FORMATS = {"rupiah": '"Rp"#,##0', "tanggal": "DD/MM/YYYY"}

# -- Formula safety ------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")


def neutralise_formula(value: Any) -> Any:
    """The value, with a text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: empty for None, dd/mm/yyyy for dates, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralise_formula(value)


class SafeExportMixin:
    """django-import-export resource whose exported text cells can never be formulas."""

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


# -- What a sheet holds --------------------------------------------------------------------------


@dataclass(frozen=True)
class Kolom:
    """A column: ``jenis`` is text, nomor (NIK/KK: always text), int, rupiah or tanggal."""

    judul: str
    jenis: str = "text"
    lebar: int = 18


@dataclass(frozen=True)
class Judul:
    """The title rows above the data: what, where, which period or filter, made when and by whom."""

    laporan: str
    wilayah: str
    periode: str
    dibuat_oleh: str
    dibuat_pada: datetime.datetime
    label_periode: str = "Periode / saringan"
    tambahan: tuple[tuple[str, str], ...] = ()  # further (label, value) rows, e.g. a status

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Laporan", self.laporan),
            ("Wilayah", self.wilayah),
            (self.label_periode, self.periode),
            *self.tambahan,
            ("Dibuat", f"{self.dibuat_pada:%d/%m/%Y %H:%M} oleh {self.dibuat_oleh}"),
        ]


@dataclass
class Bagian:
    """One titled section of a document: a header row, its rows, and closing rows (totals) in
    bold. A tabular report is a document of one section."""

    kolom: list[Kolom]
    rows: Iterable[Sequence[Any]]
    akhir: list[Sequence[Any]] = field(default_factory=list)


# -- Writing workbooks ---------------------------------------------------------------------------


def _cell(ws: Any, value: Any, kolom: Kolom) -> Any:
    """A cell value; a styled cell object only where a number format is needed (dates, rupiah),
    because creating cell objects is what makes large exports slow."""
    if kolom.jenis in ("text", "nomor"):
        return None if value is None else neutralise_formula(str(value))
    if value is None or kolom.jenis == "int" or isinstance(value, str):
        return neutralise_formula(value)
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = FORMATS[kolom.jenis]
    return cell


def _bold_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    cells = []
    for value in values:
        text = value if value is None or isinstance(value, (int, float)) else str(value)
        cell = WriteOnlyCell(ws, value=neutralise_formula(text))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _title(ws: Any, judul: Judul) -> None:
    for label, value in judul.rows():
        a = WriteOnlyCell(ws, value=label)
        a.font = Font(bold=True)
        ws.append([a, neutralise_formula(value)])
    ws.append([])


def write_xlsx(
    target: Any,
    judul: Judul,
    kolom: list[Kolom],
    rows: Iterable[Iterable[Any]],
    max_rows: int = EXCEL_MAX_ROWS,
) -> int:
    """A tabular report to ``target`` (a path or binary file); returns the number of data rows.
    ``max_rows`` is lowered only by tests of the sheet split."""
    wb = Workbook(write_only=True)
    header_at = len(judul.rows()) + 2  # title rows, a blank row, then the header
    per_sheet = max_rows - header_at
    sheets = 0

    def new_sheet() -> Any:
        nonlocal sheets
        sheets += 1
        sheet = wb.create_sheet("Data" if sheets == 1 else f"Data {sheets}")
        # Widths and frozen panes precede the rows in the file, so they are set first.
        for i, k in enumerate(kolom, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = k.lebar
        sheet.freeze_panes = f"A{header_at + 1}"
        _title(sheet, judul)
        sheet.append(_bold_row(sheet, (k.judul for k in kolom)))
        return sheet

    ws = new_sheet()
    count = in_sheet = 0
    for row in rows:
        if in_sheet == per_sheet:
            _autofilter(ws, kolom, header_at, in_sheet)
            ws, in_sheet = new_sheet(), 0
        ws.append([_cell(ws, v, k) for v, k in zip(row, kolom, strict=True)])
        in_sheet += 1
        count += 1
    _autofilter(ws, kolom, header_at, in_sheet)
    wb.save(target)
    return count


def _autofilter(ws: Any, kolom: list[Kolom], header_at: int, data_rows: int) -> None:
    last = get_column_letter(len(kolom))
    ws.auto_filter.ref = f"A{header_at}:{last}{header_at + max(data_rows, 1)}"


def write_sections(target: Any, judul: Judul, bagian: list[Bagian], *, sheet_title: str = "Laporan") -> int:
    """A document of titled sections, one under another (a blank row between them); returns the
    number of data rows. Columns are as wide as the widest section asks."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    widths: dict[int, int] = {}
    for b in bagian:
        for i, k in enumerate(b.kolom, start=1):
            widths[i] = max(widths.get(i, 0), k.lebar)
    for i, width in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{len(judul.rows()) + 2}"
    _title(ws, judul)
    count = 0
    for n, b in enumerate(bagian):
        if n:
            ws.append([])
        ws.append(_bold_row(ws, (k.judul for k in b.kolom)))
        for row in b.rows:
            ws.append([_cell(ws, v, k) for v, k in zip(row, b.kolom, strict=False)])
            count += 1
        for row in b.akhir:
            ws.append(_bold_row(ws, row))
    wb.save(target)
    return count


def template_xlsx(columns: Sequence[str], title: str, examples: Iterable[Sequence[Any]] = ()) -> bytes:
    """An import template: one bold, frozen header row and, when given, example rows; every
    column formatted as text, so a NIK or No. KK typed in later stays 16 digits."""
    from io import BytesIO

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Templat"
    bold = Font(bold=True)
    for i, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=name)
        cell.font = bold
        cell.number_format = TEXT_FORMAT
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = max(len(name) + 4, 20)
        dim.number_format = TEXT_FORMAT  # the column's style: cells typed in later are text
    for r, example in enumerate(examples, start=2):
        for i, value in enumerate(example, start=1):
            cell = ws.cell(row=r, column=i, value=neutralise_formula(value))
            cell.number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# -- CSV -----------------------------------------------------------------------------------------


def csv_rows(judul: Judul, kolom: list[Kolom], rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    """The same report as CSV rows (streamed): title lines, header, data; formulas neutralised."""
    for label, value in judul.rows():
        yield [label, neutralise_formula(value)]
    yield []
    yield [neutralise_formula(str(k.judul)) for k in kolom]
    for row in rows:
        yield [
            csv_value(str(v) if k.jenis in ("text", "nomor") and v is not None else v)
            for v, k in zip(row, kolom, strict=True)
        ]


def csv_data_rows(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    """A plain CSV (a header, then rows), every cell made safe: files people fix and upload again."""
    yield [csv_value(v) for v in header]
    for row in rows:
        yield [csv_value(v) for v in row]


def write_csv(target: IO[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write rows made by ``csv_rows`` or ``csv_data_rows`` to a text file; returns how many."""
    writer = csv.writer(target)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Rows made by ``csv_rows`` or ``csv_data_rows`` as CSV text for a streamed response,
    after a byte-order mark so that Excel reads the UTF-8 correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)
