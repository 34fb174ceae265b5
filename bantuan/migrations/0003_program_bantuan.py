"""Ship the programmes of the field study: sembako (BPNT), RTLH, kambing, modal usaha."""

from django.db import migrations


def load(apps, schema_editor):
    from bantuan.reference import program_bantuan_load

    program_bantuan_load(apps.get_model("bantuan", "ProgramBantuan"), apps.get_model("pmks", "KategoriPmks"))


class Migration(migrations.Migration):
    dependencies = [("bantuan", "0002_initial"), ("pmks", "0002_kategori_pmks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
