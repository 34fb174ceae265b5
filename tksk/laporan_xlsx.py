"""The monthly report as an .xlsx workbook: title rows, bold frozen headers, text never a formula."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from inti.spreadsheet import neutralise_formula


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

    row(_("Laporan Bulanan TKSK"), font=Font(bold=True, size=14))
    row(_("Kecamatan"), r["kecamatan"])
    row(_("Bulan"), r["bulan"])
    status = ctx["laporan"].get_status_display() if ctx["laporan"] else _("Draf (belum diajukan)")
    row(_("Status"), str(status))
    row(
        _("Dibuat"), _("%(t)s oleh %(u)s") % {"t": f"{timezone.localtime():%d/%m/%Y %H:%M}", "u": dibuat_oleh}
    )
    row()
    row(_("Kegiatan menurut jenis"), _("Jumlah"), font=bold)
    header_row = ws.max_row
    for label, n in r["per_jenis"]:
        row(label, n)
    row(_("Total kegiatan"), r["kegiatan_total"], font=bold)
    row(_("Keluarga terjangkau"), r["keluarga_terjangkau"], font=bold)
    row()
    row(_("Kegiatan menurut kelurahan"), _("Jumlah"), font=bold)
    for label, n in r["per_kelurahan"]:
        row(label, n)
    row()
    row(_("Rujukan: tujuan"), _("Hasil"), _("Jumlah"), font=bold)
    for tujuan, hasil, n in r["rujukan"]:
        row(tujuan, hasil, n)
    row()
    row(_("Bantuan: usulan menurut program"), _("Jumlah"), font=bold)
    for program, n in r["bantuan"]["usulan"]:
        row(program, n)
    row(_("Bantuan: penyaluran menurut program"), _("Jumlah"), font=bold)
    for program, n in r["bantuan"]["penyaluran"]:
        row(program, n)
    row(_("Pemantauan bantuan dilakukan"), r["bantuan"]["pemantauan"])
    row()
    row(_("Kasus menonjol: tanggal"), _("Jenis"), _("Uraian"), _("Hasil"), font=bold)
    for k in r["kasus_menonjol"]:
        row(k["tanggal"], k["jenis"], k["uraian"], k["hasil"])
    if ctx["laporan"] and ctx["laporan"].catatan_tksk:
        row()
        row(_("Catatan TKSK"), ctx["laporan"].catatan_tksk)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for column, width in zip("ABCD", (44, 28, 60, 40), strict=True):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
