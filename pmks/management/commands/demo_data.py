from django.conf import settings
from django.core.management.base import BaseCommand

from pmks.demo import load_demo


class Command(BaseCommand):
    help = (
        "Isi basis data kosong dengan kota demo (Kota Probolinggo sintetis) dan akun demo. "
        "Aman dijalankan berulang: data yang sudah ada tidak diubah."
    )

    def handle(self, *args, **options):
        users, households = load_demo(password=settings.DEMO_PASSWORD)
        if households:
            self.stdout.write(f"Kota demo dibuat: {households} keluarga.")
        else:
            self.stdout.write("Registri sudah berisi data; kota demo tidak dibuat ulang.")
        self.stdout.write("Akun demo: " + ", ".join(sorted(users)))
