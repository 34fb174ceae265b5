"""Extracts of aid decided elsewhere (PKH, Sembako/BPNT, PBI-JK, PIP, Baznas, CSR) into the
external ledger (bantuan.PenerimaEksternal), through the same two steps as the people import.

One file may hold several programmes and periods: the rows of one programme and period are one
extract (one source, one extract date). Against what the ledger already lists for that
programme and period **in the importer's area**, each row comes in, is changed, or stays; the
rows the new extract no longer lists leave. So the same extract twice changes nothing, and a
newer one replaces the older with the difference reported; an older one than already imported
is refused. Rows match registered households by NIK, else by No. KK; the others are kept,
waiting for the TKSK to register the household (bantuan.luar links them then).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bantuan.choices import AsalProgram
from bantuan.models import EkstrakBantuan, PenerimaEksternal, ProgramBantuan
from impor import sel
from impor.baca import in_batches, require_columns, rows_of
from impor.galat import BarisSet, DaftarGalat, Galat
from impor.kolom import LOOKUP_BATCH, rupiah
from impor.models import ModeImpor
from impor.salin import create_rows
from inti.scoping import scope_of
from inti.services import area_text
from pmks.models import AnggotaKeluarga, Keluarga
from wilayah.selectors import kelurahan_codes

KOLOM_WAJIB = [
    "program",
    "nama",
    "kode_kelurahan",
    "periode_mulai",
    "periode_selesai",
    "sumber",
    "tanggal_ekstrak",
]
KOLOM_OPSIONAL = ["nik", "no_kk", "nilai", "komponen"]  # NIK or No. KK: at least one per row
CONTOH = [
    "pkh",
    "Siti Contoh",
    "35.74.04.1003",
    "01/01/2026",
    "31/03/2026",
    "SIKS-NG Kemensos",
    "05/04/2026",
    "3574045708800001",
    "3574041203100001",
    "750000",
    "anak sekolah SD",
]
NILAI = ("nik", "no_kk", "nama", "kelurahan_id", "komponen", "nilai_rupiah", "keluarga_id")
_KELURAHAN = NILAI.index("kelurahan_id")


@dataclass
class Kelompok:
    """One extract in the file: a programme and period, with what the ledger lists for it."""

    program: ProgramBantuan
    mulai: datetime.date
    selesai: datetime.date
    sumber: str
    tanggal: datetime.date
    baris_pertama: int
    # kunci -> (pk, fingerprint of its values, kelurahan) of the rows listed now, in the area
    lama: dict[str, tuple[int, int, str]]
    terakhir: dict[str, datetime.date]  # kelurahan -> the latest extract date imported for it
    di_luar: set[str]  # keys listed now outside the importer's area (to refuse, not to duplicate)
    dilihat: dict[str, int] = field(default_factory=dict)  # kunci -> its row in this file
    cakupan: set[str] = field(default_factory=set)  # the kelurahan its rows name
    ada_ditolak: bool = False
    baris: int = 0
    belum_terdaftar: int = 0
    masuk: int = 0
    diubah: int = 0
    tetap: int = 0
    keluar: int = 0
    ekstrak: EkstrakBantuan | None = None

    @property
    def sama(self) -> bool:
        return not (self.masuk or self.diubah or self.keluar)

    def as_json(self) -> dict[str, Any]:
        return {
            "program": self.program.nama,
            "kelurahan": len(self.cakupan),
            "periode": f"{self.mulai:%d/%m/%Y}–{self.selesai:%d/%m/%Y}",
            "sumber": self.sumber,
            "tanggal": f"{self.tanggal:%d/%m/%Y}",
            "baris": self.baris,
            "belum_terdaftar": self.belum_terdaftar,
            "masuk": self.masuk,
            "diubah": self.diubah,
            "tetap": self.tetap,
            "keluar": self.keluar,
            "sama": self.sama and not self.ada_ditolak,
            "ekstrak": self.ekstrak.pk if self.ekstrak else None,
        }


@dataclass
class HasilEkstrak:
    baris: int = 0
    galat: DaftarGalat = field(default_factory=DaftarGalat)
    baris_ditolak: BarisSet = field(default_factory=BarisSet)
    kelompok: dict[tuple[int, datetime.date, datetime.date], Kelompok] = field(default_factory=dict)

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def ditulis(self) -> bool:
        return any(k.ekstrak is not None for k in self.kelompok.values())

    def as_json(self, shown: int) -> dict[str, Any]:
        groups = list(self.kelompok.values())
        return {
            "baris": self.baris,
            "baik": self.baris - len(self.baris_ditolak),
            "jumlah_galat": len(self.galat),
            "baris_ditolak": len(self.baris_ditolak),
            "galat": [
                {"baris": g.baris, "kolom": g.kolom, "pesan": g.pesan} for g in islice(self.galat, shown)
            ],
            "kelompok": [k.as_json() for k in groups],
            "belum_terdaftar": sum(k.belum_terdaftar for k in groups),
        }


@dataclass
class Baris:
    nomor: int
    kelompok: Kelompok
    kunci: str
    nilai: dict[str, Any]


class Pembaca:
    """Reads an extract file row by row into ledger values, grouping rows by programme and
    period and finding each group's current rows in the importer's area."""

    def __init__(self, user: Any, hasil: HasilEkstrak) -> None:
        self.user = user
        self.scope = scope_of(user)
        self.hasil = hasil
        self.kelurahan = kelurahan_codes()
        self.programs: dict[str, ProgramBantuan] = {}
        for p in ProgramBantuan.objects.all():
            self.programs[p.kode.lower()] = p
            self.programs.setdefault(p.nama.lower(), p)
        self.today = timezone.localdate()
        self.refused: set[tuple[int, datetime.date, datetime.date]] = set()
        self.refused_unknown = False

    def _error(self, number: int, column: str, message: str) -> None:
        self.hasil.galat.append(Galat(number, column, message))
        self.hasil.baris_ditolak.add(number)

    def rows(self, path: Path) -> Iterator[Baris]:
        for number, raw in rows_of(path):
            self.hasil.baris += 1
            row = self._parse(number, raw)
            if row is not None:
                yield row

    def _parse(self, number: int, raw: dict[str, Any]) -> Baris | None:
        errors: list[tuple[str, str]] = []

        def cell(column: str, parse: Callable[[Any], Any]) -> Any:
            try:
                return parse(raw.get(column))
            except sel.SelGalat as exc:
                errors.append((column, str(exc)))
                return None

        kode_program = cell("program", sel.teks)
        nik = cell("nik", sel.nomor16_boleh_kosong("NIK"))
        no_kk = cell("no_kk", sel.nomor16_boleh_kosong("No. KK"))
        nama = cell("nama", sel.teks)
        kelurahan = cell("kode_kelurahan", sel.teks)
        mulai = cell("periode_mulai", sel.tanggal)
        selesai = cell("periode_selesai", sel.tanggal)
        sumber = cell("sumber", sel.teks)
        tanggal = cell("tanggal_ekstrak", sel.tanggal)
        nilai = cell("nilai", rupiah)
        komponen = cell("komponen", lambda v: sel.teks(v, required=False))
        program = self.programs.get(kode_program.lower()) if kode_program else None
        if kode_program and program is None:
            errors.append(("program", _("program '%(p)s' tidak dikenal") % {"p": kode_program}))
        elif program is not None and program.asal != AsalProgram.EKSTERNAL:
            message = _("%(p)s adalah program kota: penerimanya disetujui di aplikasi ini, bukan diimpor")
            errors.append(("program", message % {"p": program.nama}))
        if not errors and not nik and not no_kk:
            errors.append(("nik", _("isi NIK atau No. KK penerima")))
        if kelurahan and kelurahan not in self.kelurahan:
            errors.append(("kode_kelurahan", _("kode kelurahan %(k)s tidak dikenal") % {"k": kelurahan}))
        elif kelurahan and not self.scope.allows(kelurahan):
            errors.append(("kode_kelurahan", _("kelurahan %(k)s di luar wilayah Anda") % {"k": kelurahan}))
        if mulai and selesai and selesai < mulai:
            errors.append(("periode_selesai", _("periode selesai sebelum periode mulai")))
        if tanggal and tanggal > self.today:
            errors.append(("tanggal_ekstrak", _("tanggal ekstrak di masa depan")))
        for column, text, limit in (("nama", nama, 150), ("komponen", komponen, 60), ("sumber", sumber, 100)):
            if text and len(text) > limit:
                errors.append((column, _("lebih dari %(n)s karakter") % {"n": limit}))
        if errors:
            for column, message in errors:
                self._error(number, column, message)
            # A refused row may be a recipient still listed: nobody leaves its extract (or,
            # when its programme and period cannot be read, any extract of this file).
            if program is not None and mulai and selesai:
                self.refused.add((program.pk, mulai, selesai))
            else:
                self.refused_unknown = True
            return None
        assert program is not None and mulai and selesai and tanggal
        group = self._group(number, program, mulai, selesai, sumber, tanggal)
        latest = group.terakhir.get(kelurahan)
        if latest and tanggal < latest:
            message = _(
                "ekstrak %(p)s periode ini untuk kelurahan %(k)s bertanggal %(t)s, lebih lama dari yang "
                "sudah diimpor (%(l)s)"
            ) % {"p": program.nama, "k": kelurahan, "t": f"{tanggal:%d/%m/%Y}", "l": f"{latest:%d/%m/%Y}"}
            self._error(number, "tanggal_ekstrak", message)
            group.ada_ditolak = True
            return None
        if (sumber, tanggal) != (group.sumber, group.tanggal):
            self._error(
                number,
                "tanggal_ekstrak",
                _("sumber atau tanggal ekstrak berbeda dari baris %(n)s (program dan periode yang sama)")
                % {"n": group.baris_pertama},
            )
            group.ada_ditolak = True
            return None
        kunci = (nik or f"KK{no_kk}") + (f"|{komponen.lower()}" if komponen else "")
        earlier = group.dilihat.get(kunci)
        if earlier is not None and komponen:
            # A component may come twice for one recipient (a mother of two pupils): numbered
            # in file order, so the same extract again gives the same keys.
            repeat = 2
            while f"{kunci}#{repeat}" in group.dilihat:
                repeat += 1
            kunci = f"{kunci}#{repeat}"
        elif earlier is not None:
            self._error(number, "nik", _("penerima yang sama sudah ada di baris %(n)s") % {"n": earlier})
            group.ada_ditolak = True
            return None
        if kunci in group.di_luar:
            self._error(number, "nik", _("penerima ini sudah tercatat pada periode ini di luar wilayah Anda"))
            group.ada_ditolak = True
            return None
        group.dilihat[kunci] = number
        group.cakupan.add(kelurahan)
        values = {
            "nik": nik,
            "no_kk": no_kk,
            "nama": nama,
            "kelurahan_id": kelurahan,
            "komponen": komponen,
            "nilai_rupiah": nilai,
        }
        return Baris(number, group, kunci, values)

    def _group(
        self,
        number: int,
        program: ProgramBantuan,
        mulai: datetime.date,
        selesai: datetime.date,
        sumber: str,
        tanggal: datetime.date,
    ) -> Kelompok:
        key = (program.pk, mulai, selesai)
        group = self.hasil.kelompok.get(key)
        if group is not None:
            return group
        listed = PenerimaEksternal.objects.berlaku().filter(
            program=program, periode_mulai=mulai, periode_selesai=selesai
        )
        lama = {
            kunci: (pk, hash(tuple(rest)), sys.intern(rest[_KELURAHAN]))  # a few dozen codes, shared
            for pk, kunci, *rest in listed.for_user(self.user)
            .values_list("pk", "kunci", *NILAI)
            .iterator(chunk_size=10_000)
        }
        elsewhere: set[str] = set()
        if not self.scope.unrestricted:
            elsewhere = set(
                listed.exclude(pk__in=[v[0] for v in lama.values()]).values_list("kunci", flat=True)
            )
        terakhir: dict[str, datetime.date] = {}
        extracts = EkstrakBantuan.objects.filter(
            program=program, periode_mulai=mulai, periode_selesai=selesai
        )
        for imported, codes in extracts.values_list("tanggal_ekstrak", "cakupan"):
            for code in codes:
                terakhir[code] = max(imported, terakhir.get(code, imported))
        group = Kelompok(program, mulai, selesai, sumber, tanggal, number, lama, terakhir, elsewhere)
        self.hasil.kelompok[key] = group
        return group


def _match(batch: list[Baris]) -> None:
    """Each row's household: by NIK (a registered member's), else by No. KK; two queries."""
    niks = [r.nilai["nik"] for r in batch if r.nilai["nik"]]
    kks = [r.nilai["no_kk"] for r in batch if r.nilai["no_kk"]]
    by_nik = dict(AnggotaKeluarga.objects.filter(nik__in_array=niks).values_list("nik", "keluarga_id"))
    by_kk = dict(Keluarga.objects.filter(no_kk__in_array=kks).values_list("no_kk", "pk"))
    for r in batch:
        r.nilai["keluarga_id"] = by_nik.get(r.nilai["nik"]) or by_kk.get(r.nilai["no_kk"])


def _classify(batch: list[Baris]) -> tuple[list[Baris], list[tuple[int, Baris]]]:
    """(rows that come in, (pk, row) of rows that changed); counts go to each row's group."""
    new, changed = [], []
    for r in batch:
        group = r.kelompok
        group.baris += 1
        if r.nilai["keluarga_id"] is None:
            group.belum_terdaftar += 1
        stored = group.lama.get(r.kunci)
        if stored is None:
            group.masuk += 1
            new.append(r)
        elif stored[1] != hash(tuple(r.nilai[k] for k in NILAI)):
            group.diubah += 1
            changed.append((stored[0], r))
        else:
            group.tetap += 1
    return new, changed


