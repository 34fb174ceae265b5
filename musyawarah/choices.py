from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusMusyawarah(models.TextChoices):
    DIJADWALKAN = "dijadwalkan", _("Dijadwalkan")
    SELESAI = "selesai", _("Selesai")


class PeranPeserta(models.TextChoices):
    LURAH = "lurah", _("Lurah / perangkat kelurahan")
    RT = "rt", _("Ketua RT")
    RW = "rw", _("Ketua RW")
    PSM = "psm", _("PSM")
    TKSK = "tksk", _("TKSK")
    TOKOH = "tokoh_masyarakat", _("Tokoh masyarakat")
    LAINNYA = "lainnya", _("Lainnya")


class KeputusanKeluarga(models.TextChoices):
    DIUSULKAN = "diusulkan", _("Diusulkan")
    DICORET = "dicoret", _("Dicoret")
