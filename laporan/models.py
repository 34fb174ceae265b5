import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from inti.models import BerkasKerja


def export_path(instance: "EksporBerkas", filename: str) -> str:
    return f"ekspor/{uuid.uuid4().hex}-{filename}"


class EksporBerkas(BerkasKerja):
    """A large report written in the background; its file is served to its owner only."""

    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu giliran")
        DIPROSES = "diproses", _("Sedang dibuat")
        SELESAI = "selesai", _("Siap diunduh")
        GAGAL = "gagal", _("Gagal")

    kode = models.CharField(max_length=30)
    nama = models.CharField(max_length=200)
    format = models.CharField(max_length=5)
    saringan = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTRE)
    berkas = models.FileField(upload_to=export_path, blank=True)

    class Meta(BerkasKerja.Meta):
        verbose_name = _("ekspor berkas")
        verbose_name_plural = _("ekspor berkas")

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_status_display()})"
