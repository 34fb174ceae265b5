"""Benchmark: importing an extract of aid decided elsewhere (PKH), beside the people import, on
the same PostgreSQL (issue #11).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/ekstrak.py \
        --rows 10000 100000 1000000 [--people]

For each size: a scratch database is created (DATABASE_URL names it: it is dropped!) holding
100,000 registered people (the first tenth of the extract's recipients are among them, the rest
are not registered and wait in the ledger); then, each in a process of its own so its peak
memory (max RSS) is its own: the check step, the import step, and the same extract imported
again (nothing changes). ``--people`` also times the people import of a file of the same size
(check then write, as benchmarks/impor_ekspor.py path (c)). Files go to benchmarks/out/ (fixed
seed). Prints a table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.impor_ekspor import KELURAHAN, OUT, _django, _drop_cache, _fresh_database, _setup_django
from benchmarks.impor_ekspor import generate as generate_people

REGISTERED = 100_000  # people registered before the extract arrives


def generate(rows: int) -> Path:
    """A PKH extract of ``rows`` recipients, fixed seed, as .xlsx: a tenth of them registered."""
    from openpyxl import Workbook, load_workbook

    from impor.ekstrak import KOLOM_OPSIONAL, KOLOM_WAJIB
    from pmks.identitas import make_nik

    OUT.mkdir(exist_ok=True)
    path = OUT / f"ekstrak-{rows}.xlsx"
    if path.exists():
        return path
    people = load_workbook(generate_people(REGISTERED), read_only=True).worksheets[0]
    header: list[str] = []
    registered: list[tuple[str, str, str, str]] = []  # nik, no_kk, name, kelurahan
    for values in people.iter_rows(values_only=True):
        if not header:
            header = list(values)
            continue
        row = dict(zip(header, values, strict=False))
        registered.append((row["nik"], row["no_kk"], row["nama"], row["kode_kelurahan"]))
        if len(registered) >= rows // 10:
            break
    rng = random.Random(3575)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ekstrak")
    columns = KOLOM_WAJIB + KOLOM_OPSIONAL
    ws.append(columns)
    used = {r[0] for r in registered}
    for i in range(rows):
        if i < len(registered):
            nik, no_kk, nama, kel = registered[i]
        else:
            kel = rng.choice(KELURAHAN)
            kode6 = kel.replace(".", "")[:6]
            while True:
                born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
                nik = make_nik(kode6, born, rng.choice("LP"), rng.randint(1, 9999))
                if nik not in used:
                    used.add(nik)
                    break
            no_kk, nama = f"{kode6}0202{i:06d}", f"Penerima {i}"
        values = {
            "program": "pkh",
            "nama": nama,
            "kode_kelurahan": kel,
            "periode_mulai": "01/01/2026",
            "periode_selesai": "31/03/2026",
            "sumber": "SIKS-NG Kemensos",
            "tanggal_ekstrak": "05/04/2026",
            "nik": nik,
            "no_kk": no_kk,
            "nilai": str(rng.choice([225_000, 375_000, 600_000, 750_000])),
            "komponen": "",
        }
        ws.append([values[c] for c in columns])
    wb.save(path)
    return path


def one(kind: str, rows: int) -> None:
    """Child process: one measurement, printed as JSON."""
    from accounts.models import User
    from impor import ekstrak
    from impor.models import DuplikatImpor, ModeImpor

    if kind == "load":
        _fresh_database()
        user = _setup_django()
        from impor.tulis import write

        people = generate_people(REGISTERED)
        _drop_cache(people)
        write(user=user, path=people, mode=ModeImpor.SEMUA, duplikat=DuplikatImpor.TOLAK)
        print(json.dumps({"registered": REGISTERED}))
        return
    if kind == "people":
        from benchmarks.impor_ekspor import run_project

        _fresh_database()
        user = _setup_django()
        path = generate_people(rows)
        _drop_cache(path)
        start = time.perf_counter()
        info = run_project(path, user)
    else:
        user = User.objects.get(username="bench")
        path = generate(rows)
        start = time.perf_counter()
        step = ekstrak.periksa if kind == "check" else ekstrak.impor
        hasil = step(user=user, path=path, mode=ModeImpor.SEMUA, nama_berkas=path.name)
        group = next(iter(hasil.kelompok.values()))
        info = {
            "errors": len(hasil.galat),
            "masuk": group.masuk,
            "tetap": group.tetap,
            "belum_terdaftar": group.belum_terdaftar,
        }
    info.update(
        seconds=round(time.perf_counter() - start, 2),
        peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    print(json.dumps(info))


def _child(kind: str, rows: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--people", action="store_true", help="also time the people import of the same size")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _django()
    if args.one:
        one(args.one, args.rows[0])
        return
    columns = ["check", "import", "same again", "people import"]
    print("| rows | " + " | ".join(f"{c} s / peak MB" for c in columns) + " |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for rows in args.rows:
        generate(rows)
        _child("load", rows)
        check, first, again = (_child(kind, rows) for kind in ("check", "import", "again"))
        assert check["errors"] == 0 and first["masuk"] == rows and again["tetap"] == rows, (
            check,
            first,
            again,
        )
        people = _child("people", rows) if args.people else None
        cells = [f"{m['seconds']} / {m['peak_mb']}" for m in (check, first, again)]
        cells.append(f"{people['seconds']} / {people['peak_mb']}" if people else "–")
        print(f"| {rows:,} | " + " | ".join(cells) + " |", flush=True)
        print(
            f"<!-- {rows}: {first['belum_terdaftar']} waiting for their household; "
            f"{again['tetap']} unchanged the second time -->",
            flush=True,
        )


if __name__ == "__main__":
    main()
