"""Households out of a stream of rows: adjacent rows with the same No. KK, and the summary of
one check or import (rows, households, errors, what was written)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from impor.galat import BarisSet, DaftarGalat, Galat
from impor.urai import parsed_rows


@dataclass
class HasilImpor:
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

    @property
    def ditulis(self) -> bool:
        return bool(self.keluarga_baru or self.keluarga_diperbarui)

    def as_json(self, shown: int) -> dict[str, Any]:
        return {
            "baris": self.baris,
            "baik": self.keluarga - self.keluarga_dilewati,
            "keluarga": self.keluarga,
            "dilewati": self.keluarga_dilewati,
            "jumlah_galat": len(self.galat),
            "baris_ditolak": len(self.baris_ditolak),
            "galat": [
                {"baris": g.baris, "kolom": g.kolom, "pesan": g.pesan}
                for g in islice(self.galat, shown)  # already in row order
            ],
            "keluarga_baru": self.keluarga_baru,
            "anggota_baru": self.anggota_baru,
            "keluarga_diperbarui": self.keluarga_diperbarui,
            "anggota_diperbarui": self.anggota_diperbarui,
        }


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
    existing_pk: int | None = None  # set when an existing household is updated (DuplikatImpor.PERBARUI)
    existing_people: dict[str, int] = field(default_factory=dict)  # NIK -> pk of people updated


def households(path: Path, summary: HasilImpor) -> Iterator[Rumah]:
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


def batched(items: Iterator[Rumah], size: int) -> Iterator[list[Rumah]]:
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
