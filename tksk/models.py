from django.db import models
from django.utils.translation import gettext_lazy as _


class JenisPsks(models.Model):
    """A type of social-welfare potential or resource (PSKS, Permensos No. 8/2012).

    Reference data; the TKSK's inventory of actual resources builds on it.
    """

    nomor = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    nama = models.CharField(_("nama"), max_length=150, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=12, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis PSKS")
        verbose_name_plural = _("jenis PSKS")
        ordering = ["nomor"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.singkatan})" if self.singkatan else self.nama
