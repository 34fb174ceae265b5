"""NIK and No. KK rules, in one place for forms, admin, import and the demo generator.

NIK = 6-digit region of first registration + DDMMYY birth date (day + 40 for women) + 4-digit
serial (DOMAIN.md). Both numbers are strings: a spreadsheet that stored them as numbers has
already lost digits, so those are refused with a message that says why.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")
_NUMBER_LIKE = re.compile(r"^\d+(\.\d+)?([eE][+-]?\d+)?$")


def normalise_nomor(value: object) -> str:
    """Strip the spaces (normal and non-breaking) people and spreadsheets put around numbers."""
    return str(value).replace("\xa0", " ").strip().replace(" ", "") if value is not None else ""


def validate_nomor16(value: str, label: str) -> None:
    """Raise a ValidationError unless ``value`` is exactly 16 digits."""
    if _SIXTEEN_DIGITS.match(value or ""):
        return
    if value and not value.isdigit() and _NUMBER_LIKE.match(value.replace(",", ".")):
        raise ValidationError(
            _(
                "%(label)s '%(value)s' tersimpan sebagai angka (mis. dari Excel) sehingga "
                "digitnya hilang. Isi sebagai teks 16 digit."
            ),
            code="number_format",
            params={"label": label, "value": value},
        )
    digits = len(value or "")
    raise ValidationError(
        _("%(label)s harus tepat 16 digit angka (sekarang %(n)s karakter)."),
        code="invalid",
        params={"label": label, "n": digits},
    )


def validate_nik(value: str) -> None:
    validate_nomor16(value, "NIK")
    parts = parse_nik(value)
    if parts.tanggal is None:
        raise ValidationError(
            _("NIK %(nik)s: bagian tanggal lahir (digit 7–12) bukan tanggal yang sah."),
            code="nik_date",
            params={"nik": value},
        )
    if parts.serial == "0000":
        raise ValidationError(_("NIK: nomor urut (4 digit terakhir) tidak boleh 0000."))


def validate_no_kk(value: str) -> None:
    validate_nomor16(value, "No. KK")


class NikParts(NamedTuple):  # a tuple: made for every row of a 100,000-row import
    kode_wilayah: str  # 6 digits: province, kabupaten/kota, kecamatan
    perempuan: bool
    hari: int
    bulan: int
    tahun2: int
    serial: str

    @property
    def tanggal(self) -> datetime.date | None:
        """The birth date with a placeholder century; None when day/month are impossible."""
        try:
            # 2000 is a leap year, so 29 February is accepted until the real year is known.
            return datetime.date(2000, self.bulan, self.hari)
        except ValueError:
            return None


def parse_nik(nik: str) -> NikParts:
    dd = int(nik[6:8])
    perempuan = dd > 40
    return NikParts(
        kode_wilayah=nik[:6],
        perempuan=perempuan,
        hari=dd - 40 if perempuan else dd,
        bulan=int(nik[8:10]),
        tahun2=int(nik[10:12]),
        serial=nik[12:],
    )


def nik_consistency_errors(
    nik: str, tanggal_lahir: datetime.date | None, jenis_kelamin: str | None
) -> dict[str, str]:
    """Field -> message for each way the NIK disagrees with the birth date or sex."""
    if not _SIXTEEN_DIGITS.match(nik or ""):
        return {}
    parts = parse_nik(nik)
    errors: dict[str, str] = {}
    if tanggal_lahir is not None and (
        parts.hari != tanggal_lahir.day
        or parts.bulan != tanggal_lahir.month
        or parts.tahun2 != tanggal_lahir.year % 100
    ):
        errors["tanggal_lahir"] = _(
            "Tanggal lahir %(tgl)s tidak cocok dengan NIK (digit 7–12 menunjukkan "
            "%(dd)02d-%(mm)02d-%(yy)02d)."
        ) % {
            "tgl": tanggal_lahir.strftime("%d/%m/%Y"),
            "dd": parts.hari,
            "mm": parts.bulan,
            "yy": parts.tahun2,
        }
    if jenis_kelamin in ("L", "P") and parts.perempuan != (jenis_kelamin == "P"):
        errors["jenis_kelamin"] = (
            _("NIK menunjukkan perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin diisi laki-laki.")
            if parts.perempuan
            else _(
                "NIK menunjukkan laki-laki, tetapi jenis kelamin diisi perempuan "
                "(untuk perempuan, tanggal pada NIK ditambah 40)."
            )
        )
    return errors


def person_errors(
    nik: str, tanggal_lahir: datetime.date | None, jenis_kelamin: str | None, today: datetime.date
) -> dict[str, str]:
    """Every rule tying a person's NIK, birth date and sex together (model, forms and imports)."""
    if tanggal_lahir is not None and tanggal_lahir > today:
        return {"tanggal_lahir": _("Tanggal lahir tidak boleh di masa depan.")}
    if tanggal_lahir is not None and tanggal_lahir.year < 1900:
        return {"tanggal_lahir": _("Tanggal lahir sebelum tahun 1900 tidak mungkin.")}
    return nik_consistency_errors(nik, tanggal_lahir, jenis_kelamin)


def make_nik(kode_wilayah: str, tanggal_lahir: datetime.date, jenis_kelamin: str, serial: int) -> str:
    """Build a NIK consistent with birth date and sex (demo data and tests)."""
    day = tanggal_lahir.day + (40 if jenis_kelamin == "P" else 0)
    return f"{kode_wilayah}{day:02d}{tanggal_lahir:%m}{tanggal_lahir:%y}{serial:04d}"
