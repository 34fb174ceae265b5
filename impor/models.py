import uuid
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inti.models import BerkasKerja


def upload_path(instance: "ImporBerkas", filename: str) -> str:
    """A server-made name: no upload can collide with, or plant a file next to, another's."""
    suffix = PurePath(filename).suffix.lower()
    return f"impor/{uuid.uuid4().hex}{suffix if suffix in ('.xlsx', '.csv') else '.dat'}"


class ModeImpor(models.TextChoices):
    """What to do when some rows are wrong."""

    SEMUA = "semua", gettext_lazy("Jangan simpan apa pun (semua atau tidak sama sekali)")
    SEBAGIAN = "sebagian", gettext_lazy("Simpan keluarga yang benar; unduh baris yang ditolak")


class DuplikatImpor(models.TextChoices):
    """What to do with a No. KK or NIK that is already registered."""

    TOLAK = "tolak", gettext_lazy("Tolak sebagai galat")
    PERBARUI = "perbarui", gettext_lazy("Perbarui data yang sudah ada (di wilayah Anda)")
    LEWATI = "lewati", gettext_lazy("Lewati keluarga itu")


class JenisImpor(models.TextChoices):
    """What a file holds; each kind has its own columns and rules (impor.jobs.LANGKAH)."""

    PENDUDUK = "penduduk", gettext_lazy("Impor penduduk")
    EKSTRAK = "ekstrak", gettext_lazy("Impor penerima bantuan luar")
    DESIL = "desil", gettext_lazy("Impor desil DTSEN")


class ImporBerkas(BerkasKerja):
    """An uploaded file between its check (preview) and its import."""

    class Status(models.TextChoices):
        ANTRE = "antre", gettext_lazy("Menunggu giliran")
        DIPROSES = "diproses", gettext_lazy("Sedang diproses")
        DIPERIKSA = "diperiksa", gettext_lazy("Sudah diperiksa (pratinjau)")
        DIIMPOR = "diimpor", gettext_lazy("Sudah diimpor")
        GAGAL = "gagal", gettext_lazy("Tidak diimpor")

    jenis = models.CharField(max_length=10, choices=JenisImpor.choices, default=JenisImpor.PENDUDUK)
    nama_berkas = models.CharField(max_length=200)
    berkas = models.FileField(upload_to=upload_path)
    sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=10, choices=ModeImpor.choices)
    duplikat = models.CharField(max_length=10, choices=DuplikatImpor.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIPERIKSA)
    hasil = models.JSONField(default=dict, blank=True)

    class Meta(BerkasKerja.Meta):
        verbose_name = gettext_lazy("impor berkas")
        verbose_name_plural = gettext_lazy("impor berkas")

    def __str__(self) -> str:
        return f"{self.nama_berkas} ({self.get_status_display()})"

    def setelah_berkas_dihapus(self) -> list[str]:
        if self.status != self.Status.DIPERIKSA:
            return []
        self.status = self.Status.GAGAL
        message = _("Berkas sudah dihapus karena lama tidak diimpor; unggah ulang.")
        self.hasil = {**self.hasil, "pesan": [message]}
        return ["status", "hasil"]
