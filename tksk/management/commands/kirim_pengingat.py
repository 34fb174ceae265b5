from django.core.management.base import BaseCommand

from tksk.pemberitahuan import kirim_pengingat


class Command(BaseCommand):
    help = (
        "Kabarkan kepada TKSK pemantauan bantuan dan tindak lanjut kunjungan yang jatuh tempo "
        "(jalankan setiap hari; setiap butir dikabarkan sekali)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hari", type=int, default=None, help="jatuh tempo dalam berapa hari (PENGINGAT_HARI)"
        )

    def handle(self, *args, **options):
        n = kirim_pengingat(options["hari"])
        self.stdout.write(f"{n} pemberitahuan ditulis.")
