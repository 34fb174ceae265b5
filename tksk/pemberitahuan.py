"""What the TKSK services announce (kabar.services.kabari), and the daily reminders of follow-ups
coming due (``manage.py kirim_pengingat``), which no user action triggers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan.choices import StatusPemantauan
from bantuan.models import Pemantauan
from kabar.choices import Peristiwa
from kabar.services import DINAS, TKSK, kabari
from pmks.selectors import sebutan_keluarga
from tksk.choices import StatusLaporan
from tksk.models import Kegiatan, LaporanBulanan


def _tautan_laporan(laporan: LaporanBulanan) -> str:
    return reverse("tksk:laporan_detail", args=[laporan.kecamatan_id, laporan.bulan.strftime("%Y-%m")])


def laporan_diajukan(*, laporan: LaporanBulanan, actor: User) -> None:
    kabari(
        jenis=Peristiwa.LAPORAN_DIAJUKAN,
        objek=laporan,
        wilayah=laporan.kecamatan_id,
        judul=_("Laporan bulanan %(b)s %(k)s menunggu pemeriksaan")
        % {"b": laporan.bulan.strftime("%m/%Y"), "k": laporan.kecamatan.nama.title()},
        tautan=_tautan_laporan(laporan),
        perm="tksk.review_laporanbulanan",
        penugasan=DINAS,
        pelaku=actor,
    )


def laporan_diputuskan(*, laporan: LaporanBulanan, actor: User) -> None:
    accepted = laporan.status == StatusLaporan.DITERIMA
    kabari(
        jenis=Peristiwa.LAPORAN_DITERIMA if accepted else Peristiwa.LAPORAN_DIKEMBALIKAN,
        objek=laporan,
        wilayah=laporan.kecamatan_id,
        judul=(_("Laporan bulanan %(b)s diterima") if accepted else _("Laporan bulanan %(b)s dikembalikan"))
        % {"b": laporan.bulan.strftime("%m/%Y")},
        isi=_("Komentar Dinas Sosial: %(k)s") % {"k": laporan.komentar_dinas}
        if laporan.komentar_dinas
        else "",
        tautan=_tautan_laporan(laporan),
        kepada=[laporan.tksk],
        perm="tksk.add_laporanbulanan",
        penugasan=TKSK,
        pelaku=actor,
    )


def kirim_pengingat(hari: int | None = None) -> int:
    """Announce to the kecamatan's TKSK each follow-up (aid monitoring or a visit's next step)
    falling due within ``hari`` days or already overdue; each one once (the notification's key),
    however often this runs. Returns how many notifications were written."""
    hari = settings.PENGINGAT_HARI if hari is None else hari
    today = timezone.localdate()
    batas = today + datetime.timedelta(days=hari)
    written = 0
    pemantauan = list(
        Pemantauan.objects.filter(status=StatusPemantauan.TERJADWAL, jadwal__lte=batas).select_related(
            "penyaluran__entri__keluarga", "penyaluran__entri__daftar__tahap__program"
        )
    )
    names = sebutan_keluarga(p.penyaluran.entri.keluarga_id for p in pemantauan)
    for p in pemantauan:
        keluarga = p.penyaluran.entri.keluarga
        written += len(
            kabari(
                jenis=Peristiwa.PEMANTAUAN_JATUH_TEMPO,
                objek=p,
                wilayah=keluarga.kelurahan_id,
                judul=_("Pemantauan %(p)s – %(f)s: %(kapan)s")
                % {
                    "p": p.penyaluran.entri.daftar.tahap.program.nama,
                    "f": names[keluarga.pk],
                    "kapan": _kapan(p.jadwal, today),
                },
                tautan=reverse("bantuan:penyaluran_detail", args=[p.penyaluran_id]),
                perm="bantuan.change_pemantauan",
                penugasan=TKSK,
                kunci=f"pemantauan:{p.pk}:{p.jadwal.isoformat()}",
            )
        )
    kegiatan = list(
        Kegiatan.objects.tindak_lanjut_terbuka()
        .filter(tindak_lanjut_tanggal__lte=batas)
        .prefetch_related("keluarga")
    )
    families = {k.pk: [x.pk for x in k.keluarga.all()] for k in kegiatan}
    names = sebutan_keluarga(pk for pks in families.values() for pk in pks)
    for k in kegiatan:
        assert k.tindak_lanjut_tanggal is not None  # tindak_lanjut_terbuka() has one
        siapa = [names[pk] for pk in families[k.pk]]
        if len(siapa) > 1:
            siapa = [siapa[0], _("%(n)s keluarga lain") % {"n": len(siapa) - 1}]
        written += len(
            kabari(
                jenis=Peristiwa.TINDAK_LANJUT_JATUH_TEMPO,
                objek=k,
                wilayah=k.kecamatan_id,
                judul=_("Tindak lanjut %(j)s%(f)s: %(kapan)s")
                % {
                    "j": k.get_jenis_display().lower(),
                    "f": " – " + ", ".join(siapa) if siapa else "",
                    "kapan": _kapan(k.tindak_lanjut_tanggal, today),
                },
                isi=k.tindak_lanjut_rencana or k.uraian[:200],
                tautan=reverse("tksk:kegiatan_detail", args=[k.pk]),
                perm="tksk.change_kegiatan",
                penugasan=TKSK,
                kunci=f"tindak-lanjut:{k.pk}:{k.tindak_lanjut_tanggal.isoformat()}",
            )
        )
    return written


def _kapan(jadwal: datetime.date, today: datetime.date) -> str:
    if jadwal < today:
        return _("terlambat sejak %(d)s") % {"d": jadwal.strftime("%d/%m/%Y")}
    return _("jatuh tempo %(d)s") % {"d": jadwal.strftime("%d/%m/%Y")}
