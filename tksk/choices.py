from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisKegiatan(models.TextChoices):
    """Kinds of accompaniment (pendampingan) a TKSK records."""

    KUNJUNGAN_RUMAH = "kunjungan_rumah", _("Kunjungan rumah")
    BIMBINGAN_INDIVIDU = "bimbingan_individu", _("Bimbingan perorangan")
    BIMBINGAN_KELOMPOK = "bimbingan_kelompok", _("Bimbingan kelompok")
    MEDIASI = "mediasi", _("Mediasi")
    BANTUAN_USULAN = "bantuan_usulan", _("Membantu pengusulan bantuan")
    RUJUKAN = "rujukan", _("Rujukan")
    PENDATAAN = "pendataan", _("Identifikasi / pendataan")
    PEMANTAUAN_BANTUAN = "pemantauan_bantuan", _("Pemantauan penggunaan bantuan")


# Kinds that count as having visited a household (for "not visited for N days").
JENIS_KUNJUNGAN = (
    JenisKegiatan.KUNJUNGAN_RUMAH,
    JenisKegiatan.BIMBINGAN_INDIVIDU,
    JenisKegiatan.PEMANTAUAN_BANTUAN,
    JenisKegiatan.PENDATAAN,
)


class TujuanRujukan(models.TextChoices):
    KESEHATAN = "kesehatan", _("Layanan kesehatan / BPJS PBI")
    BEASISWA = "beasiswa", _("Beasiswa sekolah")
    BENCANA = "bencana", _("Bantuan bencana")
    LEMBAGA_SOSIAL = "lembaga_sosial", _("Lembaga kesejahteraan sosial")
    ADMINISTRASI = "administrasi", _("Administrasi kependudukan")
    LAINNYA = "lainnya", _("Lainnya")


class HasilRujukan(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu hasil")
    DITERIMA = "diterima", _("Diterima / dilayani")
    DITOLAK = "ditolak", _("Ditolak")
    TIDAK_DITINDAKLANJUTI = "tidak_lanjut", _("Tidak ditindaklanjuti keluarga")


class StatusLaporan(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    DITERIMA = "diterima", _("Diterima")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
