"""Reading spreadsheets as rows: .xlsx (impor.xlsx_cepat) or .csv (UTF-8 or the Windows code
page Indonesian Excel writes), whatever the file is called. Rows stream; nothing is held."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from impor.xlsx_cepat import Lembar

ALIASES = {
    "no_kk": "no_kk",
    "nomor_kk": "no_kk",
    "no._kk": "no_kk",
    "kk": "no_kk",
    "nik": "nik",
    "no_nik": "nik",
    "kode_kelurahan": "kode_kelurahan",
    "kode_desa": "kode_kelurahan",
    "kode_wilayah": "kode_kelurahan",
    "jk": "jenis_kelamin",
    "l/p": "jenis_kelamin",
    "jenis_kelamin": "jenis_kelamin",
    "tgl_lahir": "tanggal_lahir",
    "tanggal_lahir": "tanggal_lahir",
    "hubungan_keluarga": "hubungan",
    "shdk": "hubungan",
    "status_kawin": "status_perkawinan",
}


def normalise_header(value: Any) -> str:
    key = str(value or "").replace("\xa0", " ").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.replace("\xa0", " ").strip()) for v in values)


def rows_of(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {column: raw value}) for every non-empty data row.
    Raises ValidationError for a file that is not a spreadsheet or has no header."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        yield from _xlsx_rows(path)
    else:
        yield from _csv_rows(path)


def _open_xlsx(path: Path) -> Lembar:
    try:
        # A file object, not a name: openpyxl would refuse a workbook named anything but .xlsx.
        return Lembar(path.open("rb"))
    except Exception as exc:  # any parser failure means "not a workbook"
        raise ValidationError(_("Berkas bukan spreadsheet .xlsx yang dapat dibaca.")) from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    # Formula cells come back as their text ("=..."), so they can be refused.
    sheet = _open_xlsx(path)
    try:
        yield from _with_header(sheet.rows())
    finally:
        sheet.close()


def count_xlsx_rows(path: Path) -> int:
    """The data rows the sheet declares (or holds), for the progress bar only."""
    sheet = _open_xlsx(path)
    try:
        last = sheet.dimension_rows()
        return max((last if last is not None else sheet.count_rows()) - 1, 0)
    finally:
        sheet.close()


def _encoding_of(path: Path) -> str:
    """UTF-8 if the whole file decodes as UTF-8 (checked incrementally), else the Windows code
    page Indonesian Excel writes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as f:
        raw = f.read(4096)
    if b"\x00" in raw:
        raise ValidationError(_("Berkas bukan spreadsheet: gunakan .xlsx atau .csv."))
    encoding = _encoding_of(path)
    first = raw.decode(encoding, errors="replace").splitlines()[0] if raw else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    with path.open(encoding=encoding, newline="", errors="strict") as f:
        try:
            yield from _with_header(enumerate(csv.reader(f, delimiter=delimiter), start=1))
        except csv.Error as exc:
            raise ValidationError(
                _("Berkas CSV rusak atau ada sel yang terlalu panjang: %(e)s") % {"e": exc}
            ) from exc
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("Berkas CSV memakai pengodean yang tidak dikenal; simpan sebagai CSV UTF-8.")
            ) from exc


def _with_header(numbered: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    header: list[str] | None = None
    for number, values in numbered:
        values = list(values)
        if _is_blank(values):
            continue
        if header is None:
            header = [normalise_header(v) for v in values]
            named = all(header)  # no unnamed column to leave out: a plain zip will do
            continue
        if len(values) < len(header):  # a short row: its missing cells are empty
            values.extend([None] * (len(header) - len(values)))
        if named:
            yield number, dict(zip(header, values, strict=False))
        else:
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}
    if header is None:
        raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom maupun data."))


NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"Rar!", b"\x1f\x8b")


def sniff(path: Path) -> None:
    """Refuse a file that is not an .xlsx or a text CSV, whatever its name says."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(_("Berkas ini format Excel lama (.xls); simpan ulang sebagai .xlsx atau .csv."))
    if head.startswith(NOT_SPREADSHEETS) or (
        path.suffix.lower() == ".xlsx" and not head.startswith(b"PK\x03\x04")
    ):
        raise ValidationError(
            _("Berkas ini bukan spreadsheet (walau bernama %(n)s); gunakan .xlsx atau .csv.")
            % {"n": path.name}
        )


def header_of(path: Path) -> list[str]:
    """The normalised column names (first non-empty row), for the column check."""
    sniff(path)
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        sheet = _open_xlsx(path)
        try:
            for _number, values in sheet.rows():
                if not _is_blank(list(values)):
                    return [normalise_header(v) for v in values]
        finally:
            sheet.close()
        raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom maupun data."))
    with path.open("rb") as f:
        text = f.read(65536)
    if b"\x00" in text:
        raise ValidationError(_("Berkas bukan spreadsheet: gunakan .xlsx atau .csv."))
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = text.decode("cp1252", errors="replace")
    for line in decoded.splitlines():
        if line.strip(" ,;\t\xa0"):
            delimiter = ";" if line.count(";") > line.count(",") else ","
            return [normalise_header(v) for v in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
    raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom maupun data."))


def count_rows(path: Path) -> int:
    """A quick estimate of the data rows, for the progress bar (not for any rule)."""
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith(b"PK\x03\x04"):
            try:
                return count_xlsx_rows(path)
            except Exception:  # only an estimate; an unreadable file is explained by the checks
                return 0
        f.seek(0)
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 0)


def require_columns(path: Path, required: Sequence[str], one_of: Sequence[str] = ()) -> None:
    """Refuse a file without the required columns (and without any of ``one_of``), naming them."""
    header = header_of(path)
    missing = [c for c in required if c not in header]
    if one_of and not set(one_of) & set(header):
        missing.append(" / ".join(one_of))
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(k)s. Unduh templat untuk susunan kolom yang benar.")
            % {"k": ", ".join(missing)}
        )


T = TypeVar("T")


def in_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
