import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def export_path(instance: "EksporBerkas", filename: str) -> str:
    return f"ekspor/{uuid.uuid4().hex}-{filename}"


class EksporBerkas(models.Model):
    """A large report written in the background; its file is served to its owner only."""

    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu giliran")
        DIPROSES = "diproses", _("Sedang dibuat")
        SELESAI = "selesai", _("Siap diunduh")
        GAGAL = "gagal", _("Gagal")

    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    kode = models.CharField(max_length=30)
    nama = models.CharField(max_length=200)
    format = models.CharField(max_length=5)
    saringan = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTRE)
    total_baris = models.PositiveIntegerField(default=0)
    baris_selesai = models.PositiveIntegerField(default=0)
    berkas = models.FileField(upload_to=export_path, blank=True)

    class Meta:
        verbose_name = _("ekspor berkas")
        verbose_name_plural = _("ekspor berkas")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_status_display()})"

    @property
    def progres(self) -> int:
        return min(100, round(100 * self.baris_selesai / self.total_baris)) if self.total_baris else 0

    @property
    def berjalan(self) -> bool:
        return self.status in (self.Status.ANTRE, self.Status.DIPROSES)
