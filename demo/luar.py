"""Demo aid decided elsewhere, imported the way an office would: PKH per quarter and Sembako/BPNT
per month from Kemensos extracts (one of them corrected by a later extract), a Baznas house
renovation list, and DTSEN deciles for most households, all through impor.ekstrak / impor.desil.

Planted cases (README "Demo city"): households on both PKH and BPNT; some of the most vulnerable
households the city left without aid are on PKH (so they are not "receiving nothing"); others
have decile 1 and no aid at all; a few deciles disagree sharply with the local score; three PKH
recipients are not registered yet."""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bantuan import luar
from bantuan.models import PenerimaEksternal, ProgramBantuan
from bantuan.rules import desil_bertentangan, profil_keluarga
from impor import desil, ekstrak
from impor.models import ModeImpor
from pmks.models import Keluarga

PLANTED_UNSERVED_ON_PKH = 3  # of demo.bantuan.PLANTED_UNSERVED: served by PKH after all
PLANTED_UNREGISTERED = 3  # PKH recipients the registry does not know yet
PLANTED_DESIL_CHECKS = 4  # decile and score disagree: two well-off deciles, two poorest
PKH_BOTH_BPNT = 20  # PKH households also on BPNT (normal, not an overlap)
BAZNAS_HOUSES = 6

SUMBER_KEMENSOS = "SIKS-NG Kemensos"
PKH_QUARTERS = [  # period, extract date
    ((datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)), datetime.date(2026, 4, 6)),
    ((datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)), datetime.date(2026, 7, 6)),
    ((datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)), datetime.date(2026, 10, 5)),
]
BPNT_MONTHS = range(1, 11)  # January to October 2026
KOMPONEN_PKH = ["anak sekolah SD", "anak sekolah SMP", "anak usia dini", "lanjut usia", "disabilitas berat"]
KOMPONEN_NILAI = {
    "anak sekolah SD": 225_000,
    "anak sekolah SMP": 375_000,
    "anak usia dini": 750_000,
    "lanjut usia": 600_000,
    "disabilitas berat": 600_000,
}
HEADER = ekstrak.KOLOM_WAJIB + ekstrak.KOLOM_OPSIONAL


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


