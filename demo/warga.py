"""Citizens' usul and sanggah in the demo, and published lists: filed and handled through the
services (as the public pages and the staff screens do), then dated back so the story reads in
order — filed, checked, answered — with nothing after today.

Planted: an usul answered with a proposal made, a sanggah answered with an amendment proposed
for the Dinas Sosial's two-person decision, a sanggah answered "no change" with why, an usul being
checked two days before its deadline, an overdue sanggah nobody has touched, and a fresh usul.
"""

from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone

from bantuan import services as aid
from bantuan.choices import StatusDaftar
from bantuan.models import (
    AmandemenDaftar,
    DaftarPenerima,
    EntriDaftar,
    PenerimaEksternal,
    ProgramBantuan,
    RiwayatDaftar,
    TahapProgram,
    Usulan,
)
from bantuan.rules import pengecualian_daftar
from demo.bantuan import REASONS
from kabar.models import Notifikasi
from pmks.models import Keluarga
from warga import services
from warga.models import Aduan, Publikasi
from warga.pengaman import soal_baru
from wilayah.models import Wilayah

KANIGARAN = "35.74.04.1003"
# The approved lists of these kelurahan are published (Kanigaran, and one of every other
# kecamatan's kelurahan that the demo's sanggah come from).
PUBLISHED = [KANIGARAN, "35.74.04.1001", "35.74.03.1001", "35.74.05.1001"]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _dated(model: type[Model], pk: int, moment: datetime.datetime, *fields: str) -> None:
    model._default_manager.filter(pk=pk).update(**dict.fromkeys(fields, moment))
    history = getattr(model, "history", None)
    if history is not None:
        history.filter(id=pk, history_type="+").update(history_date=moment)


