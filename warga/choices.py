from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisAduan(models.TextChoices):
    USUL = "usul", _("Usul")
    SANGGAH = "sanggah", _("Sanggah")


class StatusAduan(models.TextChoices):
    DITERIMA = "diterima", _("Diterima")
    DIPERIKSA = "diperiksa", _("Sedang diperiksa")
    DIJAWAB = "dijawab", _("Dijawab")


class HasilAduan(models.TextChoices):
    """What an answered item changed: every outcome links to the change or says why there is none."""

    USULAN = "usulan", _("Usulan bantuan dibuat")
    AMANDEMEN = "amandemen", _("Amandemen daftar diajukan")
    TIDAK_ADA = "tidak_ada", _("Tidak ada perubahan")


TERBUKA = (StatusAduan.DITERIMA, StatusAduan.DIPERIKSA)
