"""The 26 PMKS categories of Permensos No. 8/2012, from pmks/data/kategori_pmks.csv."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "kategori_pmks.csv"


def load(apps, schema_editor):
    KategoriPmks = apps.get_model("pmks", "KategoriPmks")
    with CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            KategoriPmks.objects.update_or_create(
                nomor=int(row["nomor"]),
                defaults={"nama": row["nama"], "singkatan": row["singkatan"], "sasaran": row["sasaran"]},
            )


class Migration(migrations.Migration):
    dependencies = [("pmks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