def _leaving(group: Kelompok, reader: Pembaca) -> list[int]:
    """The rows the extract no longer lists: of its programme and period, in the kelurahan its
    rows name (a file of one kelurahan replaces that kelurahan only), in the importer's area.
    None when some of its rows were refused: a refused row may be one still listed."""
    key = (group.program.pk, group.mulai, group.selesai)
    if group.ada_ditolak or key in reader.refused or reader.refused_unknown:
        return []
    return [
        pk
        for kunci, (pk, _h, kelurahan) in group.lama.items()
        if kelurahan in group.cakupan and kunci not in group.dilihat
    ]


def periksa(*, user: Any, path: Path, mode: str, nama_berkas: str = "", progress: Any = None) -> HasilEkstrak:
    """The check step: every row, the area, the matches and what would change; nothing written."""
    require_columns(path, KOLOM_WAJIB, one_of=("nik", "no_kk"))
    hasil = HasilEkstrak()
    reader = Pembaca(user, hasil)
    for batch in in_batches(reader.rows(path), LOOKUP_BATCH):
        _match(batch)
        _classify(batch)
        if progress:
            progress(hasil.baris)
    if hasil.baris == 0:
        raise ValidationError(_("Berkas tidak berisi baris data."))
    for group in hasil.kelompok.values():
        group.keluar = len(_leaving(group, reader))
    return hasil


