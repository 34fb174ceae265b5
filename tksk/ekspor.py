"""The TKSK monthly report as an .xlsx document, from the one spreadsheet writer."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inti.spreadsheet import Bagian, Judul, Kolom, write_sections


def laporan_workbook(ctx: dict[str, Any], *, dibuat_oleh: str) -> bytes:
    r = ctx["ringkasan"]
    laporan = ctx["laporan"]
    status = laporan.get_status_display() if laporan else _("Draf (belum diajukan)")
    judul = Judul(
        laporan=_("Laporan Bulanan TKSK"),
        wilayah=_("Kecamatan %(k)s") % {"k": r["kecamatan"]},
        periode=r["bulan"],
        label_periode=_("Bulan"),
        tambahan=((_("Status"), str(status)),),
        dibuat_oleh=dibuat_oleh,
        dibuat_pada=timezone.localtime(),
    )
    jumlah = Kolom(_("Jumlah"), "int", 28)
    bagian = [
        Bagian(
            [Kolom(_("Kegiatan menurut jenis"), lebar=44), jumlah],
            r["per_jenis"],
            akhir=[
                (_("Total kegiatan"), r["kegiatan_total"]),
                (_("Keluarga terjangkau"), r["keluarga_terjangkau"]),
            ],
        ),
        Bagian([Kolom(_("Kegiatan menurut kelurahan"), lebar=44), jumlah], r["per_kelurahan"]),
        Bagian(
            [
                Kolom(_("Rujukan: tujuan"), lebar=44),
                Kolom(_("Hasil"), lebar=28),
                Kolom(_("Jumlah"), "int", 60),
            ],
            r["rujukan"],
        ),
        Bagian([Kolom(_("Bantuan: usulan menurut program"), lebar=44), jumlah], r["bantuan"]["usulan"]),
        Bagian(
            [Kolom(_("Bantuan: penyaluran menurut program"), lebar=44), jumlah],
            r["bantuan"]["penyaluran"],
            akhir=[(_("Pemantauan bantuan dilakukan"), r["bantuan"]["pemantauan"])],
        ),
        Bagian(
            [
                Kolom(_("Kasus menonjol: tanggal"), lebar=44),
                Kolom(_("Jenis"), lebar=28),
                Kolom(_("Uraian"), lebar=60),
                Kolom(_("Hasil"), lebar=40),
            ],
            [(k["tanggal"], k["jenis"], k["uraian"], k["hasil"]) for k in r["kasus_menonjol"]],
        ),
    ]
    if laporan and laporan.catatan_tksk:
        bagian.append(Bagian([Kolom(_("Catatan TKSK"), lebar=44)], [(laporan.catatan_tksk,)]))
    out = BytesIO()
    write_sections(out, judul, bagian)
    return out.getvalue()
