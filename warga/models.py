"""Citizens' proposals and objections (aduan: usul / sanggah), the published lists they start
from, and the small records that keep the public pages safe (throttle counts, used questions)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inti.models import TimeStampedModel, actor_field, moment_field
from inti.scoping import ScopedQuerySet
from warga.choices import TERBUKA, HasilAduan, JenisAduan, StatusAduan

# Lengths of what citizens type: enough for a real answer, too little for a dumped document.
MAKS_NAMA = 150
MAKS_ALAMAT = 200
MAKS_ALASAN = 2000
MAKS_KONTAK = 30
# ASCII digits only: the registry's own validators use \d, which also takes other scripts' digits.
RT_RW = RegexValidator(r"^[0-9]{1,3}\Z", _("Isi RT/RW dengan angka 0–9, mis. 003."))


class Publikasi(models.Model):
    """An approved list published for one kelurahan (page and printable notice). Publishing
    again after a withdrawal makes a new row, so the table is the log of every publish and
    unpublish, with who and when (and simple_history keeps each change)."""

    kode = models.CharField(_("kode publik"), max_length=16, unique=True)
    daftar = models.ForeignKey(
        "bantuan.DaftarPenerima", verbose_name=_("daftar"), on_delete=models.PROTECT, related_name="+"
    )
    kelurahan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    diterbitkan_oleh = actor_field(_("diterbitkan oleh"), required=True)
    diterbitkan_pada = models.DateTimeField(_("diterbitkan pada"), default=timezone.now)
    ditarik_oleh = actor_field(_("ditarik oleh"))
    ditarik_pada = moment_field(_("ditarik pada"))
    alasan_tarik = models.TextField(_("alasan penarikan"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat publikasi"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("publikasi daftar penerima")
        verbose_name_plural = _("publikasi daftar penerima")
        ordering = ["-diterbitkan_pada", "-pk"]
        permissions = [("publish_publikasi", _("Dapat menerbitkan dan menarik publikasi daftar penerima"))]
        constraints = [
            models.UniqueConstraint(
                fields=["daftar", "kelurahan"],
                condition=Q(ditarik_pada__isnull=True),
                name="publikasi_satu_aktif_per_kelurahan",
                violation_error_message=_("Daftar ini sudah diterbitkan untuk kelurahan tersebut."),
            )
        ]

    def __str__(self) -> str:
        return _("Publikasi %(d)s – %(k)s") % {"d": self.daftar, "k": self.kelurahan}

    @property
    def aktif(self) -> bool:
        return self.ditarik_pada is None


class Aduan(TimeStampedModel):
    """A citizen's usul (propose a family) or sanggah (object to an approved recipient), routed
    to the TKSK of the kecamatan and answered within the programme's deadline."""

    kode = models.CharField(_("kode tiket"), max_length=20, unique=True)
    jenis = models.CharField(_("jenis"), max_length=8, choices=JenisAduan.choices)
    kelurahan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    # Sanggah: the approved, active entry objected to, and the publication it was reached from.
    entri = models.ForeignKey(
        "bantuan.EntriDaftar",
        verbose_name=_("penerima yang disanggah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    publikasi = models.ForeignKey(
        Publikasi,
        verbose_name=_("publikasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Usul: the family proposed.
    nama_keluarga = models.CharField(_("nama keluarga / kepala keluarga"), max_length=MAKS_NAMA, blank=True)
    alamat = models.CharField(_("alamat"), max_length=MAKS_ALAMAT, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[RT_RW])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[RT_RW])
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    no_kk = models.CharField(_("No. KK"), max_length=16, blank=True)
    program = models.ForeignKey(
        "bantuan.ProgramBantuan",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alasan = models.TextField(_("alasan"), max_length=MAKS_ALASAN)
    # The filer's contact: personal data, shown to the staff handling the item only.
    nama_pelapor = models.CharField(_("nama pelapor"), max_length=MAKS_NAMA, blank=True)
    kontak_pelapor = models.CharField(_("telepon pelapor"), max_length=MAKS_KONTAK, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=StatusAduan.choices, default=StatusAduan.DITERIMA
    )
    tenggat = models.DateField(_("tenggat jawaban"))
    ditugaskan_ke = actor_field(_("ditugaskan ke"))
    diperiksa_oleh = actor_field(_("diperiksa oleh"))
    diperiksa_pada = moment_field(_("mulai diperiksa pada"))
    jawaban = models.TextField(_("jawaban"), max_length=MAKS_ALASAN, blank=True)
    dijawab_oleh = actor_field(_("dijawab oleh"))
    dijawab_pada = moment_field(_("dijawab pada"))
    hasil = models.CharField(_("hasil"), max_length=10, choices=HasilAduan.choices, blank=True)
    hasil_usulan = models.ForeignKey(
        "bantuan.Usulan",
        verbose_name=_("usulan yang dibuat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hasil_amandemen = models.ForeignKey(
        "bantuan.AmandemenDaftar",
        verbose_name=_("amandemen yang diajukan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    keterangan_hasil = models.TextField(_("mengapa tidak ada perubahan"), max_length=MAKS_ALASAN, blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat usul/sanggah"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("usul/sanggah warga")
        verbose_name_plural = _("usul/sanggah warga")
        ordering = ["tenggat", "pk"]
        permissions = [
            ("view_ringkasan_aduan", _("Dapat melihat ringkasan usul dan sanggah per kecamatan")),
        ]
        indexes = [
            models.Index(fields=["status", "tenggat"], name="aduan_status_tenggat"),
            models.Index(fields=["ditugaskan_ke", "status"], name="aduan_ditugaskan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis="usul") | Q(entri__isnull=False),
                name="aduan_sanggah_punya_entri",
                violation_error_message=_("Sanggah harus menyebut penerima yang disanggah."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} ({self.get_jenis_display()}, {self.get_status_display()})"

    @property
    def terbuka(self) -> bool:
        return self.status in TERBUKA

    def terlambat(self, hari_ini: datetime.date | None = None) -> bool:
        return self.terbuka and self.tenggat < (hari_ini or timezone.localdate())

    def clean(self) -> None:
        if (
            self.kelurahan_id
            and self.kecamatan_id
            and not self.kelurahan_id.startswith(self.kecamatan_id + ".")
        ):
            raise ValidationError({"kecamatan": _("Kecamatan tidak sesuai dengan kelurahan.")})
        if self.jenis == JenisAduan.USUL and not self.nama_keluarga.strip():
            raise ValidationError({"nama_keluarga": _("Nama keluarga yang diusulkan wajib diisi.")})
        if self.status != StatusAduan.DIJAWAB:
            return
        if not self.jawaban.strip():
            raise ValidationError({"jawaban": _("Jawaban tertulis wajib diisi.")})
        if self.hasil == HasilAduan.USULAN and self.hasil_usulan_id is None:
            raise ValidationError({"hasil_usulan": _("Pilih usulan yang dibuat.")})
        if self.hasil == HasilAduan.AMANDEMEN and self.hasil_amandemen_id is None:
            raise ValidationError({"hasil_amandemen": _("Pilih amandemen yang diajukan.")})
        if self.hasil == HasilAduan.TIDAK_ADA and not self.keterangan_hasil.strip():
            raise ValidationError({"keterangan_hasil": _("Jelaskan mengapa tidak ada perubahan.")})
        if not self.hasil:
            raise ValidationError({"hasil": _("Pilih hasil tindak lanjut.")})


class Batasan(models.Model):
    """Attempts per key and time window, in the database so every process counts the same. The
    key is an HMAC (with SECRET_KEY) of the action and the IP address or NIK: the table holds no
    personal data. Rows older than two days are deleted as new ones are counted."""

    kunci = models.CharField(max_length=64)
    jendela = models.DateTimeField()
    jumlah = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("batasan percobaan")
        verbose_name_plural = _("batasan percobaan")
        constraints = [models.UniqueConstraint(fields=["kunci", "jendela"], name="batasan_unik")]
        indexes = [models.Index(fields=["jendela"], name="batasan_jendela")]

    def __str__(self) -> str:
        return f"{self.kunci[:8]}… {self.jendela:%d/%m %H:%M}: {self.jumlah}"


class SoalTerpakai(models.Model):
    """A human-check question already answered: each question is good for one submission."""

    nonce = models.CharField(max_length=32, unique=True)
    pada = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("soal terpakai")
        verbose_name_plural = _("soal terpakai")

    def __str__(self) -> str:
        return self.nonce
