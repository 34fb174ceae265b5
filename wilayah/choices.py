from django.db import models
from django.utils.translation import gettext_lazy as _


class Tingkat(models.TextChoices):
    """Level of a region in the Kemendagri hierarchy; the code has one more part per level."""

    PROVINSI = "provinsi", _("Provinsi")
    KOTA = "kota", _("Kota")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")


# Number of dot-separated parts in a code at each level: 35 / 35.74 / 35.74.04 / 35.74.04.1003
PARTS_BY_TINGKAT: dict[str, int] = {
    Tingkat.PROVINSI: 1,
    Tingkat.KOTA: 2,
    Tingkat.KABUPATEN: 2,
    Tingkat.KECAMATAN: 3,
    Tingkat.KELURAHAN: 4,
    Tingkat.DESA: 4,
}

# Province codes in use (Kemendagri, including the Papua provinces created in 2022), used only
# to warn about an implausible NIK; a new province is a one-line change here.
KODE_PROVINSI = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 "
    "71 72 73 74 75 76 81 82 91 92 93 94 95 96 97".split()
)
