"""Benchmark: importing and exporting people files, this project's path against
django-import-export, on the same PostgreSQL (issue #5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/impor_ekspor.py \
        --rows 10000 100000 [--paths a b c] [--export]

The database named in DATABASE_URL is dropped and re-created for every measurement (use a
scratch database!). Each measurement runs in its own process so peak memory (max RSS) is
its own. Files are generated with a fixed seed into benchmarks/out/. Prints a table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))
KELURAHAN = [
    "35.74.01.1001",
    "35.74.01.1002",
    "35.74.01.1003",
    "35.74.02.1001",
    "35.74.02.1002",
    "35.74.03.1001",
    "35.74.03.1002",
    "35.74.04.1001",
    "35.74.04.1003",
    "35.74.05.1001",
]


def generate(rows: int) -> Path:
    """A people file of ``rows`` rows (households of 1-6 people), fixed seed, as .xlsx."""
    from openpyxl import Workbook

    from impor.kolom import KOLOM_WAJIB
    from pmks.identitas import make_nik

    OUT.mkdir(exist_ok=True)
    path = OUT / f"penduduk-{rows}.xlsx"
    if path.exists():
        return path
    rng = random.Random(3574)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Penduduk")
    ws.append([*KOLOM_WAJIB, "pekerjaan"])
    written, family = 0, 0
    used: set[str] = set()
    while written < rows:
        family += 1
        kel = rng.choice(KELURAHAN)
        kode6 = kel.replace(".", "")[:6]
        kk = f"{kode6}0101{family:06d}"
        size = min(rng.choice([1, 2, 3, 4, 4, 5, 6]), rows - written)
        for i in range(size):
            sex = "L" if i == 0 else rng.choice("LP")
            while True:  # a NIK is unique: draw another birth date on the rare clash
                born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(25000))
                nik = make_nik(kode6, born, sex, (written % 9999) + 1)
                if nik not in used:
                    used.add(nik)
                    break
            hubungan = "kepala" if i == 0 else ("istri" if i == 1 and sex == "P" else "anak")
            ws.append(
                [
                    kk,
                    kel,
                    f"Jl. Bench {family}",
                    f"{rng.randint(1, 9):03d}",
                    f"{rng.randint(1, 9):03d}",
                    nik,
                    f"Orang {written}",
                    sex,
                    "Probolinggo",
                    born.strftime("%d/%m/%Y"),
                    hubungan,
                    "kawin",
                    "Buruh",
                ]
            )
            written += 1
    wb.save(path)
    return path


def _fresh_database() -> None:
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        dbname="postgres",
        password=cfg.get("PASSWORD") or None,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def _setup_django():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User

    return User.objects.create_superuser("bench", password="x")


# -- the measured paths ----------------------------------------------------------------------------


def _dataset(path: Path):
    import tablib
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    return tablib.Dataset(*rows[1:], headers=list(rows[0]))


def _resources(tuned: bool):
    from import_export import fields, resources, widgets

    from impor.kolom import KOLOM_WAJIB
    from pmks.models import AnggotaKeluarga, Keluarga
    from wilayah.models import Wilayah

    class Meta:
        skip_unchanged = False

    opts = (
        {"use_bulk": True, "batch_size": 1000, "skip_diff": True, "force_init_instance": True}
        if tuned
        else {}
    )

    class KeluargaResource(resources.ModelResource):
        kelurahan = fields.Field(
            attribute="kelurahan",
            column_name="kode_kelurahan",
            widget=widgets.ForeignKeyWidget(Wilayah, "kode"),
        )

        class Meta:
            model = Keluarga
            import_id_fields = ["no_kk"]
            fields = ("no_kk", "kelurahan", "alamat", "rt", "rw")
            locals().update(opts)

    class AnggotaResource(resources.ModelResource):
        keluarga = fields.Field(
            attribute="keluarga", column_name="no_kk", widget=widgets.ForeignKeyWidget(Keluarga, "no_kk")
        )
        tanggal_lahir = fields.Field(
            attribute="tanggal_lahir", column_name="tanggal_lahir", widget=widgets.DateWidget("%d/%m/%Y")
        )

        class Meta:
            model = AnggotaKeluarga
            import_id_fields = ["nik"]
            # The people columns of the benchmark's file (after no_kk and the address).
            fields = ("nik", "keluarga", *KOLOM_WAJIB[KOLOM_WAJIB.index("nik") + 1 :], "pekerjaan")
            locals().update(opts)

    return KeluargaResource(), AnggotaResource()


def run_import_export(path: Path, tuned: bool) -> dict:
    """(a)/(b): households then people, each a dry run then the real import, as the admin does."""
    import tablib

    data = _dataset(path)
    kk_seen, kk_rows = set(), []
    for row in data.dict:
        if row["no_kk"] not in kk_seen:
            kk_seen.add(row["no_kk"])
            kk_rows.append(row)
    households = tablib.Dataset(headers=list(data.headers))
    for row in kk_rows:
        households.append([row[h] for h in data.headers])
    kel, ang = _resources(tuned)
    errors = 0
    for resource_, dataset in ((kel, households), (ang, data)):
        for dry_run in (True, False):
            result = resource_.import_data(
                dataset, dry_run=dry_run, use_transactions=True, raise_errors=False
            )
            errors += len(result.invalid_rows) + len(result.row_errors())
    return {"errors": errors}


def run_project(path: Path, user) -> dict:
    """(c): the project's importer, check then write, as the import page does."""
    from impor.models import DuplikatImpor, ModeImpor
    from impor.tulis import write
    from impor.validasi import validate

    summary = validate(user=user, path=path, duplikat=DuplikatImpor.TOLAK)
    written = write(user=user, path=path, mode=ModeImpor.SEMUA, duplikat=DuplikatImpor.TOLAK)
    return {"errors": len(summary.galat), "keluarga": written.keluarga_baru, "anggota": written.anggota_baru}


