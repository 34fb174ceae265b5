"""The PSKS types of Permensos No. 8/2012, from tksk/data/jenis_psks.csv."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "jenis_psks.csv"


def load(apps, schema_editor):
    JenisPsks = apps.get_model("tksk", "JenisPsks")
    with CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            JenisPsks.objects.update_or_create(
                nomor=int(row["nomor"]), defaults={"nama": row["nama"], "singkatan": row["singkatan"]}
            )


class Migration(migrations.Migration):
    dependencies = [("tksk", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
