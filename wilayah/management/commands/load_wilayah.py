from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wilayah.services import wilayah_load_csv


class Command(BaseCommand):
    help = "Muat daftar wilayah (kode,nama,tingkat[,kode_bps]) dari berkas CSV; semua atau tidak sama sekali."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            result = wilayah_load_csv(text=text)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"Wilayah: {result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap."
        )