def run_export(rows: int, ours: bool) -> dict:
    """Export all people: import-export's Resource.export + xlsx, or the report writer."""
    import tempfile

    from accounts.models import User
    from pmks.models import AnggotaKeluarga

    user = User.objects.get(username="bench")
    target = tempfile.TemporaryFile()
    if ours:
        from django.http import QueryDict

        from inti.spreadsheet import Judul, write_xlsx
        from laporan.reports import keluarga_anggota

        hasil = keluarga_anggota(user, QueryDict())
        from django.utils import timezone

        n = write_xlsx(
            target, Judul("Bench", "Semua", "semua", "bench", timezone.now()), hasil.kolom, hasil.rows
        )
    else:
        from import_export.formats.base_formats import XLSX

        from pmks.resources import AnggotaKeluargaResource

        dataset = AnggotaKeluargaResource(user=user).export(AnggotaKeluarga.objects.all())
        target.write(XLSX().export_data(dataset))
        n = len(dataset)
    return {"rows": n}


def _fingerprint() -> str:
    from pmks.models import AnggotaKeluarga, Keluarga

    people = AnggotaKeluarga.objects.order_by("nik").values_list(
        "nik", "keluarga__no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan"
    )
    import hashlib

    h = hashlib.sha256()
    for row in people.iterator(chunk_size=5000):
        h.update(repr(row).encode())
    h.update(str(Keluarga.objects.count()).encode())
    return h.hexdigest()[:16]


def _drop_cache(path: Path) -> None:
    """The importer's parsed-rows sidecar: every measured import starts from the .xlsx."""
    for sidecar in path.parent.glob(path.name + ".*"):
        sidecar.unlink()


def one(kind: str, rows: int) -> None:
    """Child process: one measurement, printed as JSON. "load" fills the database for the
    export measurements, which then run in a fresh process of their own (their peak memory is
    the export's alone)."""
    path = generate(rows)
    _drop_cache(path)
    if kind.startswith("export"):
        from accounts.models import User

        user = User.objects.get(username="bench")
    else:
        _fresh_database()
        user = _setup_django()
    if kind == "load":
        from impor.models import DuplikatImpor, ModeImpor
        from impor.tulis import write

        write(user=user, path=path, mode=ModeImpor.SEMUA, duplikat=DuplikatImpor.TOLAK)
        print(json.dumps({"rows": rows}))
        return
    start = time.perf_counter()
    if kind == "a":
        info = run_import_export(path, tuned=False)
    elif kind == "b":
        info = run_import_export(path, tuned=True)
    elif kind == "c":
        info = run_project(path, user)
    elif kind == "export-iie":
        info = run_export(rows, ours=False)
    else:
        info = run_export(rows, ours=True)
    seconds = time.perf_counter() - start
    info.update(
        seconds=round(seconds, 2), peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    )
    if kind in ("b", "c"):
        info["fingerprint"] = _fingerprint()
    print(json.dumps(info))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--paths", nargs="*", default=["a", "b", "c"])
    parser.add_argument("--export", action="store_true", help="also measure exports")
    parser.add_argument("--exports", nargs="+", default=["iie", "ours"], help="which exports (iie, ours)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _django()
    if args.one:
        one(args.one, args.rows[0])
        return
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (it is dropped and re-created).")
    kinds = list(args.paths) + ([f"export-{e}" for e in args.exports] if args.export else [])
    results: dict[tuple[str, int], dict] = {}
    for rows in args.rows:
        generate(rows)
        for kind in kinds:
            first_export = next((k for k in kinds if k.startswith("export")), None)
            if kind == first_export:  # load the people once, in a process of its own
                subprocess.run(
                    [sys.executable, __file__, "--one", "load", "--rows", str(rows)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
            proc = subprocess.run(
                [sys.executable, __file__, "--one", kind, "--rows", str(rows)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if proc.returncode:
                print(proc.stderr[-2000:], file=sys.stderr)
                continue
            results[(kind, rows)] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{kind:>11} {rows:>9,} rows: {results[(kind, rows)]}", flush=True)
    print()
    print("| path | rows | seconds | rows/s | peak MB | vs (b) | vs (a) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (kind, rows), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        base_b = results.get(("b", rows), {}).get("seconds")
        base_a = results.get(("a", rows), {}).get("seconds")
        ratio_b = f"{base_b / r['seconds']:.1f}×" if base_b and kind == "c" else ""
        ratio_a = f"{base_a / r['seconds']:.1f}×" if base_a and kind == "c" else ""
        if kind == "export-ours" and ("export-iie", rows) in results:
            ratio_b = f"{results[('export-iie', rows)]['seconds'] / r['seconds']:.1f}× vs iie"
        speed = f"{rows / r['seconds']:,.0f}"
        print(f"| {kind} | {rows:,} | {r['seconds']} | {speed} | {r['peak_mb']} | {ratio_b} | {ratio_a} |")
    for rows in args.rows:
        fb, fc = (
            results.get(("b", rows), {}).get("fingerprint"),
            results.get(("c", rows), {}).get("fingerprint"),
        )
        if fb and fc:
            same = "the same" if fb == fc else "DIFFERENT"
            print(f"{rows:,} rows: (b) and (c) produce {same} rows ({fb} / {fc})")


if __name__ == "__main__":
    main()