def impor(*, user: Any, path: Path, mode: str, nama_berkas: str = "", progress: Any = None) -> HasilEkstrak:
    """The import step: the same checks again (the ledger may have changed since), then write,
    all or nothing unless the user asked to keep the good rows."""
    require_columns(path, KOLOM_WAJIB, one_of=("nik", "no_kk"))
    hasil = HasilEkstrak()
    reader = Pembaca(user, hasil)
    area = area_text(user)
    with transaction.atomic():
        for batch in in_batches(reader.rows(path), LOOKUP_BATCH):
            _match(batch)
            new, changed = _classify(batch)
            if progress:
                progress(hasil.baris)
            if hasil.ada_galat and mode == ModeImpor.SEMUA:
                continue  # keep checking to report every bad row; nothing will be kept
            _write(user, area, nama_berkas, new, changed)
        if hasil.ada_galat and mode == ModeImpor.SEMUA:
            transaction.set_rollback(True)
            for group in hasil.kelompok.values():
                group.ekstrak = None
            return hasil
        for group in hasil.kelompok.values():
            leaving = _leaving(group, reader)
            group.keluar = len(leaving)
            if group.ekstrak is None and leaving:
                group.ekstrak = _extract(user, area, nama_berkas, group)
            if leaving:
                for start in range(0, len(leaving), LOOKUP_BATCH):
                    PenerimaEksternal.objects.filter(pk__in=leaving[start : start + LOOKUP_BATCH]).update(
                        ekstrak_keluar=group.ekstrak
                    )
            if group.ekstrak is not None:
                e = group.ekstrak
                e.jumlah, e.masuk, e.keluar, e.diubah = group.baris, group.masuk, group.keluar, group.diubah
                e.tidak_cocok, e.cakupan = group.belum_terdaftar, sorted(group.cakupan)
                fields = ["jumlah", "masuk", "keluar", "diubah", "tidak_cocok", "cakupan", "diubah_pada"]
                e.save(update_fields=fields)
    return hasil


