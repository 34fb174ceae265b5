"""DTSEN welfare deciles (pmks.DesilKeluarga) from an extract, through the same two steps as the
people import: each row names a household by NIK (any member) or No. KK, its decile, and the
extract's source and date. Every extract's value is kept; the same extract twice changes nothing.
Rows of households not registered here are counted and skipped (DTSEN covers everyone, the
registry only the households the TKSK found), never an error that would stop the file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impor import sel
from impor.baca import in_batches, require_columns, rows_of
from impor.galat import BarisSet, DaftarGalat, Galat
from impor.kolom import LOOKUP_BATCH
from impor.models import ModeImpor
from inti.scoping import scope_of
from pmks.models import AnggotaKeluarga, DesilKeluarga, Keluarga

KOLOM_WAJIB = ["desil", "sumber", "tanggal_ekstrak"]
KOLOM_OPSIONAL = ["nik", "no_kk"]  # at least one per row
CONTOH = ["1", "DTSEN Kemensos", "05/04/2026", "3574045708800001", "3574041203100001"]
CONTOH_BELUM_TERDAFTAR = 20


@dataclass
class HasilDesil:
    baris: int = 0
    galat: DaftarGalat = field(default_factory=DaftarGalat)
    baris_ditolak: BarisSet = field(default_factory=BarisSet)
    keluarga: int = 0
    belum_terdaftar: int = 0
    contoh_belum_terdaftar: list[str] = field(default_factory=list)
    baru: int = 0
    diubah: int = 0
    tetap: int = 0

    @property
    def ada_galat(self) -> bool:
        return bool(self.galat)

    @property
    def ditulis(self) -> bool:
        return bool(self.baru or self.diubah)

    def as_json(self, shown: int) -> dict[str, Any]:
        return {
            "baris": self.baris,
            "baik": self.keluarga,
            "jumlah_galat": len(self.galat),
            "baris_ditolak": len(self.baris_ditolak),
            "galat": [
                {"baris": g.baris, "kolom": g.kolom, "pesan": g.pesan} for g in islice(self.galat, shown)
            ],
            "keluarga": self.keluarga,
            "belum_terdaftar": self.belum_terdaftar,
            "contoh_belum_terdaftar": self.contoh_belum_terdaftar,
            "baru": self.baru,
            "diubah": self.diubah,
            "tetap": self.tetap,
        }


@dataclass
class Baris:
    nomor: int
    nik: str
    no_kk: str
    desil: int
    sumber: str
    tanggal: datetime.date


def _desil(value: Any) -> int:
    text = sel.teks(value)
    if not text.isdigit() or not 1 <= int(text) <= 10:
        raise sel.SelGalat(_("desil harus angka 1 sampai 10 (%(v)s)") % {"v": text})
    return int(text)


PARSERS = (
    ("nik", sel.nomor16_boleh_kosong("NIK")),
    ("no_kk", sel.nomor16_boleh_kosong("No. KK")),
    ("desil", _desil),
    ("sumber", sel.teks),
    ("tanggal_ekstrak", sel.tanggal),
)


def _rows(path: Path, hasil: HasilDesil) -> Iterator[Baris]:
    today = timezone.localdate()
    for number, raw in rows_of(path):
        hasil.baris += 1
        errors: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        for column, parse in PARSERS:
            try:
                values[column] = parse(raw.get(column))
            except sel.SelGalat as exc:
                errors.append((column, str(exc)))
        if not errors and not values["nik"] and not values["no_kk"]:
            errors.append(("nik", _("isi NIK atau No. KK")))
        if not errors and values["tanggal_ekstrak"] > today:
            errors.append(("tanggal_ekstrak", _("tanggal ekstrak di masa depan")))
        if not errors and len(values["sumber"]) > 100:
            errors.append(("sumber", _("lebih dari %(n)s karakter") % {"n": 100}))
        if errors:
            for column, message in errors:
                hasil.galat.append(Galat(number, column, message))
            hasil.baris_ditolak.add(number)
            continue
        yield Baris(
            number,
            values["nik"],
            values["no_kk"],
            values["desil"],
            values["sumber"],
            values["tanggal_ekstrak"],
        )


class Pemeriksa:
    """Matches a batch of rows to households in the user's area and sorts them into new,
    changed and unchanged deciles; one household's two rows of one extract must agree."""

    def __init__(self, user: Any, hasil: HasilDesil) -> None:
        self.scope = scope_of(user)
        self.hasil = hasil
        self.seen: dict[tuple[int, datetime.date, str], tuple[int, int]] = {}  # -> (desil, row)

    def check(self, batch: list[Baris]) -> tuple[list[DesilKeluarga], list[DesilKeluarga]]:
        by_nik = dict(
            AnggotaKeluarga.objects.filter(nik__in_array=[r.nik for r in batch if r.nik]).values_list(
                "nik", "keluarga_id"
            )
        )
        by_kk = dict(
            Keluarga.objects.filter(no_kk__in_array=[r.no_kk for r in batch if r.no_kk]).values_list(
                "no_kk", "pk"
            )
        )
        ids = set(by_nik.values()) | set(by_kk.values())
        area = dict(Keluarga.objects.filter(pk__in=list(ids)).values_list("pk", "kelurahan_id"))
        stored = {
            (d.keluarga_id, d.tanggal, d.sumber): d
            for d in DesilKeluarga.objects.filter(keluarga_id__in=list(ids))
        }
        new, changed = [], []
        for r in batch:
            keluarga_id = by_nik.get(r.nik) or by_kk.get(r.no_kk)
            if keluarga_id is None:
                self.hasil.belum_terdaftar += 1
                if len(self.hasil.contoh_belum_terdaftar) < CONTOH_BELUM_TERDAFTAR:
                    self.hasil.contoh_belum_terdaftar.append(r.nik or r.no_kk)
                continue
            if not self.scope.allows(area[keluarga_id]):
                self._error(r, "nik", _("keluarga ini di luar wilayah Anda"))
                continue
            key = (keluarga_id, r.tanggal, r.sumber)
            earlier = self.seen.get(key)
            if earlier is not None:
                if earlier[0] != r.desil:
                    self._error(
                        r, "desil", _("desil berbeda untuk KK yang sama di baris %(n)s") % {"n": earlier[1]}
                    )
                continue  # another member of a household already read: the same decile
            self.seen[key] = (r.desil, r.nomor)
            self.hasil.keluarga += 1
            existing = stored.get(key)
            if existing is None:
                self.hasil.baru += 1
                new.append(
                    DesilKeluarga(keluarga_id=keluarga_id, desil=r.desil, tanggal=r.tanggal, sumber=r.sumber)
                )
            elif existing.desil != r.desil:
                self.hasil.diubah += 1
                existing.desil = r.desil
                changed.append(existing)
            else:
                self.hasil.tetap += 1
        return new, changed

    def _error(self, r: Baris, column: str, message: str) -> None:
        self.hasil.galat.append(Galat(r.nomor, column, message))
        self.hasil.baris_ditolak.add(r.nomor)


