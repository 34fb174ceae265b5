"""Ship Kota Probolinggo (5 kecamatan, 29 kelurahan) as reference data."""

from django.db import migrations


def load(apps, schema_editor):
    from wilayah.services import KOTA_PROBOLINGGO_CSV, wilayah_load_csv

    text = KOTA_PROBOLINGGO_CSV.read_text(encoding="utf-8")
    wilayah_load_csv(text=text, model=apps.get_model("wilayah", "Wilayah"))


class Migration(migrations.Migration):
    dependencies = [("wilayah", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
