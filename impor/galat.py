"""The errors of one check or import, kept in bounded memory.

A file of a million bad rows has a million errors. They go to temporary files in sorted runs of
``RUN`` errors (an external merge sort), so memory holds at most one run; reading them back gives
every error in row order, which the page (the first few hundred) and the rejected-rows file (a
merge with the rows) both want. The rejected row numbers are a bitmap: one bit per row.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

RUN = 50_000  # errors held in memory before they are sorted and written out


@dataclass(frozen=True, order=True)
class Galat:
    baris: int
    kolom: str
    pesan: str


class DaftarGalat:
    """Append errors in any order; iterate them sorted by row (then in the order added)."""

    def __init__(self) -> None:
        self._buffer: list[tuple[int, int, str, str]] = []
        self._runs: list[IO[str]] = []
        self._count = 0

    def append(self, galat: Galat) -> None:
        self._buffer.append((galat.baris, self._count, galat.kolom, galat.pesan))
        self._count += 1
        if len(self._buffer) >= RUN:
            self._spill()

    def extend(self, errors: Iterable[Galat]) -> None:
        for galat in errors:
            self.append(galat)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Galat]:
        runs = [_read_run(run) for run in self._runs]
        for baris, _seq, kolom, pesan in heapq.merge(*runs, sorted(self._buffer)):
            yield Galat(baris, kolom, pesan)

    def _spill(self) -> None:
        run = tempfile.TemporaryFile("w+", encoding="utf-8")  # deleted when closed or collected
        for item in sorted(self._buffer):
            run.write(json.dumps(item, ensure_ascii=False))
            run.write("\n")
        self._runs.append(run)
        self._buffer = []


def _read_run(run: IO[str]) -> Iterator[tuple[int, int, str, str]]:
    run.seek(0)
    for line in run:
        yield tuple(json.loads(line))


class BarisSet:
    """A set of row numbers as a bitmap: a million rejected rows take 125 KB."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self._count = 0

    def add(self, number: int) -> None:
        byte, bit = divmod(number, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        if not self._bits[byte] & (1 << bit):
            self._bits[byte] |= 1 << bit
            self._count += 1

    def update(self, numbers: Iterable[int]) -> None:
        for number in numbers:
            self.add(number)

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int) or number < 0:
            return False
        byte, bit = divmod(number, 8)
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << bit))

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0
