"""Models every app builds on: timestamps, the file log, and the file job (import or export)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def actor_field(verbose_name: Any, *, required: bool = False) -> Any:
    """Who did a step of a record (proposed, verified, decided, recorded it): a user kept for
    the record (PROTECT), empty until the step has happened unless ``required``."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
    )


def moment_field(verbose_name: Any) -> Any:
    """When a step of a record happened; empty until it has."""
    return models.DateTimeField(verbose_name, null=True, blank=True)


class TimeStampedModel(models.Model):
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        abstract = True


class LogBerkas(models.Model):
    """Who exported or imported what, when, with which filter or file, and how many rows
    (UU PDP asks for a record of processing personal data, including exports)."""

    class Jenis(models.TextChoices):
        EKSPOR = "ekspor", _("Ekspor")
        IMPOR = "impor", _("Impor")

    jenis = models.CharField(_("jenis"), max_length=6, choices=Jenis.choices)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="+"
    )
    waktu = models.DateTimeField(_("waktu"), auto_now_add=True)
    nama = models.CharField(_("laporan / berkas"), max_length=200)
    format = models.CharField(_("format"), max_length=10)
    saringan = models.JSONField(_("saringan / opsi"), default=dict, blank=True)
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    jumlah_galat = models.PositiveIntegerField(_("baris galat"), default=0)
    wilayah = models.CharField(_("wilayah pengguna"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("log ekspor/impor")
        verbose_name_plural = _("log ekspor/impor")
        ordering = ["-waktu"]
        indexes = [
            models.Index(fields=["-waktu"], name="inti_logberkas_waktu_idx"),
            models.Index(fields=["pengguna", "-waktu"], name="inti_logberkas_pengguna_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nama} oleh {self.pengguna} {self.waktu:%d/%m/%Y %H:%M}"


class BerkasKerja(models.Model):
    """A file job: a spreadsheet uploaded for import, or a report written for download, by one
    user, worked on in the background with recorded progress.

    The file holds personal data: only its owner may see the job (``milik``), and
    ``hapus_berkas_lama`` deletes files older than BERKAS_SIMPAN_HARI days (the job and its
    summary stay). Subclasses declare their ``Status`` with at least ANTRE, DIPROSES and GAGAL.
    """

    BERJALAN = ("antre", "diproses")  # the states in which a worker owns the job

    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    total_baris = models.PositiveIntegerField(default=0)
    baris_selesai = models.PositiveIntegerField(default=0)

    # Each kind of job declares these again, with its own statuses and file place.
    status = models.CharField(max_length=10)
    berkas = models.FileField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-dibuat_pada"]

    @property
    def progres(self) -> int:
        if not self.total_baris:
            return 0
        return min(100, round(100 * self.baris_selesai / self.total_baris))

    @property
    def berjalan(self) -> bool:
        return self.status in self.BERJALAN

    def path_berkas(self) -> Path | None:
        """The job's file on disk, or None once it has been deleted (or was never written)."""
        return Path(self.berkas.path) if self.berkas else None

    def berkas_terkait(self) -> list[Path]:
        """Every file of the job: its own and the ones next to it that share its (server-made,
        unique) name, such as an import's cached parse and rejected rows."""
        path = self.path_berkas()
        if path is None:
            return []
        return [path, *path.parent.glob(path.name + ".*")]

    def setelah_berkas_dihapus(self) -> list[str]:
        """Called when retention deleted the files; returns further fields it changed."""
        return []


class AturanPemisahan(models.TextChoices):
    """Separation of duties: each rule names two steps one person may not both take."""

    PMKS_VERIFIKASI = (
        "pmks_verifikasi",
        _("pencatat atau pengoreksi catatan PMKS tidak boleh memverifikasi atau menolaknya"),
    )
    DAFTAR_VERIFIKASI = "daftar_verifikasi", _("pengaju daftar penerima tidak boleh memverifikasinya")
    DAFTAR_SETUJU_PENGAJU = "daftar_setuju_pengaju", _("pengaju daftar penerima tidak boleh menyetujuinya")
    DAFTAR_SETUJU_VERIFIKATOR = (
        "daftar_setuju_verifikator",
        _("verifikator daftar penerima tidak boleh menyetujuinya"),
    )
    AMANDEMEN = "amandemen", _("pengusul amandemen daftar tidak boleh menyetujuinya")
    PENYALURAN = "penyaluran", _("penyetuju daftar penerima tidak boleh mencatat penyalurannya")


class PengecualianPemisahan(models.Model):
    """An office with too few staff may let one person take both steps of a rule: an explicit
    setting per rule, off unless an administrator turns it on with a reason; every action it
    allows is written to ``LogPengecualian``."""

    aturan = models.CharField(_("aturan"), max_length=30, choices=AturanPemisahan.choices, unique=True)
    aktif = models.BooleanField(_("pengecualian berlaku"), default=False)
    alasan = models.TextField(_("alasan (mis. jumlah staf)"))
    diubah_oleh = actor_field(_("diubah oleh"))
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("riwayat pengecualian"))

    class Meta:
        verbose_name = _("pengecualian pemisahan tugas")
        verbose_name_plural = _("pengecualian pemisahan tugas")
        ordering = ["aturan"]

    def __str__(self) -> str:
        status = _("berlaku") if self.aktif else _("tidak berlaku")
        return f"{self.get_aturan_display()} ({status})"


class LogPengecualian(models.Model):
    """One action one person took on both sides of a rule, allowed by an exception."""

    aturan = models.CharField(_("aturan"), max_length=30, choices=AturanPemisahan.choices)
    pengguna = actor_field(_("pengguna"), required=True)
    objek = models.CharField(_("objek"), max_length=200)
    waktu = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("log pengecualian pemisahan tugas")
        verbose_name_plural = _("log pengecualian pemisahan tugas")
        ordering = ["-waktu"]

    def __str__(self) -> str:
        return f"{self.get_aturan_display()}: {self.pengguna} – {self.objek}"