class ExternalAidGenerator:
    def __init__(self, users: dict, rng: random.Random) -> None:
        self.rng = rng
        self.dinsos = users["dinsos"]
        self.folder = Path(tempfile.mkdtemp(prefix="demo-ekstrak-"))

    def _row(self, kode: str, k: Keluarga, mulai, selesai, tanggal, sumber, nilai=None, komponen="") -> dict:
        head = next(a for a in k.anggota.all() if a.hubungan == "kepala")
        return {
            "program": kode,
            "nik": head.nik,
            "no_kk": k.no_kk,
            "nama": head.nama,
            "kode_kelurahan": k.kelurahan_id,
            "periode_mulai": f"{mulai:%d/%m/%Y}",
            "periode_selesai": f"{selesai:%d/%m/%Y}",
            "nilai": nilai or "",
            "komponen": komponen,
            "sumber": sumber,
            "tanggal_ekstrak": f"{tanggal:%d/%m/%Y}",
        }

    def _import(self, name: str, rows: list[dict]) -> None:
        path = self.folder / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=HEADER)
            writer.writeheader()
            writer.writerows(rows)
        hasil = ekstrak.impor(user=self.dinsos, path=path, mode=ModeImpor.SEMUA, nama_berkas=name)
        assert not hasil.ada_galat, list(hasil.galat)[:3]

    def generate(
        self, unserved: Sequence[Keluarga], rest: Sequence[Keluarga], baznas_houses: Sequence[Keluarga]
    ) -> dict[str, list[Keluarga]]:
        """Import the extracts; returns who holds what, for the city's own lists to take into account."""
        rest = list(rest)
        pkh = list(unserved[:PLANTED_UNSERVED_ON_PKH]) + rest[:45]
        bpnt = pkh[PLANTED_UNSERVED_ON_PKH : PLANTED_UNSERVED_ON_PKH + PKH_BOTH_BPNT] + rest[45:80]
        components = {k.pk: self.rng.choice(KOMPONEN_PKH) for k in pkh}
        strangers = self._unregistered(pkh[0])
        for (mulai, selesai), tanggal in PKH_QUARTERS:
            period = {
                "periode_mulai": f"{mulai:%d/%m/%Y}",
                "periode_selesai": f"{selesai:%d/%m/%Y}",
                "tanggal_ekstrak": f"{tanggal:%d/%m/%Y}",
            }
            rows = [
                self._row(
                    "pkh", k, mulai, selesai, tanggal, SUMBER_KEMENSOS, *self._component(components[k.pk])
                )
                for k in pkh
            ]
            self._import(f"pkh-{mulai:%Y-%m}.csv", rows + [{**s, **period} for s in strangers])
        for month in BPNT_MONTHS:
            mulai, selesai = datetime.date(2026, month, 1), _month_end(2026, month)
            tanggal = selesai + datetime.timedelta(days=5)
            rows = [
                self._row("sembako-bpnt", k, mulai, selesai, tanggal, SUMBER_KEMENSOS, 200_000) for k in bpnt
            ]
            self._import(f"bpnt-{mulai:%Y-%m}.csv", rows)
        # September corrected: two families left (moved away), one came in.
        september = datetime.date(2026, 9, 1), _month_end(2026, 9)
        corrected = bpnt[2:] + rest[80:81]
        self._import(
            "bpnt-2026-09-koreksi.csv",
            [
                self._row(
                    "sembako-bpnt", k, *september, datetime.date(2026, 10, 20), SUMBER_KEMENSOS, 200_000
                )
                for k in corrected
            ],
        )
        self._import(
            "baznas-rtlh-2026.csv",
            [
                self._row(
                    "rtlh-baznas",
                    k,
                    datetime.date(2026, 3, 1),
                    datetime.date(2026, 12, 31),
                    datetime.date(2026, 11, 2),
                    "Baznas Kota Probolinggo",
                    15_000_000,
                    "bedah rumah",
                )
                for k in baznas_houses
            ],
        )
        return {"pkh": pkh, "bpnt": bpnt + rest[80:81]}  # with September's newcomer

    @staticmethod
    def _component(komponen: str) -> tuple[int, str]:
        return KOMPONEN_NILAI[komponen], komponen

    def _unregistered(self, neighbour: Keluarga) -> list[dict]:
        """PKH recipients living in a demo kelurahan but not in the registry (yet)."""
        kode6 = neighbour.kelurahan_id[:8].replace(".", "")
        return [
            {
                "program": "pkh",
                "nik": f"{kode6}{41 + i:02d}0{5 + i}85{9001 + i:04d}",
                "no_kk": f"{kode6}0101209{990 + i:03d}",
                "nama": name,
                "kode_kelurahan": neighbour.kelurahan_id,
                "nilai": 600_000,
                "komponen": "lanjut usia",
                "sumber": SUMBER_KEMENSOS,
            }
            for i, name in enumerate(
                ["Sumiati Belum Terdata", "Paiman Belum Terdata", "Rukayah Belum Terdata"]
            )
        ]

    def deciles(self, households: Sequence[Keluarga], unserved: Sequence[Keluarga]) -> list[Keluarga]:
        """DTSEN deciles for most households: the poor mostly in 1–4, the others higher; the
        planted unserved households in decile 1; a few deliberately at odds with their score.
        Returns the households planted for a field check."""
        profiles = profil_keluarga([k.pk for k in households])
        scores = {pk: p.skor.total for pk, p in profiles.items()}
        values: dict[int, int] = {}
        for k in households:
            if self.rng.random() < 0.12:
                continue  # not (yet) in DTSEN
            score = scores[k.pk]
            values[k.pk] = self.rng.randint(1, 4) if score >= 25 else self.rng.randint(3, 9)
        for k in unserved:
            values[k.pk] = 1
        planted = self._disagreements(households, scores, values, set(k.pk for k in unserved))
        path = self.folder / "dtsen-2026.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["no_kk", "desil", "sumber", "tanggal_ekstrak"])
            for k in households:
                if k.pk in values:
                    writer.writerow([k.no_kk, values[k.pk], "DTSEN Kemensos", "01/08/2026"])
        hasil = desil.impor(user=self.dinsos, path=path, mode=ModeImpor.SEMUA)
        assert not hasil.ada_galat, list(hasil.galat)[:3]
        return planted

    def _disagreements(self, households, scores, values, unserved) -> list[Keluarga]:
        by_score = sorted((k for k in households if k.pk not in unserved), key=lambda k: scores[k.pk])
        high = [k for k in reversed(by_score) if scores[k.pk] >= 40][:2]
        low = [k for k in by_score if scores[k.pk] <= 10][:2]
        for k in high:
            values[k.pk] = 9
        for k in low:
            values[k.pk] = 1
        planted = high + low
        assert all(desil_bertentangan(values[k.pk], scores[k.pk]) for k in planted)
        return planted


def report_problems(tksk_for, office, holders: dict[str, list[Keluarga]]) -> None:
    """Two problems the field reported about BPNT, one already handled by the office."""
    rows = [
        PenerimaEksternal.objects.berlaku()
        .filter(program__kode="sembako-bpnt", keluarga=k)
        .order_by("-periode_mulai")
        .first()
        for k in holders["bpnt"][:2]
    ]
    reports = (
        ("belum_menerima", "Bantuan Oktober belum diterima; kartu sudah dicek di e-warong."),
        ("kartu", "Kartu KKS hilang; keluarga diminta lapor ke Dinas."),
    )
    for row, (jenis, uraian) in zip(rows, reports, strict=True):
        assert row is not None and row.keluarga is not None
        masalah = luar.masalah_create(
            actor=tksk_for(row.keluarga), penerima=row, data={"jenis": jenis, "uraian": uraian}
        )
    luar.masalah_resolve(actor=office, masalah=masalah, tindak_lanjut="Diteruskan ke Kemensos lewat SIKS-NG.")


def baznas_programme() -> ProgramBantuan:
    """Baznas renovates houses from the same backlog as the city: an external giver whose list
    must count in the city's RTLH overlap check."""
    program, _created = ProgramBantuan.objects.get_or_create(
        kode="rtlh-baznas",
        defaults={
            "nama": "RTLH Baznas Kota Probolinggo",
            "asal": "eksternal",
            "pemberi": "Baznas Kota Probolinggo",
            "sumber_dana": "lainnya",
            "sasaran": "keluarga",
            "kebutuhan": "rumah",
            "keterangan": "Program demo: daftar bedah rumah Baznas, diimpor dari ekstraknya.",
        },
    )
    program.tidak_bersama.add(ProgramBantuan.objects.get(kode="rtlh"))
    return program
