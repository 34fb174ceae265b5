"""Delete the files of import and export jobs older than BERKAS_SIMPAN_HARI days.

They hold NIKs, names and birth dates of people who never asked to be in a spreadsheet on a
server; the jobs' summaries and the file log stay. Run it daily (cron or a systemd timer):
``python manage.py hapus_berkas_lama``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from inti.jobs import jobs_delete_old_files


class Command(BaseCommand):
    help = "Hapus berkas unggahan impor dan berkas ekspor yang lebih lama dari BERKAS_SIMPAN_HARI hari."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hari", type=int, default=settings.BERKAS_SIMPAN_HARI, help="umur berkas yang dihapus (hari)"
        )

    def handle(self, *args, **options) -> None:
        if options["hari"] < 1:
            self.stderr.write("--hari harus minimal 1.")
            return
        sebelum = timezone.now() - datetime.timedelta(days=options["hari"])
        deleted = jobs_delete_old_files(sebelum=sebelum)
        rincian = ", ".join(f"{n} berkas {jenis}" for jenis, n in deleted.items()) or "tidak ada"
        self.stdout.write(f"Dihapus: {rincian} (lebih lama dari {options['hari']} hari).")
