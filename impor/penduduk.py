"""Importing people files: one row per person, households grouped by No. KK (rows of one KK
must be adjacent). Checked with the registry's own rules (pmks.identitas, pmks.services),
all or nothing by default, in two streaming passes so memory does not grow with the file:

1. validate every row and household, looking NIK/KK up in the database in batches;
2. (if allowed) write households and people with ``bulk_create`` plus their history rows.
"""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from impor import sel
from impor.baca import count_xlsx_rows, header_of, rows_of
from impor.galat import BarisSet, DaftarGalat, Galat
from impor.salin import create_with_history
from inti.scoping import scope_of
from inti.spreadsheet import neutralise_formula
from pmks import choices
from pmks.identitas import normalise_nomor, person_errors
from pmks.models import RT_RW, AnggotaKeluarga, Keluarga
from pmks.services import ANGGOTA_FIELDS, KELUARGA_FIELDS, anggota_set_errors
from wilayah.models import Wilayah

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
MODE_SEMUA, MODE_SEBAGIAN = "semua", "sebagian"
DUP_TOLAK, DUP_LEWATI, DUP_PERBARUI = "tolak", "lewati", "perbarui"


@dataclass
class Ringkasan:
    baris: int = 0
    keluarga: int = 0
    keluarga_dilewati: int = 0
    galat: DaftarGalat = field(default_factory=DaftarGalat)  # in row order; spills to disk
    baris_ditolak: BarisSet = field(default_factory=BarisSet)
    keluarga_baru: int = 0
    anggota_baru: int = 0
    keluarga_diperbarui: int = 0
    anggota_diperbarui: int = 0

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)


@dataclass
class Orang:
    baris: int
    data: dict[str, Any]


@dataclass
class Rumah:
    no_kk: str
    baris: int
    data: dict[str, Any]
    orang: list[Orang]
    existing_pk: int | None = None  # set when an existing household is updated (DUP_PERBARUI)
    existing_people: dict[str, int] = field(default_factory=dict)  # NIK -> pk of people updated


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


def check_columns(path: Path) -> None:
    from django.core.exceptions import ValidationError

    header = header_of(path)
    missing = [c for c in KOLOM_WAJIB if c not in header]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(k)s. Unduh templat untuk susunan kolom yang benar.")
            % {"k": ", ".join(missing)}
        )


def _nomor16(label: str):
    return lambda v: sel.nomor16(v, label=label)


# (column, cell parser, household or person, field): built once, not per row.
_HOUSE, _PERSON = 0, 1
COLUMN_PARSERS: list[tuple[str, Any, int, str]] = [
    ("no_kk", _nomor16("No. KK"), _HOUSE, "no_kk"),
    ("kode_kelurahan", sel.teks, _HOUSE, "kelurahan_id"),
    ("alamat", sel.teks, _HOUSE, "alamat"),
    ("rt", lambda v: _rt_rw(sel.teks(v)), _HOUSE, "rt"),
    ("rw", lambda v: _rt_rw(sel.teks(v)), _HOUSE, "rw"),
    ("nik", _nomor16("NIK"), _PERSON, "nik"),
    ("nama", sel.teks, _PERSON, "nama"),
    ("jenis_kelamin", sel.jenis_kelamin, _PERSON, "jenis_kelamin"),
    ("tempat_lahir", sel.teks, _PERSON, "tempat_lahir"),
    ("tanggal_lahir", sel.tanggal, _PERSON, "tanggal_lahir"),
    ("hubungan", sel.Pilihan(choices.Hubungan.choices), _PERSON, "hubungan"),
    ("status_perkawinan", sel.Pilihan(choices.StatusPerkawinan.choices), _PERSON, "status_perkawinan"),
    ("pendidikan", sel.Pilihan(choices.Pendidikan.choices, required=False), _PERSON, "pendidikan"),
    ("pekerjaan", lambda v: sel.teks(v, required=False), _PERSON, "pekerjaan"),
    (
        "disabilitas",
        sel.Pilihan(choices.Disabilitas.choices, required=False, default="tidak"),
        _PERSON,
        "disabilitas",
    ),
    *[(col, sel.Pilihan(options, required=False), _HOUSE, col) for col, options in HOUSING_CHOICES.items()],
    ("luas_lantai", lambda v: _number(v), _HOUSE, "luas_lantai"),
    ("penghasilan_bulanan", lambda v: _number(v, rupiah=True), _HOUSE, "penghasilan_bulanan"),
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
        for model_field in [model._meta.get_field(key)]
        if model_field.validators
    ]
    for side, model in ((_HOUSE, Keluarga), (_PERSON, AnggotaKeluarga))
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
    parsers, fixed = [], ({}, {})
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


