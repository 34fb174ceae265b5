"""Demo aid data on top of the demo city: lists in every status, distributions, follow-ups, and
planted cases that the overlap and gap reports must find (see README "Demo city")."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

from accounts.choices import JenisPenugasan
from bantuan import services as aid
from bantuan.models import EntriDaftar, ProgramBantuan, TahapProgram
from bantuan.reference import program_bantuan_load
from bantuan.rules import jumlah_pmks_terverifikasi, pengecualian_daftar, skor_kerentanan
from demo.kota import DEMO_USERS
from demo.luar import BAZNAS_HOUSES, ExternalAidGenerator, baznas_programme, report_problems
from demo.musyawarah import MusyawarahGenerator
from pmks.choices import StatusPmks
from pmks.models import CatatanPmks, Keluarga

# How many of the most vulnerable eligible households the city deliberately leaves without aid,
# for the gap report to find (they also get no sembako, the widest programme); some of them are
# on PKH (demo.luar.PLANTED_UNSERVED_ON_PKH), which the report must see.
PLANTED_UNSERVED = 8
PLANTED_RTLH_OVERLAP = 3  # on the imported Baznas RTLH list AND proposed for the city's RTLH
PLANTED_LIVELIHOOD_CLASH = 2  # on both approved goat and business-capital lists (excluded pair)


# What the demo's approver writes for each kind of exception: the habit the system asks for.
REASONS = {
    "tumpang_tindih": (
        "Ternak dan warung dikelola anggota keluarga yang berbeda; disetujui dengan pemantauan bulanan."
    ),
    "pernah_menerima": "Bantuan sebelumnya rusak akibat banjir; hasil kunjungan terlampir.",
    "tidak_sasaran": "Catatan PMKS sedang diverifikasi ulang; kondisi dikonfirmasi lurah.",
    "kuota_kecamatan": "Kelebihan kuota kecamatan diimbangi kecamatan lain; disepakati rapat koordinasi.",
    "di_luar_desil": "Desil DTSEN belum diperbarui sejak keluarga kehilangan pekerjaan; diverifikasi TKSK.",
    "lebih_rentan": (
        "Keluarga yang lebih rentan belum diusulkan musyawarah kelurahan; diminta diusulkan tahap berikut."
    ),
}


def sk_date(tahap: TahapProgram) -> datetime.date:
    """The demo's decree date: ten days before the stage's period starts."""
    return tahap.periode_mulai - datetime.timedelta(days=10)


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


class AidGenerator:
    def __init__(self, users: dict, seed: int = 3574) -> None:
        self.rng = random.Random(seed)
        self.users = users
        # Three people, as the office should work: one prepares and submits a list, another
        # verifies it, a third (the head of section) approves or returns it.
        self.dinsos, self.dinsos2, self.dinsos3 = users["dinsos"], users["dinsos2"], users["dinsos3"]
        self.tksk_by_kecamatan = {
            spec.wilayah: users[spec.username] for spec in DEMO_USERS if spec.jenis == JenisPenugasan.TKSK
        }
        self.musyawarah = MusyawarahGenerator(users)

    def tksk_for(self, keluarga: Keluarga):
        return self.tksk_by_kecamatan[keluarga.kelurahan.induk_id]

    # -- building blocks ------------------------------------------------------------------------

    def stage(self, program: ProgramBantuan, tahap: int, mulai, selesai, kuota: int) -> TahapProgram:
        return TahapProgram.objects.create(
            program=program,
            tahun=2026,
            tahap=tahap,
            periode_mulai=mulai,
            periode_selesai=selesai,
            kuota=kuota,
        )

    def propose(
        self, tahap: TahapProgram, households: Sequence[Keluarga], alasan: str, cite: bool = True
    ) -> None:
        """Proposals citing the kelurahan musyawarah that proposed each household (``cite``)."""
        for k in households:
            anggota = None
            if tahap.program.sasaran == "perseorangan":
                anggota = k.anggota.filter(hubungan="kepala").first()
            musyawarah = self.musyawarah.proposing(k, tahap.program.nama) if cite else None
            aid.usulan_create(
                actor=self.tksk_for(k),
                tahap=tahap,
                keluarga=k,
                anggota=anggota,
                alasan=alasan,
                musyawarah=musyawarah,
            )

    def list_to(self, tahap: TahapProgram, status: str):
        daftar = aid.daftar_build(actor=self.dinsos, tahap=tahap)
        if status == "draf":
            return daftar
        aid.daftar_submit(actor=self.dinsos, daftar=daftar)
        if status == "diajukan":
            return daftar
        if status == "ditolak":
            return aid.daftar_reject(
                actor=self.dinsos3,
                daftar=daftar,
                alasan="Berita acara musyawarah kelurahan belum dilampirkan.",
            )
        aid.daftar_verify(actor=self.dinsos2, daftar=daftar)
        if status == "diverifikasi":
            return daftar
        return aid.daftar_approve(
            actor=self.dinsos3,
            daftar=daftar,
            nomor_sk=f"460/{tahap.pk:02d}/425.104/2026",
            tanggal_sk=sk_date(tahap),
            alasan={pk: REASONS[tanda[0].kode] for pk, tanda in pengecualian_daftar(daftar).items()},
        )

    def distribute(
        self,
        tahap: TahapProgram,
        share: float,
        uraian: str,
        month: int,
        record_share: float,
        data: dict | Callable,
    ) -> None:
        for entri in EntriDaftar.objects.filter(daftar__tahap=tahap, aktif=True).select_related("keluarga"):
            if self.rng.random() > share:
                continue
            tksk = self.tksk_for(entri.keluarga)
            wakil = self.rng.random() < 0.15
            p = aid.penyaluran_create(
                actor=tksk,
                entri=entri,
                tanggal=_d(month, self.rng.randint(3, 25)),
                uraian=uraian,
                penerima="wakil" if wakil else "langsung",
                nama_wakil="Anak kandung" if wakil else "",
                hubungan_wakil="anak" if wakil else "",
            )
            first = p.pemantauan.order_by("jadwal").first()
            if first is not None and self.rng.random() < record_share and first.jadwal <= _d(11, 1):
                aid.pemantauan_record(
                    actor=tksk,
                    pemantauan=first,
                    tanggal=first.jadwal + datetime.timedelta(days=self.rng.randint(0, 5)),
                    data=data(self.rng) if callable(data) else data,
                )

    # -- the scenario -----------------------------------------------------------------------------

    def generate(self) -> dict[str, int]:
        program_bantuan_load()
        programs = {p.kode: p for p in ProgramBantuan.objects.all()}
        baznas_programme()

        fm = set(
            CatatanPmks.objects.filter(status=StatusPmks.TERVERIFIKASI, kategori__singkatan="FM").values_list(
                "keluarga_id", flat=True
            )
        )
        eligible = list(Keluarga.objects.filter(pk__in=fm).prefetch_related("anggota").order_by("pk"))
        counts = jumlah_pmks_terverifikasi([k.pk for k in eligible])
        today = datetime.date(2026, 11, 1)
        ranked = sorted(
            eligible,
            key=lambda k: -skor_kerentanan(k, list(k.anggota.all()), counts.get(k.pk, 0), today).total,
        )
        unserved, rest = ranked[:PLANTED_UNSERVED], ranked[PLANTED_UNSERVED:]
        self.rng.shuffle(rest)
        poor_housing = [k for k in rest if k.jenis_lantai in ("tanah", "bambu")]
        baznas_houses = poor_housing[:BAZNAS_HOUSES]

        # National aid and Baznas first, as Kemensos decides it: the city's lists see it.
        external = ExternalAidGenerator(self.users, self.rng)
        holders = external.generate(unserved, rest, baznas_houses)
        external.deciles(list(Keluarga.objects.prefetch_related("anggota").order_by("pk")), unserved)
        on_national_aid = {k.pk for k in holders["pkh"] + holders["bpnt"]}

        # The city's own sembako goes to families on neither PKH nor BPNT (as the office already
        # does by hand): tahap 1 approved and mostly distributed; tahap 2 returned by the approver.
        city_food = [k for k in rest if k.pk not in on_national_aid]
        s1 = self.stage(programs["sembako-apbd"], 1, _d(1, 1), _d(6, 30), kuota=len(city_food))
        self.propose(s1, city_food, "Fakir miskin terverifikasi, tidak menerima PKH maupun BPNT.")
        self.list_to(s1, "disetujui")
        self.distribute(
            s1, 0.9, "Beras 10 kg, telur 1 kg, minyak 2 L", 3, 0.7, {"diterima_tepat_waktu": True}
        )
        s2 = self.stage(programs["sembako-apbd"], 2, _d(7, 1), _d(12, 31), kuota=len(city_food))
        # Proposed without citing a musyawarah: the approver returns the list for its minutes.
        self.propose(s2, city_food[:40], "Lanjutan tahap 1.", cite=False)
        self.list_to(s2, "ditolak")

        # RTLH: Baznas renovated some houses this year; the city's list proposes three of them again.
        rtlh = self.stage(programs["rtlh"], 1, _d(6, 1), _d(12, 31), kuota=15)
        self.propose(
            rtlh,
            baznas_houses[:PLANTED_RTLH_OVERLAP] + poor_housing[6:16],
            "Rumah tidak layak huni hasil verifikasi lapangan.",
        )
        self.list_to(rtlh, "diverifikasi")

        # Livelihood: goats and business capital exclude each other; two households got both.
        others = [k for k in rest if k not in poor_housing[:16]]
        clash = others[:PLANTED_LIVELIHOOD_CLASH]
        kambing1 = self.stage(programs["kambing"], 1, _d(2, 1), _d(12, 31), kuota=20)
        self.propose(kambing1, clash + others[2:12], "Berpengalaman memelihara ternak.")
        self.list_to(kambing1, "disetujui")
        self.distribute(
            kambing1,
            1.0,
            "2 ekor kambing betina",
            5,
            0.8,
            lambda rng: {
                "kambing_jumlah": rng.choice([2, 3, 4]),
                "kambing_lahir": rng.choice([0, 1, 2]),
                "kambing_mati": rng.choice([0, 0, 1]),
                "kambing_dijual": 0,
            },
        )
        modal1 = self.stage(programs["modal-usaha"], 1, _d(2, 1), _d(12, 31), kuota=20)
        self.propose(modal1, clash + others[12:24], "Memiliki usaha warung kecil.")
        self.list_to(modal1, "disetujui")
        self.distribute(
            modal1,
            0.8,
            "Uang tunai Rp2.500.000 dan etalase",
            5,
            0.6,
            lambda rng: {
                "usaha_berjalan": rng.random() < 0.8,
                "omzet_bulanan": rng.choice([600_000, 900_000, 1_500_000]),
            },
        )
        kambing2 = self.stage(programs["kambing"], 2, _d(7, 1), _d(12, 31), kuota=20)
        self.propose(kambing2, others[24:32], "Usulan musyawarah kelurahan.")
        self.list_to(kambing2, "diajukan")
        modal2 = self.stage(programs["modal-usaha"], 2, _d(7, 1), _d(12, 31), kuota=20)
        self.propose(modal2, others[32:40], "Usulan musyawarah kelurahan.")
        self.list_to(modal2, "draf")
        self.musyawarah.finish(keep_out={k.pk for k in unserved})
        report_problems(self.tksk_for, self.dinsos2, holders)
        return {"tahap": TahapProgram.objects.count(), "unserved": len(unserved)}
