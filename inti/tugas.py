"""A "today" card on Beranda: what waits for the user, counted, with the most urgent first.

Each app builds its cards from its own selectors (pmks, bantuan, tksk, …) and shows them with
``includes/_tugas_panel.html``; the shape is shared so every role's home page reads alike."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Butir:
    label: str
    tautan: str
    keterangan: str = ""
    mendesak: bool = False


@dataclass
class Tugas:
    kode: str  # stable id for tests and styling
    judul: str
    jumlah: int
    butir: list[Butir] = field(default_factory=list)
    semua: str = ""  # the full list
    mendesak: bool = False

    def __bool__(self) -> bool:
        return self.jumlah > 0
