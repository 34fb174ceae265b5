"""A list's decision (approval or rejection) is recorded as *diputuskan*: the old field name
said *disetujui* (approved) also when the list was rejected."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bantuan", "0004_riwayat_lengkap")]

    operations = [
        migrations.RenameField("daftarpenerima", "disetujui_oleh", "diputuskan_oleh"),
        migrations.RenameField("daftarpenerima", "disetujui_pada", "diputuskan_pada"),
        migrations.RenameField("historicaldaftarpenerima", "disetujui_oleh", "diputuskan_oleh"),
        migrations.RenameField("historicaldaftarpenerima", "disetujui_pada", "diputuskan_pada"),
    ]
