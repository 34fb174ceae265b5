"""Errors spill to disk in sorted runs and come back in row order; rejected rows are a bitmap."""

from __future__ import annotations

import io
import random

from impor import galat as galat_module
from impor.galat import BarisSet, DaftarGalat, Galat


def test_errors_come_back_in_row_order_across_spilled_runs(monkeypatch):
    monkeypatch.setattr(galat_module, "RUN", 3)
    rng = random.Random(5)
    added = [Galat(rng.randrange(1, 50), f"k{i}", f"pesan {i} é") for i in range(20)]
    errors = DaftarGalat()
    errors.extend(added)
    assert len(errors) == 20 and errors and len(errors._runs) == 6  # 18 spilled, 2 in memory
    back = list(errors)
    # Sorted by row; errors of the same row keep the order they were added in.
    assert back == sorted(added, key=lambda g: (g.baris, added.index(g)))
    assert list(errors) == back  # can be read twice
    assert not DaftarGalat()


def test_rejected_rows_bitmap():
    rows = BarisSet()
    assert not rows and 5 not in rows
    rows.update([2, 9, 9, 1_000_003])
    rows.add(2)
    assert len(rows) == 3 and rows
    assert 2 in rows and 9 in rows and 1_000_003 in rows
    assert 3 not in rows and 1_000_002 not in rows and -1 not in rows and "2" not in rows
    assert len(rows._bits) < 200_000  # bits, not Python ints


def test_rejected_rows_file_pairs_each_row_with_its_errors(monkeypatch, tmp_path):
    """The rejected-rows CSV merges the sorted errors with the rows, however many spilled."""
    from impor.ditolak import rejected_rows_csv
    from impor.rumah import HasilImpor

    monkeypatch.setattr(galat_module, "RUN", 2)
    path = tmp_path / "unggahan.dat"
    path.write_text("no_kk,nama\n" + "".join(f"{n:016d},Orang {n}\n" for n in range(2, 12)), encoding="utf-8")
    summary = HasilImpor()
    for number in (9, 3, 3, 11, 5):
        summary.galat.append(Galat(number, "nama", f"salah {number}"))
        summary.baris_ditolak.add(number)
    out = io.StringIO()
    rejected_rows_csv(path, summary, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "galat,baris,no_kk,nama"
    assert lines[1] == "nama: salah 3; nama: salah 3,3,0000000000000003,Orang 3"
    assert [line.split(",")[1] for line in lines[1:]] == ["3", "5", "9", "11"]
