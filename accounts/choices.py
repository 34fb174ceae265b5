from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisPenugasan(models.TextChoices):
    """What an assignment makes of the user in that region; each kind fits one region level."""

    TKSK = "tksk", _("TKSK (kecamatan)")
    KELURAHAN = "kelurahan", _("Petugas kelurahan")
    DINAS = "dinas", _("Staf Dinas Sosial (kota)")
