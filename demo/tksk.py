"""Demo TKSK work: four months of activities per kecamatan, a PSKS inventory, and monthly
reports in every status, so the agenda, workload charts and reports show real content."""

from __future__ import annotations

import datetime
import random

from accounts.choices import JenisPenugasan
from demo.kota import DEMO_USERS
from pmks.choices import Kebutuhan
from pmks.models import Keluarga
from tksk import services as tksk
from tksk.models import JenisPsks
from wilayah.models import Wilayah

PSKS = [
    ("KT", "Karang Taruna {kel}", "Ketua Karang Taruna", "Kegiatan pemuda, relawan kunjungan lansia."),
    ("PSM", "PSM {kel}", "Pekerja Sosial Masyarakat", "Pendamping warga miskin di tingkat RW."),
    ("LKS", "LKS Al-Hikmah {kel}", "Pengurus LKS", "Panti asuhan dan bimbingan anak yatim."),
]
URAIAN = {
    "kunjungan_rumah": [
        "Kunjungan rumah, kondisi lansia dipantau.",
        "Kunjungan rumah, anak tidak sekolah.",
        "Kunjungan rumah bersama RT, rumah bocor.",
    ],
    "bimbingan_individu": ["Bimbingan pengelolaan keuangan keluarga."],
    "bimbingan_kelompok": ["Penyuluhan PHBS di balai RW."],
    "mediasi": ["Mediasi sengketa warisan rumah antar saudara."],
    "bantuan_usulan": ["Membantu melengkapi berkas usulan RTLH."],
    "pendataan": ["Pendataan ulang anggota keluarga."],
    "pemantauan_bantuan": ["Memantau penggunaan bantuan modal usaha."],
}
# What families say they need most, roughly as often as the field study heard it.
NEEDS = [Kebutuhan.PANGAN] * 4 + [
    Kebutuhan.MODAL_USAHA,
    Kebutuhan.MODAL_USAHA,
    Kebutuhan.KESEHATAN,
    Kebutuhan.PENDIDIKAN,
    Kebutuhan.TERNAK,
    Kebutuhan.PEKERJAAN,
    Kebutuhan.ALAT_BANTU,
    Kebutuhan.DOKUMEN,
]
JENIS = ["kunjungan_rumah"] * 6 + [
    "bimbingan_individu",
    "mediasi",
    "bantuan_usulan",
    "pendataan",
    "pemantauan_bantuan",
    "rujukan",
    "rujukan",
]


