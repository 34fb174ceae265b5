"""The date of a berita acara written out in words, as Indonesian minutes open: "Pada hari ini
Sabtu tanggal dua puluh satu bulan November tahun dua ribu dua puluh lima"."""

from __future__ import annotations

import datetime

SATUAN = [
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = [
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def terbilang(n: int) -> str:
    """A whole number from 0 to 999,999 in Indonesian words."""
    if n < 0 or n >= 1_000_000:
        raise ValueError(n)
    if n == 0:
        return "nol"
    if n < 12:
        return SATUAN[n]
    if n < 20:
        return f"{SATUAN[n - 10]} belas"
    if n < 100:
        return f"{SATUAN[n // 10]} puluh {terbilang(n % 10) if n % 10 else ''}".strip()
    if n < 200:
        return f"seratus {terbilang(n - 100) if n > 100 else ''}".strip()
    if n < 1000:
        return f"{SATUAN[n // 100]} ratus {terbilang(n % 100) if n % 100 else ''}".strip()
    if n < 2000:
        return f"seribu {terbilang(n - 1000) if n > 1000 else ''}".strip()
    return f"{terbilang(n // 1000)} ribu {terbilang(n % 1000) if n % 1000 else ''}".strip()


def tanggal_terbilang(tanggal: datetime.date) -> str:
    return (
        f"{HARI[tanggal.weekday()]} tanggal {terbilang(tanggal.day)} bulan {BULAN[tanggal.month]} "
        f"tahun {terbilang(tanggal.year)}"
    )
