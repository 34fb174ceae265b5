"""A fast streaming reader for the first worksheet of an .xlsx.

openpyxl's read-only mode builds an XML element and a cell object for every cell; for a
100,000-person file that was half of an import's time. A worksheet's cells are a flat, regular
structure, so the small parts of the workbook (manifest, workbook, styles: which styles are
dates, the 1900/1904 epoch) are read by openpyxl itself, and the worksheet and shared strings are
scanned here with regular expressions while they are decompressed, a few MB at a time.

The values are the ones openpyxl's read-only mode gives with ``data_only=False`` — text,
int/float, bool, ``datetime`` for date-styled numbers, and ``"=<formula>"`` for a cell holding a
formula (so it can be refused) — except that ``_xHHHH_`` escapes in text are decoded (Excel's
way of writing a carriage return), where openpyxl leaves them. tests/test_xlsx_cepat.py
compares both readers cell by cell.
"""

from __future__ import annotations

import codecs
import functools
import re
import zipfile
from collections.abc import Iterator
from html import escape, unescape
from typing import IO, Any

from openpyxl.formula.translate import Translator
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS

CHUNK = 1 << 22  # characters of XML scanned at a time: memory stays a few MB whatever the file

# A <row ...> (or <row .../>), or a <c ...> cell: the common cells (a <v> value alone, or a plain
# inline string) are taken apart by the pattern itself; any other content comes back whole.
_TOKEN = re.compile(
    r"<row\b([^>]*?)(/?)>"
    r"|<c(?=[\s/>])(?: r=\"([A-Z]+)\d+\")?([^>]*?)"
    r"(?:/>|>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>|(.*?))</c>)",
    re.S,
)
# Any attribute in any form XML allows: spaces around "=", single quotes, newlines between.
_ATTRIBUTE = re.compile(r"""(?<![\w:])([\w:]+)\s*=\s*(["'])(.*?)\2""", re.S)
_VALUE = re.compile(r"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_FORMULA = re.compile(r"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_TEXT = re.compile(r"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_SHARED = re.compile(r"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.S)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PREFIX = re.compile(r"<(\w+):(?:worksheet|sst)\b")
_ROW_NUMBER = re.compile(r"""(?<![\w:])r\s*=\s*["'](\d+)["']""")
_DIMENSION = re.compile(r'<dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')
# XML that is not data: comments are dropped, CDATA sections become escaped text.
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
EXCEL_MAX_ROW = 1_048_576


class Lembar:
    """The first worksheet of an .xlsx file object. Raises on a file that is not a workbook."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self.fileobj = fileobj
        reader = ExcelReader(fileobj, read_only=True, keep_vba=False, data_only=False, keep_links=False)
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self.archive: zipfile.ZipFile = reader.archive
        self.epoch = reader.wb.epoch
        # openpyxl's own (private) lists of date and duration styles, as its reader uses them.
        self.date_styles = {str(s) for s in reader.wb._date_formats}  # type: ignore[attr-defined]
        self.timedelta_styles = {str(s) for s in reader.wb._timedelta_formats}  # type: ignore[attr-defined]
        self.sheet_path = next(
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        )
        strings = reader.package.find(SHARED_STRINGS)
        self.strings_path = strings.PartName[1:] if strings is not None else None
        self.shared: list[str] = []
        self.shared_formulas: dict[str | None, Translator] = {}

    def close(self) -> None:
        self.archive.close()
        self.fileobj.close()  # ZipFile does not close a file object it was given

    def _xml(self, path: str, pattern: str) -> Iterator[str]:
        """The part's XML in pieces that each end after a complete ``pattern`` element, with a
        namespace prefix (``<x:c>``, written by some .NET exporters) removed."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        prefix = None
        rest = ""
        with self.archive.open(path) as src:
            while True:
                data = src.read(CHUNK)
                text = rest + decoder.decode(data, final=not data)
                if prefix is None:  # decided once the root element has been seen
                    found = _PREFIX.search(text[:4096])
                    if found:
                        prefix = found.group(1)
                    elif len(text) >= 4096 or not data:
                        prefix = ""
                    else:
                        rest = text
                        continue
                if prefix:
                    text = text.replace(f"<{prefix}:", "<").replace(f"</{prefix}:", "</")
                if "<!" in text:
                    text = _COMMENT.sub("", _CDATA.sub(lambda m: escape(m.group(1), quote=False), text))
                if not data:
                    if text:
                        yield text
                    return
                cut = text.rfind(pattern)
                if cut < 0:
                    rest = text
                    continue
                cut += len(pattern)
                yield text[:cut]
                rest = text[cut:]

    def load_shared_strings(self) -> None:
        if self.strings_path is None or self.shared:
            return
        for piece in self._xml(self.strings_path, "</si>"):
            for match in _SHARED.finditer(piece):
                self.shared.append(_rich_text(match.group(1) or ""))

    def dimension_rows(self) -> int | None:
        """The last row number the worksheet declares (its <dimension>), if it declares one."""
        with self.archive.open(self.sheet_path) as src:
            head = src.read(8192).decode("utf-8", errors="replace")
        found = _DIMENSION.search(head)
        return int(found.group(1)) if found else None

    def count_rows(self) -> int:
        return sum(piece.count("</row>") for piece in self._xml(self.sheet_path, "</row>"))

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cell values) for every row the sheet stores, in order."""
        self.load_shared_strings()
        number, column, started = 0, 0, False
        cells: list[Any] = []
        columns: dict[str, int] = {}
        for piece in self._xml(self.sheet_path, "</row>"):
            for match in _TOKEN.finditer(piece):
                row_attrs, empty_row, letters, attrs, value, text, inner = match.groups()
                if attrs is None:  # a <row>
                    if started:
                        yield number, cells
                    found = _ROW_NUMBER.search(row_attrs)
                    number = int(found.group(1)) if found else number + 1
                    if number > EXCEL_MAX_ROW:
                        raise ValueError(f"row {number} is past Excel's last row")
                    cells, column, started = [], 0, True
                    if empty_row:
                        yield number, cells
                        started = False
                    continue
                named = _attributes(attrs)
                if letters is None and "r" in named:  # r="" not first, or written unusually
                    letters = named["r"].upper().rstrip("0123456789")
                if letters:
                    column = columns.get(letters) or columns.setdefault(letters, _column_index(letters))
                else:
                    column += 1
                if text is not None:  # <is><t>...</t></is>
                    value = _unescape(text)
                elif value is not None:
                    value = self._convert(named, value)
                else:
                    value = self._value(named, inner or "", (letters or get_column_letter(column), number))
                if len(cells) == column - 1:
                    cells.append(value)
                elif len(cells) < column - 1:
                    cells.extend([None] * (column - 1 - len(cells)))
                    cells.append(value)
                else:  # a cell written twice: the later one wins, as in openpyxl
                    cells[column - 1] = value
        if started:
            yield number, cells

    def _value(self, attrs: dict[str, str], inner: str, where: tuple[str, int]) -> Any:
        kind = attrs.get("t", "n")
        if "<f" in inner:
            formula = _FORMULA.search(inner)
            if formula is not None:
                text = "=" + _unescape(formula.group(2) or "")
                return self._formula(_attributes(formula.group(1)), text, where)
        if kind == "inlineStr":
            return _rich_text(inner) if "<is" in inner else None
        found = _VALUE.search(inner)
        return self._convert(attrs, found.group(1) if found else None)

    def _formula(self, attrs: dict[str, str], text: str, where: tuple[str, int]) -> str:
        """A formula's text; a shared formula's other cells carry none, so it is translated from
        the first cell as openpyxl does (the text only names the formula in a message)."""
        if attrs.get("t") != "shared":
            return text
        key = attrs.get("si")
        coordinate = f"{where[0]}{where[1]}"
        if key in self.shared_formulas:
            return self.shared_formulas[key].translate_formula(coordinate)
        if text != "=":
            self.shared_formulas[key] = Translator(text, coordinate)
        return text

    def _convert(self, attrs: dict[str, str], raw: str | None) -> Any:
        """A cell's <v> by its type: number (a date if its style is one), shared string, ..."""
        if not raw:
            return None
        kind = attrs.get("t", "n")
        if kind == "n":
            number = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            style = attrs.get("s", "0")  # no s: the default style, which may be a date format
            if style in self.date_styles:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return _unescape(raw)  # "str" (a formula's text result) and "e" (#N/A and friends)


@functools.lru_cache(maxsize=4096)  # a sheet's cells repeat a handful of attribute sets
def _attributes(attrs: str) -> dict[str, str]:
    return {name: value for name, _quote, value in _ATTRIBUTE.findall(attrs)}


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def _unescape(text: str) -> str:
    if "&" in text:
        text = unescape(text)
    if "_x" in text:
        text = _ESCAPED.sub(_escaped_character, text)
    return text


def _escaped_character(match: re.Match) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate: kept as written


def _rich_text(xml: str) -> str:
    """The text of an <si> or <is>: plain <t>, or the <t> of every rich-text run, without the
    phonetic guides (<rPh>)."""
    if "<rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    return _unescape("".join(m.group(1) or "" for m in _TEXT.finditer(xml)))
