"""The people file's columns, and how each cell becomes a value (or a message for the row).

One row per person; the household columns repeat on every row of the same No. KK. The cell
parsers (impor.sel) and the registry's own rules (pmks.identitas, the models' validators) decide;
the parsers of a file are worked out once (``rencana``), not once per row.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _

from impor import sel
from impor.baca import require_columns
from impor.galat import Galat
from pmks import choices
from pmks.identitas import person_errors
from pmks.models import RT_RW, AnggotaKeluarga, Keluarga
from pmks.services import KELUARGA_FIELDS

KOLOM_WAJIB = [
    "no_kk",
    "kode_kelurahan",
    "alamat",
    "rt",
    "rw",
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan",
    "status_perkawinan",
]
KOLOM_OPSIONAL = [
    "pendidikan",
    "pekerjaan",
    "disabilitas",
    *KELUARGA_FIELDS[KELUARGA_FIELDS.index("rw") + 1 :],
]
HOUSING_CHOICES = {
    "jenis_lantai": choices.JenisLantai.choices,
    "jenis_dinding": choices.JenisDinding.choices,
    "jenis_atap": choices.JenisAtap.choices,
    "sumber_air": choices.SumberAir.choices,
    "sanitasi": choices.Sanitasi.choices,
    "listrik": choices.Listrik.choices,
    "kepemilikan_rumah": choices.KepemilikanRumah.choices,
}
LOOKUP_BATCH = 10_000  # people per round of database look-ups and writes
WRITE_BATCH = 1000


def check_columns(path: Path) -> None:
    require_columns(path, KOLOM_WAJIB)


@functools.lru_cache(maxsize=4096)  # a file has a few hundred distinct RT/RW values
def _rt_rw(text: str) -> str:
    try:
        RT_RW(text)
    except ValidationError as exc:
        raise sel.SelGalat(_("isi dengan angka, mis. 003")) from exc
    return text.zfill(3)


def _nomor16(label: str):
    return lambda v: sel.nomor16(v, label=label)


# (column, cell parser, household or person, field): built once, not per row.
HOUSE, PERSON = 0, 1
COLUMN_PARSERS: list[tuple[str, Any, int, str]] = [
    ("no_kk", _nomor16("No. KK"), HOUSE, "no_kk"),
    ("kode_kelurahan", sel.teks, HOUSE, "kelurahan_id"),
    ("alamat", sel.teks, HOUSE, "alamat"),
    ("rt", lambda v: _rt_rw(sel.teks(v)), HOUSE, "rt"),
    ("rw", lambda v: _rt_rw(sel.teks(v)), HOUSE, "rw"),
    ("nik", _nomor16("NIK"), PERSON, "nik"),
    ("nama", sel.teks, PERSON, "nama"),
    ("jenis_kelamin", sel.jenis_kelamin, PERSON, "jenis_kelamin"),
    ("tempat_lahir", sel.teks, PERSON, "tempat_lahir"),
    ("tanggal_lahir", sel.tanggal, PERSON, "tanggal_lahir"),
    ("hubungan", sel.Pilihan(choices.Hubungan.choices), PERSON, "hubungan"),
    ("status_perkawinan", sel.Pilihan(choices.StatusPerkawinan.choices), PERSON, "status_perkawinan"),
    ("pendidikan", sel.Pilihan(choices.Pendidikan.choices, required=False), PERSON, "pendidikan"),
    ("pekerjaan", lambda v: sel.teks(v, required=False), PERSON, "pekerjaan"),
    (
        "disabilitas",
        sel.Pilihan(choices.Disabilitas.choices, required=False, default="tidak"),
        PERSON,
        "disabilitas",
    ),
    *[(col, sel.Pilihan(options, required=False), HOUSE, col) for col, options in HOUSING_CHOICES.items()],
    ("luas_lantai", lambda v: _number(v), HOUSE, "luas_lantai"),
    ("penghasilan_bulanan", lambda v: _number(v, rupiah=True), HOUSE, "penghasilan_bulanan"),
]
# The model fields' own validators (lengths, integer ranges: the form's rules) that a parsed
# value still has to pass. The cell parsers of these fields already ran them (NIK/KK rules,
# RT/RW digits) or leave only values that pass (a code from the choice list, L/P).
_CHECKED_BY_PARSER = {
    "no_kk",
    "nik",
    "rt",
    "rw",
    "jenis_kelamin",
    "hubungan",
    "status_perkawinan",
    "pendidikan",
    "disabilitas",
    *HOUSING_CHOICES,
}
_MODEL_VALIDATORS: list[list[tuple[str, list]]] = [
    [
        (key, model_field.validators)
        for _column, _parser, target, key in COLUMN_PARSERS
        if target == side and key not in _CHECKED_BY_PARSER
        for model_field in [cast(Field, model._meta.get_field(key))]
        if model_field.validators
    ]
    for side, model in ((HOUSE, Keluarga), (PERSON, AnggotaKeluarga))
]


@dataclass
class Rencana:
    """How a file's rows are parsed: the parsers of its columns, and the value an optional
    column the file does not have gives every row (worked out once, not once per row)."""

    parsers: list[tuple[str, Any, int, str]]
    tetap: tuple[dict, dict]
    hari_ini: datetime.date  # for "born in the future"; once per file, not once per row


def rencana(columns: Iterable[str], today: datetime.date) -> Rencana:
    present = set(columns)
    parsers: list[tuple[str, Any, int, str]] = []
    fixed: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    for entry in COLUMN_PARSERS:
        column, parser, side, key = entry
        if column not in present:
            try:
                fixed[side][key] = parser(None)
                continue
            except sel.SelGalat:  # a required column: every row says so
                pass
        parsers.append(entry)
    return Rencana(parsers, fixed, today)


def parse_row(
    number: int, raw: dict[str, Any], errors: list[Galat], plan: Rencana
) -> tuple[dict, dict] | None:
    """Row -> (household fields, person fields), or None with the row's errors appended."""
    parsed: tuple[dict, dict] = ({**plan.tetap[0]}, {**plan.tetap[1]})
    bad = False
    get = raw.get
    for column, parser, side, key in plan.parsers:
        try:
            parsed[side][key] = parser(get(column))
        except sel.SelGalat as exc:
            errors.append(Galat(number, column, str(exc)))
            bad = True
    for side in (HOUSE, PERSON):
        for key, validators in _MODEL_VALIDATORS[side]:
            value = parsed[side].get(key)
            if value is None or value == "":
                continue
            try:
                for validator in validators:
                    validator(value)
            except ValidationError as exc:
                errors.append(Galat(number, key, " ".join(exc.messages)))
                bad = True
    if bad:
        return None
    house, person = parsed
    for key, message in person_errors(
        person["nik"], person["tanggal_lahir"], person["jenis_kelamin"], plan.hari_ini
    ).items():
        errors.append(Galat(number, key, message))
        bad = True
    return None if bad else (house, person)