class WargaGenerator:
    def __init__(self, users: dict) -> None:
        self.users = users
        self.today = timezone.localdate()

    def day(self, ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=ago)

    def generate(self) -> int:
        self.next_year_list()
        # The amended sanggah needs a recipient whose aid has not been handed over yet (a
        # distributed entry cannot be removed): next year's list in Kanigaran has them.
        self.amend_kelurahan = KANIGARAN
        publikasi = self.publish(PUBLISHED)
        self.items(publikasi)
        return Aduan.objects.count()

    def next_year_list(self) -> None:
        """Kelurahan Kanigaran has no recipient on this year's approved lists; next year's first
        city sembako stage, approved last month, gives it one to publish. It lies outside this
        year, so the demo's 2026 figures (README) stay as they are; like this year's city
        sembako it goes to families on neither PKH nor BPNT."""
        tahun = self.today.year + 1
        tahap = TahapProgram.objects.create(
            program=ProgramBantuan.objects.get(kode="sembako-apbd"),
            tahun=tahun,
            tahap=1,
            periode_mulai=datetime.date(tahun, 1, 1),
            periode_selesai=datetime.date(tahun, 6, 30),
            kuota=40,
        )
        national = PenerimaEksternal.objects.berlaku().filter(
            program__kode__in=["pkh", "sembako-bpnt"], keluarga__isnull=False
        )
        households = list(
            Keluarga.objects.filter(kelurahan_id=KANIGARAN)
            .exclude(pk__in=national.values("keluarga_id"))
            .order_by("pk")[:6]
        )
        for k in households:
            aid.usulan_create(
                actor=self.users["tksk_kanigaran"],
                tahap=tahap,
                keluarga=k,
                alasan="Usulan musyawarah kelurahan.",
            )
        dinsos, dinsos2, dinsos3 = self.users["dinsos"], self.users["dinsos2"], self.users["dinsos3"]
        daftar = aid.daftar_build(actor=dinsos, tahap=tahap)
        aid.daftar_submit(actor=dinsos, daftar=daftar)
        aid.daftar_verify(actor=dinsos2, daftar=daftar)
        sk = self.day(30)
        aid.daftar_approve(
            actor=dinsos3,
            daftar=daftar,
            nomor_sk=f"460/{tahap.pk:02d}/425.104/{sk.year}",
            tanggal_sk=sk,
            alasan={pk: REASONS[t[0].kode] for pk, t in pengecualian_daftar(daftar).items()},
        )
        steps = {
            "dibuat": _at(self.day(40)),
            "diajukan": _at(self.day(38)),
            "diverifikasi": _at(self.day(35)),
        }
        steps["disetujui"] = steps["diputuskan"] = _at(sk, 14)
        for u in Usulan.objects.filter(tahap=tahap):
            _dated(Usulan, u.pk, _at(self.day(45)), "dibuat_pada", "diubah_pada")
        for e in EntriDaftar.objects.filter(daftar=daftar):
            _dated(EntriDaftar, e.pk, steps["dibuat"], "dibuat_pada", "diubah_pada")
        DaftarPenerima.objects.filter(pk=daftar.pk).update(
            dibuat_pada=steps["dibuat"],
            diajukan_pada=steps["diajukan"],
            diverifikasi_pada=steps["diverifikasi"],
            diputuskan_pada=steps["diputuskan"],
            diubah_pada=steps["diputuskan"],
        )
        DaftarPenerima.history.filter(id=daftar.pk, history_type="+").update(history_date=steps["dibuat"])
        for r in RiwayatDaftar.objects.filter(daftar=daftar):
            RiwayatDaftar.objects.filter(pk=r.pk).update(pada=steps.get(r.tindakan, steps["dibuat"]))

    # -- publications ------------------------------------------------------------------------------

    def publish(self, wanted: list[str]) -> dict[tuple[int, str], Publikasi]:
        out: dict[tuple[int, str], Publikasi] = {}
        approved = EntriDaftar.objects.filter(
            aktif=True, daftar__status=StatusDaftar.DISETUJUI, keluarga__kelurahan_id__in=wanted
        ).values_list("daftar_id", "keluarga__kelurahan_id")
        for daftar_id, kelurahan in sorted(set(approved)):
            entri = EntriDaftar.objects.filter(daftar_id=daftar_id).select_related("daftar").first()
            assert entri is not None
            p = services.publikasi_terbit(
                actor=self.users["dinsos"], daftar=entri.daftar, kelurahan=Wilayah.objects.get(pk=kelurahan)
            )
            sk = entri.daftar.tanggal_sk or self.day(30)
            _dated(Publikasi, p.pk, _at(min(sk + datetime.timedelta(days=3), self.today)), "diterbitkan_pada")
            out[(daftar_id, kelurahan)] = p
        return out

    # -- items -------------------------------------------------------------------------------------

    def _file(self, aduan: Aduan, ago: int) -> Aduan:
        """Date a filing ``ago`` days back, with its deadline and notifications."""
        filed = _at(self.day(ago), 8)
        hari = aduan.program.tenggat_aduan_hari if aduan.program else 14
        Aduan.objects.filter(pk=aduan.pk).update(
            dibuat_pada=filed, diubah_pada=filed, tenggat=self.day(ago) + datetime.timedelta(days=hari)
        )
        Aduan.history.filter(id=aduan.pk).update(history_date=filed)
        Notifikasi.objects.filter(objek_id=aduan.pk, jenis__in=["usul_warga", "sanggah_warga"]).update(
            dibuat_pada=filed
        )
        aduan.refresh_from_db()
        return aduan

    def _step(self, aduan: Aduan, ago: int, *fields: str) -> None:
        moment = _at(self.day(ago), 14)
        Aduan.objects.filter(pk=aduan.pk).update(**dict.fromkeys((*fields, "diubah_pada"), moment))
        latest = Aduan.history.filter(id=aduan.pk).order_by("-history_id").first()
        if latest is not None:
            Aduan.history.filter(history_id=latest.history_id).update(history_date=moment)
        Notifikasi.objects.filter(objek_id=aduan.pk, jenis="aduan_dijawab").update(dibuat_pada=moment)

    def _sanggah(
        self, publikasi: dict, kelurahan: str, alasan: str, distributed: bool | None = None
    ) -> Aduan:
        entri_qs = EntriDaftar.objects.filter(
            aktif=True, daftar__status=StatusDaftar.DISETUJUI, keluarga__kelurahan_id=kelurahan
        ).order_by("pk")
        if distributed is not None:
            entri_qs = entri_qs.filter(penyaluran__isnull=not distributed)
        entri = entri_qs.first()
        assert entri is not None, kelurahan
        return services.aduan_sanggah_create(
            publikasi=publikasi[(entri.daftar_id, kelurahan)],
            entri=entri,
            data={"alasan": alasan, "nama_pelapor": "Warga RT setempat", "kontak_pelapor": ""},
            soal_token=soal_baru().token,
        )

    def _usul(self, kelurahan: str, keluarga: Keluarga | None = None, **data) -> Aduan:
        fields = {
            "kelurahan": Wilayah.objects.get(pk=kelurahan),
            "nama_keluarga": keluarga.sebutan().split(" (")[0] if keluarga else "Ibu Suyati",
            "alamat": keluarga.alamat if keluarga else "Jl. Brantas Gg. Buntu No. 2",
            "rt": keluarga.rt if keluarga else "003",
            "rw": keluarga.rw if keluarga else "002",
            "no_kk": keluarga.no_kk if keluarga else "",
            "alasan": "Janda lansia tinggal sendiri, penghasilan tidak tetap, belum pernah menerima bantuan.",
            "nama_pelapor": "Ketua RT",
            "kontak_pelapor": "081200000000",
            **data,
        }
        return services.aduan_usul_create(data=fields, soal_token=soal_baru().token)

    def items(self, publikasi: dict) -> None:
        tksk_kanigaran, tksk_mayangan = self.users["tksk_kanigaran"], self.users["tksk_mayangan"]
        dinsos = self.users["dinsos"]

        # An usul the TKSK visited and proposed for business capital (stage 2, still open).
        stage = TahapProgram.objects.get(program__kode="modal-usaha", tahap=2)
        family = (
            Keluarga.objects.filter(kelurahan_id=KANIGARAN)
            .exclude(usulan__isnull=False)
            .order_by("pk")
            .first()
        )
        assert family is not None
        usul = self._file(self._usul(KANIGARAN, family, program=stage.program), 20)
        services.aduan_periksa(actor=tksk_kanigaran, aduan=usul)
        self._step(usul, 18, "diperiksa_pada")
        usulan = aid.usulan_create(
            actor=tksk_kanigaran,
            tahap=stage,
            keluarga=family,
            anggota=family.anggota.filter(hubungan="kepala").first()
            if stage.program.sasaran == "perseorangan"
            else None,
            alasan=f"Usul warga {usul.kode}; dikunjungi.",
        )
        _dated(Usulan, usulan.pk, _at(self.day(16)), "dibuat_pada", "diubah_pada")
        services.aduan_jawab(
            actor=tksk_kanigaran,
            aduan=usul,
            jawaban="Sudah kami kunjungi: usaha warung kecil berjalan, modal habis. Diusulkan untuk "
            "modal usaha tahap 2; keputusan mengikuti penyusunan daftar.",
            hasil="usulan",
            usulan=usulan,
        )
        self._step(usul, 15, "dijawab_pada")

        # A sanggah the Dinas found right: removal proposed, for another officer to decide.
        sanggah = self._file(
            self._sanggah(
                publikasi, self.amend_kelurahan, "Penerima sudah punya toko dan mobil.", distributed=False
            ),
            12,
        )
        services.aduan_periksa(actor=dinsos, aduan=sanggah)
        self._step(sanggah, 9, "diperiksa_pada")
        sanggah = services.aduan_jawab(
            actor=dinsos,
            aduan=sanggah,
            jawaban="Dicek bersama TKSK: keluarga sudah mampu. Diajukan amandemen untuk mengeluarkannya; "
            "keputusan oleh pejabat lain di Dinas Sosial.",
            hasil="amandemen",
            ajukan_amandemen=True,
        )
        self._step(sanggah, 5, "dijawab_pada")
        assert sanggah.hasil_amandemen is not None
        _dated(
            AmandemenDaftar, sanggah.hasil_amandemen.pk, _at(self.day(5), 14), "dibuat_pada", "diubah_pada"
        )

        # A sanggah answered with no change, and why.
        tetap = self._file(
            self._sanggah(publikasi, "35.74.03.1001", "Katanya anaknya sudah bekerja di luar kota."), 25
        )
        services.aduan_jawab(
            actor=tksk_mayangan,
            aduan=tetap,
            jawaban="Kami kunjungi: anak bekerja serabutan dan tidak mengirim uang.",
            hasil="tidak_ada",
            keterangan_hasil="Keluarga tetap memenuhi syarat (fakir miskin terverifikasi).",
        )
        self._step(tetap, 14, "diperiksa_pada", "dijawab_pada")

        # An usul being checked, two days before its deadline.
        dekat = self._file(self._usul("35.74.04.1001"), 12)
        services.aduan_periksa(actor=tksk_kanigaran, aduan=dekat)
        self._step(dekat, 10, "diperiksa_pada")

        # An overdue sanggah nobody has opened yet, in Kedopok.
        self._file(self._sanggah(publikasi, "35.74.05.1001", "Penerima sudah pindah ke Surabaya."), 20)

        # A fresh usul with no programme named, in Kanigaran.
        self._file(self._usul(KANIGARAN, nama_keluarga="Bapak Sanusi", rt="005", rw="001"), 1)
