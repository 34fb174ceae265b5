"""The 26 PMKS categories of Permensos No. 8/2012, from pmks/data/kategori_pmks.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from pmks.reference import kategori_pmks_load

    kategori_pmks_load(apps.get_model("pmks", "KategoriPmks"))


class Migration(migrations.Migration):
    dependencies = [("pmks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
