"""The fast worksheet reader (impor.xlsx_cepat) gives what openpyxl's read-only reader gives,
cell by cell, on workbooks written by openpyxl and on hand-written XML in the forms other
producers use (shared strings with rich text, namespace prefixes, cells without references)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from impor.xlsx_cepat import Lembar

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _naive(text: str) -> datetime.datetime:
    """Spreadsheet dates carry no time zone."""
    return datetime.datetime.fromisoformat(text)


def _openpyxl_rows(data: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows


def _fast_rows(data: bytes) -> dict[int, list]:
    sheet = Lembar(io.BytesIO(data))
    try:
        return dict(sheet.rows())
    finally:
        sheet.close()


def _trimmed(values: list) -> list:
    values = [str(v) if type(v).__name__ == "ArrayFormula" else v for v in values]
    while values and values[-1] is None:
        values.pop()
    return values


def _assert_same(data: bytes) -> dict[int, list]:
    expected = {n: _trimmed(r) for n, r in enumerate(_openpyxl_rows(data), start=1) if _trimmed(r)}
    got = {n: _trimmed(r) for n, r in _fast_rows(data).items() if _trimmed(r)}
    assert got == expected
    return got


VALUES = [
    "3574040101000001",
    " spasi di tepi ",
    "tanpa\xa0putus",
    "Ibu & <anak> \"kutip\" 'satu'",
    "Pérez Ñ 日本",
    "",
    3574040101000001,
    3.57404e15,
    12.5,
    -7,
    True,
    False,
    _naive("1980-08-17"),
    datetime.date(2001, 2, 3),
    "=SUM(A1:A2)",
    '=A1&"x"',
    None,
    "x" * 300,
]


@pytest.mark.parametrize("write_only", [False, True])
def test_workbooks_written_by_openpyxl_read_the_same(write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Data") if write_only else wb.active
    if not write_only:
        ws.column_dimensions["A"].width = 30  # a <cols> element before the data
    ws.append(["no_kk", "nama", None, "tanggal"])
    ws.append(VALUES)
    ws.append([])
    ws.append([None, None, "hanya kolom C"])
    ws.append(list(reversed(VALUES)))
    if not write_only:
        ws["F9"] = "jauh di bawah"
        ws["AB2"] = "kolom AB"
    out = io.BytesIO()
    wb.save(out)
    got = _assert_same(out.getvalue())
    assert got[2][0] == "3574040101000001"
    assert got[2][6] == 3574040101000001 and got[2][7] == 3574040000000000 and got[2][8] == 12.5
    assert got[2][12] == _naive("1980-08-17")
    assert got[2][14] == "=SUM(A1:A2)"


def _package(
    sheet_xml: str, *, shared: str | None = None, styles: str | None = None, epoch1904=False
) -> bytes:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared
                else ""
            )
            + (
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.styles+xml"/>'
                if styles
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            + ('<workbookPr date1904="1"/>' if epoch1904 else "")
            + '<sheets><sheet name="Penduduk" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                if shared
                else ""
            )
            + (f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>' if styles else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared:
        parts["xl/sharedStrings.xml"] = shared
    if styles:
        parts["xl/styles.xml"] = styles
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


SHARED = (
    f'<sst xmlns="{MAIN}" count="4" uniqueCount="4">'
    "<si><t>nik</t></si>"
    '<si><r><rPr><b/><family val="2"/></rPr><t>Siti</t></r><r><t xml:space="preserve"> Aminah</t></r>'
    '<rPh sb="0" eb="1"><t>フリガナ</t></rPh></si>'
    "<si><t>A &amp; B</t></si>"
    "<si/>"
    "</sst>"
)
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '</numFmts><cellXfs count="3"><xf numFmtId="0"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def test_excel_style_xml_reads_the_same_as_openpyxl():
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:E5"/><cols><col min="1" max="2" width="20"/></cols>'
        "<sheetData>"
        '<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" s="1"><v>29450</v></c><c s="2" r="B2"><v>29450.5</v></c>'
        '<c r="C2" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="D2" t="e"><v>#N/A</v></c>'
        '<c r="E2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>4</v></c>'
        '<c r="B4" t="inlineStr"><is><r><t>kaya</t></r><r><rPr><i/></rPr><t>teks</t></r></is></c>'
        '<c r="C4" t="inlineStr"><is><t xml:space="preserve">  spasi  </t></is></c>'
        '<c r="D4"><v>1.5E+3</v></c><c r="E4"/></row>'
        '<row r="5"><c r="A5"><f t="shared" si="0"/><v>8</v></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="D5:E5"/></mergeCells></worksheet>'
    )
    got = _assert_same(_package(sheet, shared=SHARED, styles=STYLES))
    assert got[1] == ["nik", "Siti Aminah", "A & B", ""]
    assert got[2][:2] == [_naive("1980-08-17"), _naive("1980-08-17T12:00")]
    assert got[2][2] == '=CONCAT("a","b")'
    assert got[4][1:4] == ["kayateks", "  spasi  ", 1500.0]


def test_namespace_prefixes_and_cells_without_references():
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c t="inlineStr"><x:is><x:t>no_kk</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>nama</x:t></x:is></x:c></x:row>'
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c><x:v>42</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    shared = f'<x:sst xmlns:x="{MAIN}"><x:si><x:t>3574040101000001</x:t></x:si></x:sst>'
    got = _assert_same(_package(sheet, shared=shared))
    assert got == {1: ["no_kk", "nama"], 2: ["3574040101000001", 42]}


def test_1904_dates_and_escaped_carriage_returns():
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c>'
        '<c r="B1" t="inlineStr"><is><t>baris_x000D_\nbaru</t></is></c></row></sheetData></worksheet>'
    )
    data = _package(sheet, styles=STYLES, epoch1904=True)
    assert _fast_rows(data)[1] == [_naive("1904-01-02"), "baris\r\nbaru"]
    assert _openpyxl_rows(data)[0] == [_naive("1904-01-02"), "baris_x000D_\nbaru"]


def test_row_count_from_dimension_or_by_counting():
    with_dimension = _package(
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B7"/><sheetData><row r="1"><c r="A1"><v>1</v></c>'
        "</row></sheetData></worksheet>"
    )
    without = _package(
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        + "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 6))
        + "</sheetData></worksheet>"
    )
    assert Lembar(io.BytesIO(with_dimension)).dimension_rows() == 7
    sheet = Lembar(io.BytesIO(without))
    assert sheet.dimension_rows() is None
    assert sheet.count_rows() == 5


def test_large_sheet_is_read_in_pieces(monkeypatch):
    """Rows that straddle the pieces the XML is scanned in are read whole."""
    monkeypatch.setattr("impor.xlsx_cepat.CHUNK", 97)
    wb = Workbook()
    for n in range(300):
        wb.active.append([f"baris {n}", n, "é" * (n % 7)])
    out = io.BytesIO()
    wb.save(out)
    got = _assert_same(out.getvalue())
    assert len(got) == 300


def test_not_a_workbook_is_refused():
    with pytest.raises(Exception):  # noqa: B017 - openpyxl raises several kinds; callers wrap any
        Lembar(io.BytesIO(b"PK\x03\x04 bukan zip"))


def test_attributes_written_in_any_form_xml_allows():
    """Newlines between attributes, single quotes, spaces around '=', lower-case references."""
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        "<row r='1'><c\nr=\"A1\"\nt=\"s\"><v>0</v></c><c r='C1' t='s'><v>1</v></c></row>"
        '<row r = "3"><c t = "s" r = "B3"><v>2</v></c><c r="c3"><v>7</v></c></row>'
        "</sheetData></worksheet>"
    )
    got = _assert_same(_package(sheet, shared=SHARED))
    assert got == {1: ["nik", None, "Siti Aminah"], 3: [None, "A & B", 7]}


def test_cdata_comments_and_shared_strings_with_attributes():
    shared = (
        f'<sst xmlns="{MAIN}"><si ><t><![CDATA[a<b&c]]></t></si><!-- <si><t>x</t></si> -->'
        "<si\n><t>kedua</t></si></sst>"
    )
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><t><![CDATA[Siti <Aminah>]]></t></is></c></row>'
        '<!-- <row r="9"><c r="A9"><v>9</v></c></row> -->'
        "</sheetData></worksheet>"
    )
    got = _assert_same(_package(sheet, shared=shared))
    assert got == {1: ["a<b&c", "kedua", "Siti <Aminah>"]}


def test_default_style_dates_and_unsafe_escapes():
    styles = STYLES.replace('<cellXfs count="3"><xf numFmtId="0"/>', '<cellXfs count="3"><xf numFmtId="14"/>')
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>29450</v></c>'
        '<c r="B1" t="inlineStr"><is><t>a_xD800_b</t></is></c></row></sheetData></worksheet>'
    )
    got = _fast_rows(_package(sheet, styles=styles))
    assert got[1] == [_naive("1980-08-17"), "a_xD800_b"]  # a lone surrogate stays as written
    assert _openpyxl_rows(_package(sheet, styles=styles))[0][0] == _naive("1980-08-17")


def test_single_cell_dimension_and_rows_past_excels_last_row():
    one_cell = _package(
        f'<worksheet xmlns="{MAIN}"><dimension ref="A10"/><sheetData></sheetData></worksheet>'
    )
    assert Lembar(io.BytesIO(one_cell)).dimension_rows() == 10
    too_far = _package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="10000000000"><c r="A10000000000"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    with pytest.raises(ValueError, match="last row"):
        list(Lembar(io.BytesIO(too_far)).rows())


def test_namespace_prefix_found_however_small_the_pieces(monkeypatch):
    monkeypatch.setattr("impor.xlsx_cepat.CHUNK", 7)
    test_namespace_prefixes_and_cells_without_references()
