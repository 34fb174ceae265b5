import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def upload_path(instance: "ImporBerkas", filename: str) -> str:
    """A server-made name: no upload can collide with, or plant a file next to, another's."""
    suffix = PurePath(filename).suffix.lower()
    return f"impor/{uuid.uuid4().hex}{suffix if suffix in ('.xlsx', '.csv') else '.dat'}"


class ImporBerkas(models.Model):
    """An uploaded people file between its check (preview) and its import."""

    class Status(models.TextChoices):
        ANTRE = "antre", _("Menunggu giliran")
        DIPROSES = "diproses", _("Sedang diproses")
        DIPERIKSA = "diperiksa", _("Sudah diperiksa (pratinjau)")
        DIIMPOR = "diimpor", _("Sudah diimpor")
        GAGAL = "gagal", _("Tidak diimpor")

    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    nama_berkas = models.CharField(max_length=200)
    berkas = models.FileField(upload_to=upload_path)
    sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=10)
    duplikat = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIPERIKSA)
    hasil = models.JSONField(default=dict, blank=True)
    total_baris = models.PositiveIntegerField(default=0)
    baris_selesai = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.nama_berkas} ({self.get_status_display()})"

    @property
    def progres(self) -> int:
        if not self.total_baris:
            return 0
        return min(100, round(100 * self.baris_selesai / self.total_baris))

    @property
    def berjalan(self) -> bool:
        return self.status in (self.Status.ANTRE, self.Status.DIPROSES)
