from django.core.management.base import BaseCommand

from laporan.umpan_balik import ukur_umpan_balik


class Command(BaseCommand):
    help = (
        "Cetak berapa hari usulan sampai kabar pertama tentangnya diterima TKSK, "
        "dan pemberitahuan belum dibaca per peran."
    )

    def handle(self, *args, **options):
        u = ukur_umpan_balik()
        median = "-" if u.median_hari is None else f"{u.median_hari} hari"
        self.stdout.write(
            f"Usulan: {u.usulan}; mendapat kabar: {u.mendapat_kabar}; "
            f"sudah diproses tanpa kabar: {u.diproses_tanpa_kabar}; median usulan → kabar ke TKSK: {median}"
        )
        self.stdout.write(f"{'peran':<20} {'pengguna':>8} {'belum dibaca':>13} {'semua':>7}")
        for row in u.per_peran:
            self.stdout.write(
                f"{row['groups__name']:<20} {row['pengguna']:>8} {row['belum_dibaca']:>13} {row['semua']:>7}"
            )
