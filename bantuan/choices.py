from django.db import models
from django.utils.translation import gettext_lazy as _


class SumberDana(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD_PROVINSI = "apbd_prov", _("APBD Provinsi")
    APBD_KOTA = "apbd_kota", _("APBD Kota")
    CSR = "csr", _("CSR")
    LAINNYA = "lainnya", _("Lainnya (Baznas, donatur, …)")


class SasaranProgram(models.TextChoices):
    KELUARGA = "keluarga", _("Keluarga (rumah tangga)")
    PERSEORANGAN = "perseorangan", _("Perseorangan")


class JenisPemantauan(models.TextChoices):
    """Which follow-up questions fit the programme's aid."""

    SEMBAKO = "sembako", _("Sembako: diterima tepat waktu")
    RUMAH = "rumah", _("Rumah: progres pembangunan")
    KAMBING = "kambing", _("Kambing: jumlah, lahir, mati, dijual")
    USAHA = "usaha", _("Usaha: berjalan, omzet")
    TIDAK_ADA = "tidak_ada", _("Tanpa pemantauan")


class StatusUsulan(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan, menunggu daftar")
    DALAM_DAFTAR = "dalam_daftar", _("Masuk daftar penerima")
    DITOLAK = "ditolak", _("Ditolak")
    DIBATALKAN = "dibatalkan", _("Dibatalkan")


class StatusDaftar(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DISETUJUI = "disetujui", _("Disetujui (dibekukan)")
    DITOLAK = "ditolak", _("Ditolak")


class PenerimaPenyaluran(models.TextChoices):
    LANGSUNG = "langsung", _("Penerima sendiri")
    WAKIL = "wakil", _("Diwakilkan")


class StatusPemantauan(models.TextChoices):
    TERJADWAL = "terjadwal", _("Terjadwal")
    SELESAI = "selesai", _("Selesai")


class AsalProgram(models.TextChoices):
    """Where a programme's recipients are decided."""

    KOTA = "kota", _("Kota: diusulkan, disusun dan disetujui di aplikasi ini")
    EKSTERNAL = "eksternal", _("Luar: daftar penerima diimpor (program nasional, Baznas, CSR, …)")


class MasalahEksternal(models.TextChoices):
    """What the field reports about aid decided elsewhere (the city monitors national aid)."""

    BELUM_MENERIMA = "belum_menerima", _("Terdaftar tetapi belum menerima")
    KURANG = "kurang", _("Diterima kurang dari seharusnya")
    KARTU = "kartu", _("Kartu / rekening bermasalah")
    SALAH_SASARAN = "salah_sasaran", _("Tidak layak / salah sasaran")
    MENINGGAL_PINDAH = "meninggal_pindah", _("Meninggal atau pindah")
    LAINNYA = "lainnya", _("Lainnya")