def _parse(number: int, raw: dict[str, Any], errors: list[Galat], plan: Rencana) -> tuple[dict, dict] | None:
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
    for side in (_HOUSE, _PERSON):
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


@functools.lru_cache(maxsize=4096)  # a file has a few hundred distinct RT/RW values
def _rt_rw(text: str) -> str:
    try:
        RT_RW(text)
    except ValidationError as exc:
        raise sel.SelGalat(_("isi dengan angka, mis. 003")) from exc
    return text.zfill(3)


def _number(value: Any, *, rupiah: bool = False) -> Any:
    """Rupiah as whole numbers ("1.500.000" or 1500000); floor area as a decimal ("24,5")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        text = str(int(value)) if rupiah else str(value)
    else:
        text = sel.teks(value).replace("Rp", "").replace(" ", "")
        text = text.replace(".", "").replace(",", "") if rupiah else text.replace(",", ".")
    try:
        number = int(text) if rupiah else Decimal(text)
        if not rupiah:
            if not number.is_finite():
                raise InvalidOperation
            number = number.quantize(Decimal("0.1"))
    except (ValueError, InvalidOperation) as exc:
        raise sel.SelGalat(_("bukan angka (%(v)s)") % {"v": value}) from exc
    if number < (0 if rupiah else 1):
        raise sel.SelGalat(_("angka tidak masuk akal (%(v)s)") % {"v": value})
    return number


def _rules_version() -> str:
    """A fingerprint of the code the cached parse depends on (reader, header names, cell and
    NIK rules, choices, field lengths): after a deploy that changes any of it, a file checked
    before is parsed again rather than imported under the old rules."""
    from impor import baca, sel, xlsx_cepat
    from pmks import identitas, models

    digest = hashlib.sha256()
    for module in (sys.modules[__name__], baca, sel, xlsx_cepat, identitas, choices, models):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


URAI_VERSI = _rules_version()
_AKHIR = "akhir"  # the cache's last line: written only when the whole file was parsed
ParsedRow = tuple[int, "tuple[dict, dict] | None", list[tuple[str, str]], str]
_KEYS = [[key for _column, _parser, side, key in COLUMN_PARSERS if side == s] for s in (_HOUSE, _PERSON)]
_GALAT = "galat"


def _from_text(model: type, key: str) -> Any:
    """How a cached value comes back from its text: dates, decimals and numbers are typed;
    an empty text in a nullable field is NULL; any other text is itself."""
    model_field = model._meta.get_field(key)
    kind = model_field.get_internal_type()
    typed = {"DateField": datetime.date.fromisoformat, "DecimalField": Decimal}.get(kind)
    if typed is None and kind.endswith("IntegerField"):
        typed = int
    if typed is None:
        return None
    return lambda text: typed(text) if text else None


_CONVERTERS = [
    {key: conv for key in keys if (conv := _from_text(model, key)) is not None}
    for keys, model in zip(_KEYS, (Keluarga, AnggotaKeluarga), strict=True)
]


def parsed_rows(path: Path) -> Iterator[ParsedRow]:
    """(row number, (household, person) or None, the row's errors as (column, message), its
    No. KK as written) for every data row.

    The check step parses the cells and keeps the result in a CSV file next to the upload
    (uploads have server-made names, so it belongs to this job alone); the import step reads it
    back instead of parsing every cell again. The cells' rules depend only on the file, the date
    and the rules' version, all three checked; the database checks are always made again.
    A line is [row, "", household values..., person values...] in _KEYS order, or
    [row, "galat", No. KK, column, message, column, message, ...]: the csv module reads and
    writes it in C."""
    today = timezone.localdate()
    cache = path.with_name(path.name + ".urai.csv")
    house_keys, person_keys = _KEYS
    header = ["versi", str(URAI_VERSI), today.isoformat(), *house_keys, "|", *person_keys]
    if cache.exists() and cache.stat().st_mtime >= path.stat().st_mtime:
        with cache.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            if next(reader, None) == header:
                yield from _read_cache(reader)
                return
    house_values, person_values = itemgetter(*house_keys), itemgetter(*person_keys)
    count = 0
    # A name of its own (two parses of one upload never share a half-written file); renamed
    # into place only when complete, after an fsync, so a crash leaves no cache to trust.
    out = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=cache.parent, prefix=cache.name, suffix=".tmp", delete=False
    )
    partial = Path(out.name)
    try:
        with out:
            writer = csv.writer(out)
            writer.writerow(header)
            plan = None
            for number, raw in rows_of(path):
                if plan is None:
                    plan = rencana(raw, today)
                errors: list[Galat] = []
                parsed = _parse(number, raw, errors, plan)
                pairs = [(g.kolom, g.pesan) for g in errors]
                if parsed is None:
                    kk = raw.get("no_kk")
                    kk = normalise_nomor(kk) if isinstance(kk, str) else ""
                    writer.writerow([number, _GALAT, kk, *(text for pair in pairs for text in pair)])
                else:
                    kk = ""
                    writer.writerow([number, "", *house_values(parsed[0]), *person_values(parsed[1])])
                count += 1
                yield number, parsed, pairs, kk
            writer.writerow([_AKHIR, count])
            out.flush()
            os.fsync(out.fileno())
        partial.replace(cache)
    finally:
        partial.unlink(missing_ok=True)  # a parse that stopped half-way (error, abandoned)


def drop_parse_cache(path: Path) -> None:
    """The cached parse holds personal data: gone once the import is over."""
    for leftover in path.parent.glob(path.name + ".urai.csv*"):
        leftover.unlink(missing_ok=True)


def _read_cache(reader: Iterator[list[str]]) -> Iterator[ParsedRow]:
    house_keys, person_keys = _KEYS
    split = 2 + len(house_keys)
    house_typed, person_typed = _CONVERTERS
    count = 0
    for row in reader:
        if row[0] == _AKHIR:
            if int(row[1]) != count:
                break
            return
        count += 1
        number = int(row[0])
        if row[1] == _GALAT:
            yield number, None, list(zip(row[3::2], row[4::2], strict=True)), row[2]
            continue
        house = dict(zip(house_keys, row[2:split], strict=True))
        person = dict(zip(person_keys, row[split:], strict=True))
        for values, typed in ((house, house_typed), (person, person_typed)):
            for key, convert in typed.items():
                values[key] = convert(values[key])
        yield number, (house, person), [], ""
    # No end line (or a wrong count): not a file this module finished writing. The import's
    # transaction rolls back; the job says the file must be checked again.
    raise RuntimeError("the cached parse of this upload is incomplete")


def households(path: Path, summary: Ringkasan) -> Iterator[Rumah]:
    """Stream households (adjacent rows with the same No. KK), recording row errors."""
    current: Rumah | None = None
    seen_kk: set[str] = set()
    bad_kk: set[str] = set()  # a household with one bad row is rejected whole, never half-saved

    def finished(rumah: Rumah) -> Rumah | None:
        if rumah.no_kk not in bad_kk:
            return rumah
        for o in rumah.orang:
            summary.galat.append(
                Galat(
                    o.baris,
                    "no_kk",
                    _("KK %(kk)s punya baris yang salah; seluruh keluarga ditolak") % {"kk": rumah.no_kk},
                )
            )
            summary.baris_ditolak.add(o.baris)
        return None

    for number, parsed, errors, raw_kk in parsed_rows(path):
        summary.baris += 1
        if parsed is None:
            summary.galat.extend(Galat(number, kolom, pesan) for kolom, pesan in errors)
            summary.baris_ditolak.add(number)
            bad_kk.add(raw_kk)
            continue
        house, person = parsed
        kk = house["no_kk"]
        if current is None or current.no_kk != kk:
            if current is not None and finished(current):
                yield current
            if kk in seen_kk:
                summary.galat.append(
                    Galat(
                        number,
                        "no_kk",
                        _("baris KK %(kk)s harus berurutan dengan baris KK yang sama di atasnya")
                        % {"kk": kk},
                    )
                )
                summary.baris_ditolak.add(number)
                current = None
                continue
            seen_kk.add(kk)
            current = Rumah(kk, number, house, [])
        current.orang.append(Orang(number, person))
    if current is not None and finished(current):
        yield current


def _batched(items: Iterator[Rumah], size: int) -> Iterator[list[Rumah]]:
    """Households in batches of about ``size`` people."""
    batch: list[Rumah] = []
    people = 0
    for item in items:
        batch.append(item)
        people += len(item.orang)
        if people >= size:
            yield batch
            batch, people = [], 0
    if batch:
        yield batch


class Validator:
    """Household rules, scope, duplicates in the file and in the database, per batch."""

    def __init__(self, user: Any, duplikat: str) -> None:
        self.user = user
        self.scope = scope_of(user)
        self.duplikat = duplikat
        self.niks_in_file: dict[str, int] = {}
        self.nik_home: dict[str, tuple[str, int]] = {}
        self.kk_pk: dict[str, int] = {}
        self.kk_members: dict[str, list[dict[str, str]]] = {}
        self.kelurahan = set(
            Wilayah.objects.filter(tingkat__in=["kelurahan", "desa"]).values_list("kode", flat=True)
        )

    def check(self, batch: list[Rumah], summary: Ringkasan) -> list[Rumah]:
        """The households of ``batch`` that may be written; errors and skips go to ``summary``."""
        kks = [r.no_kk for r in batch]
        niks = [o.data["nik"] for r in batch for o in r.orang]
        existing_kk = dict(
            Keluarga.objects.filter(no_kk__in_array=kks).order_by().values_list("no_kk", "kelurahan_id")
        )
        people = (
            AnggotaKeluarga.objects.filter(nik__in_array=niks)
            .order_by()
            .values_list("nik", "keluarga__kelurahan_id", "keluarga__no_kk", "pk")
        )
        existing_nik = {nik: kode for nik, kode, _kk, _pk in people}
        self.nik_home = {nik: (kk, pk) for nik, _kode, kk, pk in people}
        if self.duplikat == DUP_PERBARUI and existing_kk:
            self.kk_pk = dict(Keluarga.objects.filter(no_kk__in=list(existing_kk)).values_list("no_kk", "pk"))
            self.kk_members = {}
            for kk, nik, hubungan in AnggotaKeluarga.objects.filter(
                keluarga__no_kk__in=list(existing_kk)
            ).values_list("keluarga__no_kk", "nik", "hubungan"):
                self.kk_members.setdefault(kk, []).append({"nik": nik, "hubungan": hubungan})
        ok = []
        for rumah in batch:
            if self.duplikat == DUP_PERBARUI:
                errors = self._update_errors(rumah, existing_kk, existing_nik)
            else:
                errors = self._household_errors(rumah, existing_kk, existing_nik)
            if errors is None:  # skipped as a duplicate
                summary.keluarga_dilewati += 1
                continue
            if errors:
                summary.galat.extend(errors)
                summary.baris_ditolak.update(o.baris for o in rumah.orang)
                continue
            ok.append(rumah)
        return ok

    def _update_errors(self, rumah: Rumah, existing_kk: dict, existing_nik: dict) -> list[Galat]:
        """DUP_PERBARUI: existing households and people of the user's area are updated; the
        household rules hold for the merged set (people not in the file stay as they are)."""
        errors = self._household_errors(rumah, {}, {}, check_set=False) or []
        kk = rumah.no_kk
        if kk in existing_kk:
            if not self.scope.allows(existing_kk[kk]):
                errors.append(
                    Galat(
                        rumah.baris,
                        "no_kk",
                        _("No. KK %(kk)s sudah terdaftar %(w)s")
                        % {"kk": kk, "w": self._where(existing_kk[kk])},
                    )
                )
            rumah.existing_pk = self.kk_pk.get(kk)
        for o in rumah.orang:
            nik = o.data["nik"]
            if nik not in existing_nik:
                continue
            home_kk, pk = self.nik_home[nik]
            if not self.scope.allows(existing_nik[nik]):
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s sudah terdaftar %(w)s")
                        % {"n": nik, "w": self._where(existing_nik[nik])},
                    )
                )
            elif home_kk != kk:
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s terdaftar pada KK %(kk)s; pindah KK diubah lewat halaman keluarga")
                        % {"n": nik, "kk": home_kk},
                    )
                )
            else:
                rumah.existing_people[nik] = pk
        in_file = {o.data["nik"] for o in rumah.orang}
        kept = (
            [m for m in self.kk_members.get(kk, []) if m["nik"] not in in_file] if rumah.existing_pk else []
        )
        for message in anggota_set_errors([o.data for o in rumah.orang] + kept):
            errors.append(Galat(rumah.baris, "hubungan", f"KK {kk}: {message}"))
        return errors

    def _where(self, kode: str) -> str:
        return (
            _("di wilayah Anda") if self.scope.allows(kode) else _("di kecamatan lain, hubungi Dinas Sosial")
        )

    def _household_errors(
        self, rumah: Rumah, existing_kk: dict, existing_nik: dict, *, check_set: bool = True
    ) -> list[Galat] | None:
        errors: list[Galat] = []
        kode = rumah.data["kelurahan_id"]
        if kode not in self.kelurahan:
            errors.append(
                Galat(rumah.baris, "kode_kelurahan", _("kode kelurahan %(k)s tidak dikenal") % {"k": kode})
            )
        elif not self.scope.allows(kode):
            errors.append(
                Galat(
                    rumah.baris,
                    "kode_kelurahan",
                    _("kelurahan %(k)s di luar wilayah tugas Anda") % {"k": kode},
                )
            )
        duplicate = rumah.no_kk in existing_kk or any(o.data["nik"] in existing_nik for o in rumah.orang)
        if duplicate and self.duplikat == DUP_LEWATI and not errors:
            return None
        if rumah.no_kk in existing_kk:
            errors.append(
                Galat(
                    rumah.baris,
                    "no_kk",
                    _("No. KK %(kk)s sudah terdaftar %(w)s")
                    % {"kk": rumah.no_kk, "w": self._where(existing_kk[rumah.no_kk])},
                )
            )
        for o in rumah.orang:
            nik = o.data["nik"]
            if nik in existing_nik:
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s sudah terdaftar %(w)s")
                        % {"n": nik, "w": self._where(existing_nik[nik])},
                    )
                )
            if nik in self.niks_in_file:
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s sudah ada di baris %(b)s berkas ini")
                        % {"n": nik, "b": self.niks_in_file[nik]},
                    )
                )
            else:
                self.niks_in_file[nik] = o.baris
        if check_set:
            for message in anggota_set_errors([o.data for o in rumah.orang]):
                errors.append(Galat(rumah.baris, "hubungan", f"KK {rumah.no_kk}: {message}"))
        return errors


def validate(*, user: Any, path: Path, duplikat: str, progress: Any = None) -> Ringkasan:
    """Pass 1: check the whole file, write nothing. ``progress(rows_done)`` after each batch."""
    check_columns(path)
    summary = Ringkasan()
    validator = Validator(user, duplikat)
    for batch in _batched(households(path, summary), LOOKUP_BATCH):
        summary.keluarga += len(batch)
        validator.check(batch, summary)
        if progress:
            progress(summary.baris)
    if summary.baris == 0:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Berkas tidak berisi baris data."))
    return summary


def write(*, user: Any, path: Path, mode: str, duplikat: str, progress: Any = None) -> Ringkasan:
    """Pass 2: validate again (the database may have changed) and write the good households.

    All or nothing (``MODE_SEMUA``): one bad row and nothing is written. ``MODE_SEBAGIAN``:
    households without errors are written; the others are reported."""
    check_columns(path)
    summary = Ringkasan()
    validator = Validator(user, duplikat)
    with transaction.atomic():
        for batch in _batched(households(path, summary), LOOKUP_BATCH):
            summary.keluarga += len(batch)
            good = validator.check(batch, summary)
            if progress:
                progress(summary.baris)
            if summary.ada_galat and mode == MODE_SEMUA:
                continue  # keep validating to report every bad row; nothing will be kept
            _write(user, good, summary)
        if summary.ada_galat and mode == MODE_SEMUA:
            transaction.set_rollback(True)
            summary.keluarga_baru = summary.anggota_baru = 0
            summary.keluarga_diperbarui = summary.anggota_diperbarui = 0
    return summary


# Derived from the registry's own field lists, so a new household or person field is not missed.
HOUSEHOLD_UPDATE_FIELDS = [
    "kelurahan_id" if f == "kelurahan" else f for f in KELUARGA_FIELDS if f != "no_kk"
] + ["diubah_pada"]
PERSON_UPDATE_FIELDS = [f for f in ANGGOTA_FIELDS if f != "nik"] + ["diubah_pada"]


def _write(user: Any, households_: list[Rumah], summary: Ringkasan) -> None:
    updates = [r for r in households_ if r.existing_pk]
    if updates:
        _update(user, updates, summary)
    households_ = [r for r in households_ if not r.existing_pk]
    if not households_:
        return
    now = timezone.now()
    stamps = {"dibuat_pada": now, "diubah_pada": now}
    ids = create_with_history(
        Keluarga,
        [{**r.data, **stamps, "dibuat_oleh_id": user.pk} for r in households_],
        user=user,
        now=now,
    )
    if None in ids:  # a backend that does not return new keys: look them up
        by_kk = dict(
            Keluarga.objects.filter(no_kk__in=[r.no_kk for r in households_]).values_list("no_kk", "pk")
        )
        ids = [by_kk[r.no_kk] for r in households_]
    people = [
        {**o.data, **stamps, "keluarga_id": pk}
        for r, pk in zip(households_, ids, strict=True)
        for o in r.orang
    ]
    create_with_history(AnggotaKeluarga, people, user=user, now=now)
    summary.keluarga_baru += len(households_)
    summary.anggota_baru += len(people)


def _update(user: Any, households_: list[Rumah], summary: Ringkasan) -> None:
    """Update existing households and people in place (history rows written), add new people.
    The stored rows are loaded first: history records copy every field of the objects."""
    now = timezone.now()
    stored = Keluarga.objects.in_bulk([r.existing_pk for r in households_])
    keluarga = []
    for r in households_:
        k = stored[r.existing_pk]
        for key, value in r.data.items():
            setattr(k, key, value)
        k.diubah_pada = now
        keluarga.append(k)
    bulk_update_with_history(
        keluarga, Keluarga, HOUSEHOLD_UPDATE_FIELDS, batch_size=WRITE_BATCH, default_user=user
    )
    people = AnggotaKeluarga.objects.in_bulk([pk for r in households_ for pk in r.existing_people.values()])
    changed, added = [], []
    for r in households_:
        for o in r.orang:
            pk = r.existing_people.get(o.data["nik"])
            if pk:
                person = people[pk]
                for key, value in o.data.items():
                    setattr(person, key, value)
                person.diubah_pada = now
                changed.append(person)
            else:
                added.append(
                    AnggotaKeluarga(keluarga_id=r.existing_pk, dibuat_pada=now, diubah_pada=now, **o.data)
                )
    # Head changes: clear the old head mark first, the unique "one head" index is checked per row.
    heads_now = {p.keluarga_id for p in changed + added if p.hubungan == choices.Hubungan.KEPALA}
    AnggotaKeluarga.objects.filter(keluarga_id__in=heads_now, hubungan=choices.Hubungan.KEPALA).exclude(
        pk__in=[p.pk for p in changed if p.hubungan == choices.Hubungan.KEPALA]
    ).update(hubungan=choices.Hubungan.LAINNYA)
    if changed:
        bulk_update_with_history(
            changed, AnggotaKeluarga, PERSON_UPDATE_FIELDS, batch_size=WRITE_BATCH, default_user=user
        )
    if added:
        bulk_create_with_history(added, AnggotaKeluarga, batch_size=WRITE_BATCH, default_user=user)
    summary.keluarga_diperbarui += len(keluarga)
    summary.anggota_diperbarui += len(changed)
    summary.anggota_baru += len(added)


def rejected_rows_csv(path: Path, summary: Ringkasan, target: Any) -> None:
    """The rejected rows as a CSV to fix and upload again, with a 'galat' column first."""
    if not summary.baris_ditolak:
        return
    errors = iter(summary.galat)  # sorted by row, like the rows: merged, not held in memory
    pending = next(errors, None)
    writer = csv.writer(target)
    header_written = False
    for number, raw in rows_of(path):
        if number not in summary.baris_ditolak:
            continue
        messages = []
        while pending is not None and pending.baris <= number:
            if pending.baris == number:
                messages.append(f"{pending.kolom}: {pending.pesan}")
            pending = next(errors, None)
        if not header_written:
            writer.writerow(["galat", "baris", *raw.keys()])
            header_written = True
        writer.writerow(
            [
                "; ".join(messages),
                number,
                *[
                    ""
                    if v is None
                    else (v.isoformat() if isinstance(v, datetime.date) else neutralise_formula(v))
                    for v in raw.values()
                ],
            ]
        )


def template_rows() -> Iterable[list[str]]:
    """The empty template: headers and one example row (a valid NIK for the example date/sex)."""
    yield KOLOM_WAJIB + KOLOM_OPSIONAL
    yield [
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