def _extract(user: Any, area: str, nama_berkas: str, group: Kelompok) -> EkstrakBantuan:
    """The extract record, made when its first change is written (none when nothing changes)."""
    return EkstrakBantuan.objects.create(
        program=group.program,
        periode_mulai=group.mulai,
        periode_selesai=group.selesai,
        sumber=group.sumber,
        tanggal_ekstrak=group.tanggal,
        nama_berkas=nama_berkas[:200],
        wilayah=area[:200],
        diimpor_oleh=user,
    )


def _write(
    user: Any, area: str, nama_berkas: str, new: list[Baris], changed: list[tuple[int, Baris]]
) -> None:
    for r in new + [r for _pk, r in changed]:
        if r.kelompok.ekstrak is None:
            r.kelompok.ekstrak = _extract(user, area, nama_berkas, r.kelompok)
    create_rows(
        PenerimaEksternal,
        [
            {
                **r.nilai,
                "program_id": r.kelompok.program.pk,
                "periode_mulai": r.kelompok.mulai,
                "periode_selesai": r.kelompok.selesai,
                "kunci": r.kunci,
                "ekstrak_masuk_id": r.kelompok.ekstrak.pk,  # type: ignore[union-attr]  # made above
            }
            for r in new
        ],
    )
    if changed:
        stored = PenerimaEksternal.objects.in_bulk([pk for pk, _r in changed])
        for pk, r in changed:
            for key, value in r.nilai.items():
                setattr(stored[pk], key, value)
        PenerimaEksternal.objects.bulk_update(list(stored.values()), list(NILAI), batch_size=1000)
