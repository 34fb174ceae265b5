"""LogBerkas, moved here from ``accounts`` (accounts 0003 renamed its table): state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_logberkas_ke_inti"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LogBerkas",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("jenis", models.CharField(choices=[("ekspor", "Ekspor"), ("impor", "Impor")], max_length=6, verbose_name="jenis")),
                        ("waktu", models.DateTimeField(auto_now_add=True, verbose_name="waktu")),
                        ("nama", models.CharField(max_length=200, verbose_name="laporan / berkas")),
                        ("format", models.CharField(max_length=10, verbose_name="format")),
                        ("saringan", models.JSONField(blank=True, default=dict, verbose_name="saringan / opsi")),
                        ("jumlah_baris", models.PositiveIntegerField(default=0, verbose_name="jumlah baris")),
                        ("jumlah_galat", models.PositiveIntegerField(default=0, verbose_name="baris galat")),
                        ("wilayah", models.CharField(blank=True, max_length=200, verbose_name="wilayah pengguna")),
                        ("pengguna", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="pengguna")),
                    ],
                    options={
                        "verbose_name": "log ekspor/impor",
                        "verbose_name_plural": "log ekspor/impor",
                        "ordering": ["-waktu"],
                        "indexes": [
                            models.Index(fields=["-waktu"], name="accounts_lo_waktu_205407_idx"),
                            models.Index(fields=["pengguna", "-waktu"], name="accounts_lo_penggun_a8bba4_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