MAKS_RUPIAH = 1_000_000_000  # a monthly income or an aid value beyond this is a typing error
_RUPIAH = re.compile(
    r"(?P<bulat>\d{1,3}(?:(?P<pemisah>[.,])\d{3})(?:(?P=pemisah)\d{3})*|\d+)(?:[.,](?P<sen>\d{1,2}))?"
)


def _number(value: Any, *, rupiah: bool = False) -> Any:
    """Rupiah as whole numbers ("1.500.000", "Rp 1.500.000,00", "1,500,000.00" or 1500000);
    floor area as a decimal ("24,5")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if rupiah:
        return _rupiah(value)
    text = (
        str(value) if isinstance(value, (int, float)) else sel.teks(value).replace(" ", "").replace(",", ".")
    )
    try:
        area = Decimal(text)
        if not area.is_finite():
            raise InvalidOperation
    except (ValueError, InvalidOperation) as exc:
        raise sel.SelGalat(_("bukan angka (%(v)s)") % {"v": value}) from exc
    if area < 1:
        raise sel.SelGalat(_("angka tidak masuk akal (%(v)s)") % {"v": value})
    return area.quantize(Decimal("0.1"))


def _rupiah(value: Any) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            raise sel.SelGalat(_("rupiah harus bilangan bulat (%(v)s)") % {"v": value})
        number = int(value)
    else:
        text = sel.teks(value).replace(" ", "").replace("\xa0", "")
        text = re.sub(r"(?i)^rp\.?", "", text)
        match = _RUPIAH.fullmatch(text)
        if match is None:
            raise sel.SelGalat(_("bukan angka rupiah (%(v)s)") % {"v": value})
        if match["sen"] and int(match["sen"]):
            raise sel.SelGalat(_("rupiah harus bilangan bulat (%(v)s)") % {"v": value})
        number = int(re.sub(r"[.,]", "", match["bulat"]))
    if number < 0:
        raise sel.SelGalat(_("angka tidak masuk akal (%(v)s)") % {"v": value})
    if number > MAKS_RUPIAH:
        raise sel.SelGalat(_("angka terlalu besar (%(v)s); periksa jumlah digitnya") % {"v": value})
    return number


def rupiah(value: Any) -> int | None:
    """A rupiah amount ("1.500.000", "Rp 1.500.000" or 1500000), or None when empty."""
    return _number(value, rupiah=True)


# The template's example row: a valid NIK for the example date and sex.
CONTOH = [
    "3574041203100001",
    "35.74.04.1003",
    "Jl. Contoh No. 1",
    "001",
    "002",
    "3574045708800001",
    "Siti Contoh",
    "P",
    "Probolinggo",
    "17/08/1980",
    "kepala",
    "cerai_mati",
    "sd",
    "Buruh",
    "tidak",
    "tanah",
    "bambu",
    "seng",
    "24",
    "sumur_terlindung",
    "bersama",
    "pln_450",
    "milik_sendiri",
    "500000",
]
