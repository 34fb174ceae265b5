from django.db import models
from django.utils.translation import gettext_lazy as _


class Peristiwa(models.TextChoices):
    """What a notification is about: one value per event a service announces."""

    PMKS_DIVERIFIKASI = "pmks_diverifikasi", _("Catatan PMKS diverifikasi")
    PMKS_DITOLAK = "pmks_ditolak", _("Catatan PMKS ditolak")
    USULAN_MASUK_DAFTAR = "usulan_masuk_daftar", _("Usulan masuk daftar penerima")
    USULAN_DISETUJUI = "usulan_disetujui", _("Usulan disetujui (SK)")
    USULAN_DITOLAK = "usulan_ditolak", _("Usulan ditolak")
    DAFTAR_DIAJUKAN = "daftar_diajukan", _("Daftar penerima diajukan")
    DAFTAR_DIVERIFIKASI = "daftar_diverifikasi", _("Daftar penerima diverifikasi")
    DAFTAR_DISETUJUI = "daftar_disetujui", _("Daftar penerima disetujui")
    DAFTAR_DITOLAK = "daftar_ditolak", _("Daftar penerima dikembalikan")
    AMANDEMEN_DIAJUKAN = "amandemen_diajukan", _("Amandemen daftar diajukan")
    AMANDEMEN_DIPUTUSKAN = "amandemen_diputuskan", _("Amandemen daftar diputuskan")
    PENYALURAN = "penyaluran", _("Penyaluran dicatat")
    LAPORAN_DIAJUKAN = "laporan_diajukan", _("Laporan bulanan diajukan")
    LAPORAN_DITERIMA = "laporan_diterima", _("Laporan bulanan diterima")
    LAPORAN_DIKEMBALIKAN = "laporan_dikembalikan", _("Laporan bulanan dikembalikan")
    PEMANTAUAN_JATUH_TEMPO = "pemantauan_jatuh_tempo", _("Pemantauan segera jatuh tempo")
    TINDAK_LANJUT_JATUH_TEMPO = "tindak_lanjut_jatuh_tempo", _("Tindak lanjut kunjungan jatuh tempo")
    USUL_WARGA = "usul_warga", _("Usul warga ditugaskan")
    SANGGAH_WARGA = "sanggah_warga", _("Sanggah warga ditugaskan")
    ADUAN_DIJAWAB = "aduan_dijawab", _("Usul/sanggah warga dijawab")
