"""Fixed vocabularies of the registry. Codes follow Dukcapil/BPS usage where one exists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisKelamin(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class Hubungan(models.TextChoices):
    """Relationship to the head of the family, as on the Kartu Keluarga."""

    KEPALA = "kepala", _("Kepala keluarga")
    SUAMI = "suami", _("Suami")
    ISTRI = "istri", _("Istri")
    ANAK = "anak", _("Anak")
    MENANTU = "menantu", _("Menantu")
    CUCU = "cucu", _("Cucu")
    ORANG_TUA = "orang_tua", _("Orang tua")
    MERTUA = "mertua", _("Mertua")
    FAMILI_LAIN = "famili_lain", _("Famili lain")
    LAINNYA = "lainnya", _("Lainnya")


class StatusPerkawinan(models.TextChoices):
    BELUM_KAWIN = "belum_kawin", _("Belum kawin")
    KAWIN = "kawin", _("Kawin")
    CERAI_HIDUP = "cerai_hidup", _("Cerai hidup")
    CERAI_MATI = "cerai_mati", _("Cerai mati")


class Pendidikan(models.TextChoices):
    TIDAK_SEKOLAH = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/sederajat")
    DIPLOMA = "diploma", _("Diploma")
    SARJANA = "sarjana", _("S1 ke atas")


class Disabilitas(models.TextChoices):
    TIDAK = "tidak", _("Tidak ada")
    FISIK = "fisik", _("Fisik")
    INTELEKTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORIK = "sensorik", _("Sensorik")
    GANDA = "ganda", _("Ganda/multi")


# -- Housing-condition indicators (the ones RTLH eligibility reads) -------------------------


class JenisLantai(models.TextChoices):
    TANAH = "tanah", _("Tanah")
    BAMBU = "bambu", _("Bambu")
    KAYU = "kayu", _("Kayu/papan kualitas rendah")
    SEMEN = "semen", _("Semen/plester")
    KERAMIK = "keramik", _("Keramik/ubin")


class JenisDinding(models.TextChoices):
    BAMBU = "bambu", _("Bambu/anyaman")
    KAYU = "kayu", _("Kayu/papan")
    TEMBOK_TANPA_PLESTER = "tembok_kasar", _("Tembok tanpa plester")
    TEMBOK = "tembok", _("Tembok diplester")


class JenisAtap(models.TextChoices):
    DAUN = "daun", _("Daun/rumbia/ijuk")
    SENG = "seng", _("Seng")
    ASBES = "asbes", _("Asbes")
    GENTENG = "genteng", _("Genteng")
    BETON = "beton", _("Beton")


class SumberAir(models.TextChoices):
    PDAM = "pdam", _("PDAM/ledeng")
    SUMUR_TERLINDUNG = "sumur_terlindung", _("Sumur terlindung/bor")
    SUMUR_TIDAK_TERLINDUNG = "sumur_tidak_terlindung", _("Sumur tidak terlindung")
    AIR_KEMASAN = "kemasan", _("Air kemasan/isi ulang")
    SUNGAI = "sungai", _("Sungai/mata air/hujan")


class Sanitasi(models.TextChoices):
    SENDIRI = "sendiri", _("Jamban sendiri")
    BERSAMA = "bersama", _("Jamban bersama/umum")
    TIDAK_ADA = "tidak_ada", _("Tidak ada jamban")


class Listrik(models.TextChoices):
    PLN_450 = "pln_450", _("PLN 450 VA")
    PLN_900 = "pln_900", _("PLN 900 VA")
    PLN_LEBIH = "pln_lebih", _("PLN di atas 900 VA")
    NON_PLN = "non_pln", _("Listrik non-PLN/menumpang")
    TIDAK_ADA = "tidak_ada", _("Tidak ada listrik")


class KepemilikanRumah(models.TextChoices):
    MILIK_SENDIRI = "milik_sendiri", _("Milik sendiri")
    SEWA = "sewa", _("Sewa/kontrak")
    MENUMPANG = "menumpang", _("Menumpang/bebas sewa")
    DINAS = "dinas", _("Rumah dinas")
    LAINNYA = "lainnya", _("Lainnya")


class StatusPmks(models.TextChoices):
    """Life of a PMKS record: proposed by the TKSK, verified or rejected by the Dinas, closed."""

    DIUSULKAN = "diusulkan", _("Diusulkan")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DITOLAK = "ditolak", _("Ditolak")
    DITUTUP = "ditutup", _("Ditutup")


class SasaranPmks(models.TextChoices):
    """Whether a PMKS category applies to a person or to a whole household."""

    PERSEORANGAN = "perseorangan", _("Perseorangan")
    KELUARGA = "keluarga", _("Keluarga")
    KEDUANYA = "keduanya", _("Perseorangan atau keluarga")


class Kebutuhan(models.TextChoices):
    """What a family says it needs most (recorded at a visit); a programme says which need it
    answers, so needs can be set beside quotas and aid received."""

    PANGAN = "pangan", _("Pangan / makanan")
    PERBAIKAN_RUMAH = "rumah", _("Perbaikan rumah")
    MODAL_USAHA = "modal_usaha", _("Modal usaha")
    TERNAK = "ternak", _("Ternak")
    KESEHATAN = "kesehatan", _("Kesehatan / jaminan kesehatan")
    PENDIDIKAN = "pendidikan", _("Sekolah anak")
    ALAT_BANTU = "alat_bantu", _("Alat bantu disabilitas")
    PEKERJAAN = "pekerjaan", _("Pekerjaan / pelatihan")
    DOKUMEN = "dokumen", _("Dokumen kependudukan (KTP, KK, akta)")
    LAINNYA = "lainnya", _("Lainnya")
