"""Delete uploaded people files and background export files older than BERKAS_SIMPAN_HARI days.

They hold NIKs, names and birth dates of people who never asked to be in a spreadsheet on a
server; the jobs' summaries and the processing log (LogBerkas) stay. Run it daily (cron or a
systemd timer): ``python manage.py hapus_berkas_lama``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from impor.services import impor_hapus_berkas_lama
from laporan.ekspor import ekspor_hapus_berkas_lama


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
        impor = impor_hapus_berkas_lama(sebelum=sebelum)
        ekspor = ekspor_hapus_berkas_lama(sebelum=sebelum)
        self.stdout.write(
            f"Dihapus: {impor} berkas impor, {ekspor} berkas ekspor (lebih lama dari {options['hari']} hari)."
        )