class TkskWorkGenerator:
    def __init__(self, users: dict, seed: int = 2026, today: datetime.date = datetime.date(2026, 11, 25)):
        self.rng = random.Random(seed)
        self.users = users
        self.today = today
        self.dinsos = users["dinsos"]

    def need_of(self, keluarga) -> str:
        """What a family tells the TKSK it needs most: its house first when the floor is earth."""
        if keluarga.jenis_lantai in ("tanah", "bambu") and self.rng.random() < 0.6:
            return Kebutuhan.PERBAIKAN_RUMAH
        return self.rng.choice(NEEDS)

    def generate(self) -> int:
        count = 0
        for spec in DEMO_USERS:
            if spec.jenis != JenisPenugasan.TKSK:
                continue
            user = self.users[spec.username]
            kecamatan = Wilayah.objects.get(pk=spec.wilayah)
            households = list(Keluarga.objects.filter(kelurahan__induk=kecamatan).order_by("pk"))
            psks = self.psks(user, kecamatan)
            count += self.activities(user, households, psks)
            self.reports(user, kecamatan)
        return count

    def psks(self, user, kecamatan) -> list:
        out = []
        for kel in kecamatan.anak.order_by("kode")[:3]:
            singkatan, nama, kontak, ket = self.rng.choice(PSKS)
            out.append(
                tksk.psks_save(
                    actor=user,
                    psks=None,
                    data={
                        "jenis": JenisPsks.objects.get(singkatan=singkatan),
                        "nama": nama.format(kel=kel.nama.title()),
                        "kelurahan": kel,
                        "kontak": kontak,
                        "telepon": f"08{self.rng.randint(10**9, 10**10 - 1)}",
                        "keterangan": ket,
                        "aktif": True,
                    },
                )
            )
        return out

    def activities(self, user, households, psks) -> int:
        n = 0
        day = datetime.date(2026, 8, 1)
        while day <= self.today:
            for _ in range(self.rng.choice([0, 1, 1, 2])):
                jenis = self.rng.choice(JENIS)
                keluarga = self.rng.sample(households, 3 if jenis == "bimbingan_kelompok" else 1)
                data = {
                    "jenis": jenis,
                    "tanggal": day,
                    "hasil": "Dicatat dan disepakati langkah berikutnya.",
                    "menonjol": self.rng.random() < 0.08,
                }
                if jenis in ("kunjungan_rumah", "bimbingan_individu") and self.rng.random() < 0.6:
                    data["kebutuhan"] = self.need_of(keluarga[0])
                if jenis == "rujukan":
                    data.update(
                        rujukan_tujuan=self.rng.choice(["kesehatan", "beasiswa", "lembaga_sosial"]),
                        rujukan_tempat=self.rng.choice(
                            ["Puskesmas Kanigaran", "Dinas Pendidikan", "RSUD dr. Moh. Saleh", "LKS setempat"]
                        ),
                        uraian="Dirujuk karena kebutuhan layanan lanjutan.",
                    )
                else:
                    data["uraian"] = self.rng.choice(URAIAN[jenis])
                if self.rng.random() < 0.5:
                    data["tindak_lanjut_tanggal"] = day + datetime.timedelta(
                        days=self.rng.choice([7, 14, 30])
                    )
                    data["tindak_lanjut_rencana"] = "Kunjungan ulang"
                k = tksk.kegiatan_create(
                    actor=user,
                    data=data,
                    keluarga=keluarga,
                    psks=[self.rng.choice(psks)] if jenis == "rujukan" and psks else [],
                )
                follow_up = k.tindak_lanjut_tanggal
                if (
                    follow_up
                    and follow_up < self.today - datetime.timedelta(days=10)
                    and self.rng.random() < 0.8
                ):
                    tksk.kegiatan_complete_follow_up(actor=user, kegiatan=k)
                if (
                    jenis == "rujukan"
                    and day < self.today - datetime.timedelta(days=20)
                    and self.rng.random() < 0.7
                ):
                    tksk.rujukan_record_outcome(
                        actor=user,
                        kegiatan=k,
                        hasil=self.rng.choice(["diterima", "ditolak"]),
                        tanggal=day + datetime.timedelta(days=7),
                    )
                n += 1
            day += datetime.timedelta(days=self.rng.choice([1, 2, 3]))
        return n

    def reports(self, user, kecamatan) -> None:
        accepted = tksk.laporan_submit(
            actor=user,
            kecamatan=kecamatan,
            bulan=datetime.date(2026, 9, 1),
            catatan_tksk="Kunjungan rutin berjalan; dua keluarga perlu RTLH.",
        )
        tksk.laporan_accept(actor=self.dinsos, laporan=accepted, komentar="Diterima.")
        if kecamatan.kode.endswith("04"):
            returned = tksk.laporan_submit(
                actor=user,
                kecamatan=kecamatan,
                bulan=datetime.date(2026, 10, 1),
                catatan_tksk="Laporan Oktober.",
            )
            tksk.laporan_return(actor=self.dinsos, laporan=returned, komentar="Lengkapi hasil rujukan.")
        else:
            tksk.laporan_submit(
                actor=user,
                kecamatan=kecamatan,
                bulan=datetime.date(2026, 10, 1),
                catatan_tksk="Laporan Oktober.",
            )
