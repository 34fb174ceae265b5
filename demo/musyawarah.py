"""The demo's musyawarah kelurahan: every kelurahan whose households the city proposed for 2026
held its deliberation in November 2025 (before the first proposal), with the lurah, RT/RW, a
PSM, the TKSK and a community figure; it proposed the households the TKSK then proposed, and
dropped a few with the reason. One musyawarah is coming up in Kelurahan Kanigaran."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from accounts.choices import JenisPenugasan
from accounts.models import User
from demo.kota import DEMO_USERS
from musyawarah import services
from musyawarah.models import Musyawarah
from pmks.models import Keluarga
from wilayah.models import Wilayah

KANIGARAN = "35.74.04.1003"  # the kelurahan of the demo's kelurahan officer
PLANTED_DROPPED = 2  # households dropped per musyawarah, with the reason

LURAH = ["Drs. Agus Salim", "Hj. Sri Wahyuni, S.Sos", "Moch. Rifai, S.AP", "Endang Lestari, S.H."]
RT_RW = ["Pak Sutrisno", "Pak Mulyadi", "Bu Suwarni", "Pak Kasiman", "Pak Samsul", "Bu Rohmah"]
PSM = ["Bu Khoiriyah", "Pak Hasyim", "Bu Ninik", "Pak Lukman"]
TOKOH = ["K.H. Abdul Ghofur", "Ust. Mahfud", "Bu Nyai Fatimah", "Pak Haji Mansur"]
ALASAN_DICORET = [
    "Sudah mampu: anak bekerja tetap dan membantu keluarga.",
    "Pindah domisili ke luar kelurahan; diusulkan di tempat baru.",
    "Rumah sudah direhab swadaya warga tahun ini.",
    "Data belum lengkap; didata ulang oleh TKSK sebelum musyawarah berikutnya.",
]


class MusyawarahGenerator:
    def __init__(self, users: dict[str, User], seed: int = 1125) -> None:
        self.rng = random.Random(seed)  # its own: the aid data's draws stay as they were
        self.tksk = {
            spec.wilayah: users[spec.username] for spec in DEMO_USERS if spec.jenis == JenisPenugasan.TKSK
        }
        self.held: dict[str, Musyawarah] = {}
        self.proposed: set[tuple[int, int]] = set()

    def _tksk_for(self, kelurahan: Wilayah) -> User:
        return self.tksk[kelurahan.induk_id]

    def _held_in(self, kelurahan: Wilayah) -> Musyawarah:
        m = self.held.get(kelurahan.pk)
        if m is not None:
            return m
        tksk = self._tksk_for(kelurahan)
        nomor = len(self.held)
        lurah = LURAH[nomor % len(LURAH)]
        m = services.musyawarah_create(
            actor=tksk,
            kelurahan=kelurahan,
            tanggal=datetime.date(2025, 11, 10 + nomor % 14),
            tempat=f"Balai Kelurahan {kelurahan.nama.title()}",
            pimpinan=lurah,
            agenda="Pembahasan calon penerima bantuan sosial Kota Probolinggo tahun 2026 "
            "(sembako APBD, RTLH, kambing, modal usaha).",
            keputusan="Musyawarah menyepakati keluarga yang diusulkan dan dicoret sebagaimana tercantum; "
            "usulan diteruskan TKSK kepada Dinas Sosial P3A Kota Probolinggo.",
        )
        kecamatan = kelurahan.induk.nama.title() if kelurahan.induk else ""
        pick = self.rng.sample
        rt, rw = pick(RT_RW, 2)
        for nama, peran, ket in (
            (lurah, "lurah", f"Lurah {kelurahan.nama.title()}"),
            (rt, "rt", f"Ketua RT {self.rng.randint(1, 9):02d}"),
            (rw, "rw", f"Ketua RW {self.rng.randint(1, 6):02d}"),
            (self.rng.choice(PSM), "psm", "PSM kelurahan"),
            (tksk.nama_lengkap, "tksk", f"TKSK Kecamatan {kecamatan}"),
            (self.rng.choice(TOKOH), "tokoh_masyarakat", "Tokoh agama"),
        ):
            services.peserta_add(actor=tksk, musyawarah=m, nama=nama, peran=peran, keterangan=ket)
        self.held[kelurahan.pk] = m
        return m

    def proposing(self, keluarga: Keluarga, program: str) -> Musyawarah:
        """The held musyawarah of the household's kelurahan, having proposed it."""
        m = self._held_in(keluarga.kelurahan)
        if (m.pk, keluarga.pk) not in self.proposed:
            services.keluarga_dibahas_add(
                actor=self._tksk_for(keluarga.kelurahan),
                musyawarah=m,
                keluarga=keluarga,
                keputusan="diusulkan",
                program=program,
                alasan="Disepakati warga: kondisi keluarga dikonfirmasi ketua RT dan TKSK.",
            )
            self.proposed.add((m.pk, keluarga.pk))
        return m

    def finish(self, keep_out: set[int]) -> None:
        """Households each musyawarah dropped (never those in ``keep_out``: the most vulnerable,
        whom the gap report must find unproposed), and the one coming up in Kanigaran."""
        discussed = {k for _m, k in self.proposed} | keep_out
        for m in self.held.values():
            others = Keluarga.objects.filter(kelurahan=m.kelurahan).exclude(pk__in=discussed).order_by("pk")
            for i, k in enumerate(others[:PLANTED_DROPPED]):
                services.keluarga_dibahas_add(
                    actor=self._tksk_for(m.kelurahan),
                    musyawarah=m,
                    keluarga=k,
                    keputusan="dicoret",
                    alasan=ALASAN_DICORET[(m.pk + i) % len(ALASAN_DICORET)],
                )
        kanigaran = Wilayah.objects.get(pk=KANIGARAN)
        services.musyawarah_create(
            actor=self._tksk_for(kanigaran),
            kelurahan=kanigaran,
            tanggal=timezone.localdate() + datetime.timedelta(days=10),
            tempat="Aula Kantor Kelurahan Kanigaran",
            pimpinan=LURAH[0],
            agenda="Usulan calon penerima bantuan sosial tahun 2027 dan evaluasi penyaluran 2026.",
        )
