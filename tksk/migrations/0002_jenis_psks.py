"""The PSKS types of Permensos No. 8/2012, from tksk/data/jenis_psks.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from tksk.reference import jenis_psks_load

    jenis_psks_load(apps.get_model("tksk", "JenisPsks"))


class Migration(migrations.Migration):
    dependencies = [("tksk", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
