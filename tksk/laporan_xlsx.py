"""The monthly report as an .xlsx workbook: title rows, bold frozen headers, text never a formula."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from pmks.spreadsheet import neutralise_formula


def laporan_workbook(ctx: dict[str, Any], *, dibuat_oleh: str) -> bytes:
    r = ctx["ringkasan"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan"
    bold = Font(bold=True)

    def row(*values: Any, font: Font | None = None) -> None:
        ws.append([neutralise_formula(v) for v in values])
        if font:
            for cell in ws[ws.max_row]:
                cell.font = font

    row("Laporan Bulanan TKSK", font=Font(bold=True, size=14))
    row("Kecamatan", r["kecamatan"])
    row("Bulan", r["bulan"])
    status = ctx["laporan"].get_status_display() if ctx["laporan"] else "Draf (belum diajukan)"
    row("Status", str(status))
    row("Dibuat", f"{timezone.localtime():%d/%m/%Y %H:%M} oleh {dibuat_oleh}")
    row()
    row("Kegiatan menurut jenis", "Jumlah", font=bold)
    header_row = ws.max_row
    for label, n in r["per_jenis"]:
        row(label, n)
    row("Total kegiatan", r["kegiatan_total"], font=bold)
    row("Keluarga terjangkau", r["keluarga_terjangkau"], font=bold)
    row()
    row("Kegiatan menurut kelurahan", "Jumlah", font=bold)
    for label, n in r["per_kelurahan"]:
        row(label, n)
    row()
    row("Rujukan: tujuan", "Hasil", "Jumlah", font=bold)
    for tujuan, hasil, n in r["rujukan"]:
        row(tujuan, hasil, n)
    row()
    row("Bantuan: usulan menurut program", "Jumlah", font=bold)
    for program, n in r["bantuan"]["usulan"]:
        row(program, n)
    row("Bantuan: penyaluran menurut program", "Jumlah", font=bold)
    for program, n in r["bantuan"]["penyaluran"]:
        row(program, n)
    row("Pemantauan bantuan dilakukan", r["bantuan"]["pemantauan"])
    row()
    row("Kasus menonjol: tanggal", "Jenis", "Uraian", "Hasil", font=bold)
    for k in r["kasus_menonjol"]:
        row(k["tanggal"], k["jenis"], k["uraian"], k["hasil"])
    if ctx["laporan"] and ctx["laporan"].catatan_tksk:
        row()
        row("Catatan TKSK", ctx["laporan"].catatan_tksk)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for column, width in zip("ABCD", (44, 28, 60, 40), strict=True):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
