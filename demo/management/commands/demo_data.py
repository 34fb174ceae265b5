from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.kota import DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Isi basis data KOSONG dengan kota demo (Kota Probolinggo sintetis) dan akun demo. "
        "Bila registri sudah berisi data, tidak ada yang diubah."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--izinkan-tanpa-debug",
            action="store_true",
            help="Jalankan walau DJANGO_DEBUG mati (mis. server uji coba). Jangan di produksi.",
        )

    def handle(self, *args, izinkan_tanpa_debug=False, **options):
        if not settings.DEBUG and not izinkan_tanpa_debug:
            raise CommandError(
                "Data demo membuat akun dengan sandi yang diketahui umum; hanya dengan DJANGO_DEBUG=1 "
                "atau --izinkan-tanpa-debug."
            )
        households = load_demo(password=settings.DEMO_PASSWORD)
        if households:
            self.stdout.write(f"Kota demo dibuat: {households} keluarga.")
            self.stdout.write("Akun demo: " + ", ".join(u.username for u in DEMO_USERS))
        else:
            self.stdout.write("Registri sudah berisi data; data demo tidak dimuat.")
