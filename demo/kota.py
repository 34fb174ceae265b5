"""A realistic synthetic Kota Probolinggo for demos and manual testing (fixed seed):
households, people, PMKS records and the demo logins; demo/bantuan.py adds the aid data.

Everything goes through the services, so the demo city obeys the same rules (valid NIKs
consistent with birth date and sex, one head per household) and has a change history.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.choices import JenisPenugasan
from accounts.models import Penugasan, User
from accounts.services import penugasan_create
from pmks import services
from pmks.choices import (
    Disabilitas,
    Hubungan,
    JenisAtap,
    JenisDinding,
    JenisLantai,
    KepemilikanRumah,
    Listrik,
    Pendidikan,
    Sanitasi,
    StatusPerkawinan,
    SumberAir,
)
from pmks.identitas import make_nik
from pmks.models import AnggotaKeluarga, KategoriPmks, Keluarga
from wilayah.choices import Tingkat
from wilayah.models import Wilayah

KOTA = "35.74"
HOUSEHOLDS_PER_KELURAHAN = 12
START = datetime.date(2024, 1, 1)

NAMA_LAKI = (
    "Ahmad Budi Slamet Hasan Sugeng Bambang Agus Rudi Imam Wahyu Hendra Joko Suparman Sutrisno "
    "Mulyadi Samsul Abdul Rahmat Fauzi Yusuf Eko Dedi Sholeh Nur Arif Fathur Rizky Dimas Bayu "
    "Hadi Mat Sunarto Misnadi Ponimin Karim Syaiful Zainal Muhammad Teguh Anwar"
).split()
NAMA_PEREMPUAN = (
    "Siti Sri Nur Dewi Sumiati Sulastri Ani Rina Fitri Lestari Aminah Fatimah Khotijah Suwarni "
    "Umi Yuli Wati Ratna Indah Sari Puji Endang Tutik Rukmini Maryam Lailatul Zahra Aisyah "
    "Nurul Hasanah Komariyah Juwariyah Munawaroh Sholihah Nabila"
).split()
NAMA_BELAKANG = (
    "Hidayat Santoso Wijaya Saputra Rahman Hakim Maulana Prasetyo Setiawan Kurniawan Hasanah "
    "Rahmawati Yulianti Ningsih Susanti Wahyuni Fauziah Ramadhan Firmansyah Syahputra"
).split()
TEMPAT_LAHIR = ["Probolinggo"] * 8 + ["Pasuruan", "Lumajang", "Jember", "Situbondo", "Surabaya", "Malang"]
PEKERJAAN = [
    "Buruh harian lepas",
    "Petani",
    "Nelayan",
    "Pedagang kecil",
    "Tukang becak",
    "Buruh pabrik",
    "Ojek",
    "Mengurus rumah tangga",
    "Tidak bekerja",
    "Karyawan swasta",
    "Tukang bangunan",
]
JALAN = [
    "Jl. Panglima Sudirman",
    "Jl. Suroyo",
    "Jl. KH Hasan Genggong",
    "Jl. Soekarno Hatta",
    "Jl. Mastrip",
    "Jl. Brantas",
    "Jl. Kapten Kus Hadi",
    "Gg. Mawar",
    "Gg. Melati",
    "Jl. Bengawan Solo",
]
# NIK of people who moved in from elsewhere keeps their first kecamatan (DOMAIN.md).
KODE_PENDATANG = ["351314", "351401", "350811", "350917"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    nama: str
    group: str
    jenis: str | None
    wilayah: str | None
    staff: bool = False
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "Administrator Sistem", roles.ADMINISTRATOR, None, None, True, True),
    DemoUser("dinsos", "Rina Puspitasari (Dinsos P3A)", roles.DINAS, JenisPenugasan.DINAS, KOTA, True),
    DemoUser("dinsos2", "Hendra Gunawan (Dinsos P3A)", roles.DINAS, JenisPenugasan.DINAS, KOTA, True),
    DemoUser("dinsos3", "Dewi Kartika (Kabid Linjamsos)", roles.DINAS, JenisPenugasan.DINAS, KOTA, True),
    DemoUser("tksk_kademangan", "Sugeng Riyadi", roles.TKSK, JenisPenugasan.TKSK, "35.74.01"),
    DemoUser("tksk_wonoasih", "Nur Aini", roles.TKSK, JenisPenugasan.TKSK, "35.74.02"),
    DemoUser("tksk_mayangan", "Abdul Rozak", roles.TKSK, JenisPenugasan.TKSK, "35.74.03"),
    DemoUser("tksk_kanigaran", "Siti Maimunah", roles.TKSK, JenisPenugasan.TKSK, "35.74.04"),
    DemoUser("tksk_kedopok", "Eko Prasetyo", roles.TKSK, JenisPenugasan.TKSK, "35.74.05"),
    DemoUser(
        "kelurahan_kanigaran",
        "Petugas Kelurahan Kanigaran",
        roles.KELURAHAN,
        JenisPenugasan.KELURAHAN,
        "35.74.04.1003",
    ),
]


def ensure_demo_users(password: str) -> dict[str, User]:
    """Create the demo logins that do not exist yet; existing ones are left untouched."""
    roles.ensure_role_groups()
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User.objects.create_user(
                username=spec.username,
                password=password,
                nama_lengkap=spec.nama,
                is_staff=spec.staff,
                is_superuser=spec.superuser,
            )
            user.groups.add(Group.objects.get(name=spec.group))
        if spec.wilayah and spec.jenis and not Penugasan.objects.filter(user=user).exists():
            penugasan_create(
                actor=None,
                user=user,
                wilayah=Wilayah.objects.get(pk=spec.wilayah),
                jenis=spec.jenis,
                mulai=START,
                catatan="SK demo",
            )
        users[spec.username] = user
    return users


class CityGenerator:
    def __init__(self, users: dict[str, User], seed: int = 20261129) -> None:
        self.rng = random.Random(seed)
        self.users = users
        self.serial = 0
        self.kategori = {k.singkatan: k for k in KategoriPmks.objects.all()}
        self.tksk_by_kecamatan = {
            spec.wilayah: users[spec.username] for spec in DEMO_USERS if spec.jenis == JenisPenugasan.TKSK
        }

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days))

    def _person(self, kode6, sex, born, hubungan, status, nama_belakang):
        self.serial += 1
        first = self.rng.choice(NAMA_LAKI if sex == "L" else NAMA_PEREMPUAN)
        nama = f"{first} {nama_belakang}" if self.rng.random() < 0.6 else first
        if self.rng.random() < 0.15:
            kode6 = self.rng.choice(KODE_PENDATANG)
        umur = (datetime.date(2026, 11, 1) - born).days // 365
        return {
            "nik": make_nik(kode6, born, sex, self.serial),
            "nama": nama,
            "tempat_lahir": self.rng.choice(TEMPAT_LAHIR),
            "tanggal_lahir": born,
            "jenis_kelamin": sex,
            "hubungan": hubungan,
            "status_perkawinan": status,
            "pendidikan": (
                Pendidikan.TIDAK_SEKOLAH
                if umur < 7
                else self.rng.choice(
                    [Pendidikan.TIDAK_SEKOLAH, Pendidikan.SD, Pendidikan.SD, Pendidikan.SMP, Pendidikan.SMA]
                )
            ),
            "pekerjaan": "Pelajar" if 7 <= umur < 18 else ("" if umur < 7 else self.rng.choice(PEKERJAAN)),
            "disabilitas": Disabilitas.TIDAK
            if self.rng.random() > 0.06
            else self.rng.choice(
                [Disabilitas.FISIK, Disabilitas.SENSORIK, Disabilitas.INTELEKTUAL, Disabilitas.MENTAL]
            ),
        }

    def household_members(self, kode6: str) -> list[dict]:
        rng = self.rng
        belakang = rng.choice(NAMA_BELAKANG)
        kind = rng.random()
        members = []
        if kind < 0.12:  # elderly person living alone
            sex = rng.choice("LP")
            members.append(
                self._person(
                    kode6,
                    sex,
                    self._date(datetime.date(1938, 1, 1), datetime.date(1960, 1, 1)),
                    Hubungan.KEPALA,
                    StatusPerkawinan.CERAI_MATI,
                    belakang,
                )
            )
            return members
        if kind < 0.27:  # woman-headed household
            members.append(
                self._person(
                    kode6,
                    "P",
                    self._date(datetime.date(1965, 1, 1), datetime.date(1995, 1, 1)),
                    Hubungan.KEPALA,
                    rng.choice([StatusPerkawinan.CERAI_HIDUP, StatusPerkawinan.CERAI_MATI]),
                    belakang,
                )
            )
        else:
            head_born = self._date(datetime.date(1960, 1, 1), datetime.date(1998, 1, 1))
            members.append(
                self._person(kode6, "L", head_born, Hubungan.KEPALA, StatusPerkawinan.KAWIN, belakang)
            )
            wife_born = min(
                head_born + datetime.timedelta(days=rng.randrange(0, 2500)), datetime.date(2000, 1, 1)
            )
            members.append(self._person(kode6, "P", wife_born, Hubungan.ISTRI, StatusPerkawinan.KAWIN, ""))
        parent_born = members[0]["tanggal_lahir"]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            born = self._date(
                max(parent_born + datetime.timedelta(days=365 * 19), datetime.date(2000, 1, 1)),
                datetime.date(2025, 6, 1),
            )
            members.append(
                self._person(
                    kode6, rng.choice("LP"), born, Hubungan.ANAK, StatusPerkawinan.BELUM_KAWIN, belakang
                )
            )
        if rng.random() < 0.1:
            members.append(
                self._person(
                    kode6,
                    rng.choice("LP"),
                    self._date(datetime.date(1935, 1, 1), datetime.date(1955, 1, 1)),
                    Hubungan.ORANG_TUA,
                    StatusPerkawinan.CERAI_MATI,
                    "",
                )
            )
        return members

    def housing(self, poor: bool) -> dict:
        rng = self.rng
        if poor:
            return {
                "jenis_lantai": rng.choice(
                    [JenisLantai.TANAH, JenisLantai.TANAH, JenisLantai.BAMBU, JenisLantai.SEMEN]
                ),
                "jenis_dinding": rng.choice(
                    [JenisDinding.BAMBU, JenisDinding.KAYU, JenisDinding.TEMBOK_TANPA_PLESTER]
                ),
                "jenis_atap": rng.choice([JenisAtap.SENG, JenisAtap.ASBES, JenisAtap.GENTENG]),
                "luas_lantai": rng.choice([12, 18, 21, 24, 30, 36]),
                "sumber_air": rng.choice(
                    [SumberAir.SUMUR_TIDAK_TERLINDUNG, SumberAir.SUMUR_TERLINDUNG, SumberAir.SUNGAI]
                ),
                "sanitasi": rng.choice([Sanitasi.BERSAMA, Sanitasi.TIDAK_ADA, Sanitasi.SENDIRI]),
                "listrik": rng.choice([Listrik.PLN_450, Listrik.NON_PLN, Listrik.PLN_450]),
                "kepemilikan_rumah": rng.choice([KepemilikanRumah.MILIK_SENDIRI, KepemilikanRumah.MENUMPANG]),
                "penghasilan_bulanan": rng.choice([300_000, 450_000, 500_000, 750_000, 900_000]),
            }
        return {
            "jenis_lantai": rng.choice([JenisLantai.KERAMIK, JenisLantai.SEMEN]),
            "jenis_dinding": JenisDinding.TEMBOK,
            "jenis_atap": JenisAtap.GENTENG,
            "luas_lantai": rng.choice([36, 45, 54, 60, 72]),
            "sumber_air": rng.choice([SumberAir.PDAM, SumberAir.SUMUR_TERLINDUNG, SumberAir.AIR_KEMASAN]),
            "sanitasi": Sanitasi.SENDIRI,
            "listrik": rng.choice([Listrik.PLN_900, Listrik.PLN_LEBIH]),
            "kepemilikan_rumah": KepemilikanRumah.MILIK_SENDIRI,
            "penghasilan_bulanan": rng.choice([1_500_000, 2_000_000, 2_500_000, 3_000_000]),
        }

    def pmks_for(self, keluarga: Keluarga, poor: bool) -> list[tuple[str, AnggotaKeluarga | None]]:
        """Which PMKS categories the household's people plausibly hold."""
        found: list[tuple[str, AnggotaKeluarga | None]] = []
        today = datetime.date(2026, 11, 1)
        if poor:
            found.append(("FM", None))
        for a in keluarga.anggota.all():
            umur = (today - a.tanggal_lahir).days // 365
            if umur >= 60 and poor:
                found.append(("LUT", a))
            if a.disabilitas != Disabilitas.TIDAK:
                found.append(("ADK" if umur < 18 else "PD", a))
            if a.hubungan == Hubungan.KEPALA and a.jenis_kelamin == "P" and 18 <= umur < 60 and poor:
                found.append(("PRSE", a))
        if poor and self.rng.random() < 0.05:
            found.append((self.rng.choice(["PENG", "PEM", "KBA"]), keluarga.anggota.first()))
        return found

    def generate(self) -> int:
        kelurahan = Wilayah.objects.filter(tingkat=Tingkat.KELURAHAN, kode__startswith=KOTA + ".").order_by(
            "kode"
        )
        verifier = self.users["dinsos"]
        count = 0
        for kel in kelurahan:
            kecamatan = kel.induk_id
            tksk = self.tksk_by_kecamatan[kecamatan]
            kode6 = kecamatan.replace(".", "")
            for _ in range(HOUSEHOLDS_PER_KELURAHAN):
                poor = self.rng.random() < 0.7
                kk_date = self._date(datetime.date(2005, 1, 1), datetime.date(2024, 1, 1))
                no_kk = f"{kode6}{kk_date:%d%m%y}{(count + 1):04d}"
                data = {
                    "no_kk": no_kk,
                    "kelurahan": kel,
                    "alamat": f"{self.rng.choice(JALAN)} No. {self.rng.randint(1, 120)}",
                    "rt": f"{self.rng.randint(1, 8):03d}",
                    "rw": f"{self.rng.randint(1, 6):03d}",
                    **self.housing(poor),
                }
                keluarga = services.keluarga_save(
                    actor=tksk, keluarga=None, data=data, anggota=self.household_members(kode6)
                )
                count += 1
                for singkatan, anggota in self.pmks_for(keluarga, poor):
                    roll = self.rng.random()
                    # Decided records were identified well before this year's aid was proposed
                    # (the demo's timeline reads in order); those still waiting are recent.
                    identified = (
                        self._date(START, datetime.date(2025, 10, 1))
                        if roll < 0.66
                        else self._date(datetime.date(2026, 8, 1), datetime.date(2026, 10, 1))
                    )
                    catatan = services.catatan_pmks_create(
                        actor=tksk,
                        keluarga=keluarga,
                        kategori=self.kategori[singkatan],
                        anggota=anggota,
                        tanggal_identifikasi=identified,
                        bukti=self.rng.choice(
                            [
                                "Kunjungan rumah; kondisi sesuai.",
                                "Surat keterangan kelurahan.",
                                "Hasil musyawarah kelurahan.",
                                "Laporan RT setempat, dicek langsung.",
                            ]
                        ),
                    )
                    if roll < 0.55:
                        services.catatan_pmks_verify(
                            actor=verifier, catatan=catatan, note="Sesuai hasil verifikasi lapangan."
                        )
                    elif roll < 0.62:
                        services.catatan_pmks_reject(
                            actor=verifier, catatan=catatan, note="Tidak memenuhi kriteria setelah kunjungan."
                        )
                    elif roll < 0.66:
                        services.catatan_pmks_verify(actor=verifier, catatan=catatan)
                        services.catatan_pmks_close(
                            actor=verifier, catatan=catatan, note="Kondisi sudah membaik."
                        )
        return count


def load_demo(*, password: str) -> int:
    """Fill an EMPTY registry with the demo city, its logins and its aid data; otherwise change
    nothing, so a real database never gets demo accounts with a known password."""
    from demo.bantuan import AidGenerator
    from demo.linimasa import date_notifications, set_timeline
    from demo.tksk import TkskWorkGenerator
    from demo.warga import WargaGenerator
    from tksk.pemberitahuan import kirim_pengingat

    with transaction.atomic():
        if Keluarga.objects.exists():
            return 0
        users = ensure_demo_users(password)
        households = CityGenerator(users).generate()
        AidGenerator(users).generate()
        TkskWorkGenerator(users).generate()
        set_timeline()
        WargaGenerator(users).generate()  # after the timeline: its dates count back from today
        date_notifications()  # again, for the lists the citizens' part approved
        kirim_pengingat()  # today's reminders of follow-ups coming due or overdue
        return households