def periksa(*, user: Any, path: Path, mode: str, nama_berkas: str = "", progress: Any = None) -> HasilDesil:
    """The check step: nothing written."""
    require_columns(path, KOLOM_WAJIB, one_of=("nik", "no_kk"))
    hasil = HasilDesil()
    checker = Pemeriksa(user, hasil)
    for batch in in_batches(_rows(path, hasil), LOOKUP_BATCH):
        checker.check(batch)
        if progress:
            progress(hasil.baris)
    if hasil.baris == 0:
        raise ValidationError(_("Berkas tidak berisi baris data."))
    return hasil


def impor(*, user: Any, path: Path, mode: str, nama_berkas: str = "", progress: Any = None) -> HasilDesil:
    """The import step: the same checks, then write; all or nothing unless asked otherwise."""
    require_columns(path, KOLOM_WAJIB, one_of=("nik", "no_kk"))
    hasil = HasilDesil()
    checker = Pemeriksa(user, hasil)
    with transaction.atomic():
        for batch in in_batches(_rows(path, hasil), LOOKUP_BATCH):
            new, changed = checker.check(batch)
            if progress:
                progress(hasil.baris)
            if hasil.ada_galat and mode == ModeImpor.SEMUA:
                continue
            for d in new:
                d.dicatat_oleh = user
            DesilKeluarga.objects.bulk_create(new, batch_size=1000)
            DesilKeluarga.objects.bulk_update(changed, ["desil"], batch_size=1000)
        if hasil.ada_galat and mode == ModeImpor.SEMUA:
            transaction.set_rollback(True)
            hasil.baru = hasil.diubah = 0
            return hasil
    return hasil
