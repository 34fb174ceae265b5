"""TKSK work: the PSKS inventory, accompaniment activities (pendampingan) and monthly reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inti.models import TimeStampedModel, actor_field, moment_field
from inti.scoping import ScopedQuerySet
from inti.uploads import validate_photo
from pmks.choices import Kebutuhan
from tksk import choices

USER = settings.AUTH_USER_MODEL


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


class Psks(TimeStampedModel):
    """A social-welfare resource in the area (a Karang Taruna, an LKS, a PSM volunteer, …)."""

    jenis = models.ForeignKey(JenisPsks, verbose_name=_("jenis PSKS"), on_delete=models.PROTECT)
    nama = models.CharField(_("nama"), max_length=150)
    kelurahan = models.ForeignKey(
        "wilayah.Wilayah",
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat__in": ["kelurahan", "desa"]},
        related_name="+",
    )
    alamat = models.CharField(_("alamat"), max_length=200, blank=True)
    kontak = models.CharField(_("narahubung"), max_length=150, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    keterangan = models.TextField(_("keterangan / layanan"), blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    dicatat_oleh = actor_field(_("dicatat oleh"), required=True)
    history = HistoricalRecords(verbose_name=_("riwayat PSKS"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("PSKS")
        verbose_name_plural = _("PSKS")
        ordering = ["jenis__nomor", "nama"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.jenis.singkatan or self.jenis.nama})"


class KegiatanQuerySet(ScopedQuerySet):
    def tindak_lanjut_terbuka(self):
        return self.filter(tindak_lanjut_tanggal__isnull=False, tindak_lanjut_selesai=False)

    def rujukan_tanpa_hasil(self):
        return self.filter(jenis=choices.JenisKegiatan.RUJUKAN, rujukan_hasil=choices.HasilRujukan.MENUNGGU)


class Kegiatan(TimeStampedModel):
    """One accompaniment activity: who was reached, what was done, what comes next."""

    jenis = models.CharField(_("jenis kegiatan"), max_length=20, choices=choices.JenisKegiatan.choices)
    tanggal = models.DateField(_("tanggal"))
    kecamatan = models.ForeignKey(
        "wilayah.Wilayah",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat": "kecamatan"},
        related_name="+",
        help_text=_("Wilayah kegiatan; catatan tetap milik wilayah walau TKSK berganti."),
    )
    keluarga = models.ManyToManyField(
        "pmks.Keluarga", verbose_name=_("keluarga"), blank=True, related_name="kegiatan"
    )
    anggota = models.ManyToManyField(
        "pmks.AnggotaKeluarga", verbose_name=_("orang"), blank=True, related_name="kegiatan"
    )
    psks = models.ManyToManyField(
        Psks, verbose_name=_("PSKS yang dilibatkan"), blank=True, related_name="kegiatan"
    )
    uraian = models.TextField(_("uraian kegiatan"))
    hasil = models.TextField(_("hasil"), blank=True)
    kebutuhan = models.CharField(
        _("kebutuhan utama keluarga"),
        max_length=12,
        choices=Kebutuhan.choices,
        blank=True,
        help_text=_("Yang paling dibutuhkan menurut keluarga sendiri (kunjungan satu keluarga)."),
    )
    menonjol = models.BooleanField(_("kasus menonjol (masuk laporan bulanan)"), default=False)
    foto = models.ImageField(_("foto"), upload_to="kegiatan/%Y/%m/", blank=True, validators=[validate_photo])
    tindak_lanjut_tanggal = models.DateField(_("tanggal tindak lanjut"), null=True, blank=True)
    tindak_lanjut_rencana = models.CharField(_("rencana tindak lanjut"), max_length=200, blank=True)
    tindak_lanjut_selesai = models.BooleanField(_("tindak lanjut selesai"), default=False)
    # Referral (jenis = rujukan)
    rujukan_tujuan = models.CharField(
        _("tujuan rujukan"), max_length=16, choices=choices.TujuanRujukan.choices, blank=True
    )
    rujukan_tempat = models.CharField(_("lembaga / tempat rujukan"), max_length=150, blank=True)
    rujukan_hasil = models.CharField(
        _("hasil rujukan"), max_length=14, choices=choices.HasilRujukan.choices, blank=True
    )
    rujukan_hasil_tanggal = models.DateField(_("tanggal hasil rujukan"), null=True, blank=True)
    rujukan_hasil_catatan = models.CharField(_("catatan hasil rujukan"), max_length=300, blank=True)
    petugas = actor_field(_("petugas"), required=True)
    history = HistoricalRecords(verbose_name=_("riwayat kegiatan"), m2m_fields=[keluarga, anggota, psks])

    objects = KegiatanQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        verbose_name = _("kegiatan pendampingan")
        verbose_name_plural = _("kegiatan pendampingan")
        ordering = ["-tanggal", "-pk"]
        indexes = [
            models.Index(fields=["kecamatan", "tanggal"]),
            models.Index(fields=["tindak_lanjut_tanggal"]),
        ]
        permissions = [("view_beban_kerja", _("Dapat melihat beban kerja TKSK per kecamatan"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(tindak_lanjut_tanggal__isnull=True)
                | Q(tindak_lanjut_tanggal__gte=models.F("tanggal")),
                name="tindak_lanjut_tidak_sebelum_kegiatan",
                violation_error_message=_("Tanggal tindak lanjut tidak boleh sebelum tanggal kegiatan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tanggal:%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.tanggal and self.tanggal > timezone.localdate():
            errors["tanggal"] = _("Tanggal kegiatan tidak boleh di masa depan.")
        if self.tanggal and self.tindak_lanjut_tanggal and self.tindak_lanjut_tanggal < self.tanggal:
            errors["tindak_lanjut_tanggal"] = _("Tanggal tindak lanjut tidak boleh sebelum tanggal kegiatan.")
        if self.jenis == choices.JenisKegiatan.RUJUKAN:
            if not self.rujukan_tujuan:
                errors["rujukan_tujuan"] = _("Pilih tujuan rujukan.")
            if not self.rujukan_hasil:
                self.rujukan_hasil = choices.HasilRujukan.MENUNGGU
        if errors:
            raise ValidationError(errors)


class LaporanBulanan(TimeStampedModel):
    """A TKSK's monthly report for a kecamatan: generated from the month's recorded work,
    reviewed and remarked by the TKSK, accepted or returned by the Dinas Sosial."""

    kecamatan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    bulan = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan laporan."))
    tksk = actor_field(_("TKSK"), required=True)
    status = models.CharField(
        _("status"), max_length=14, choices=choices.StatusLaporan.choices, default=choices.StatusLaporan.DRAF
    )
    ringkasan = models.JSONField(_("ringkasan saat diajukan"), default=dict, blank=True)
    catatan_tksk = models.TextField(_("catatan TKSK"), blank=True)
    diajukan_pada = moment_field(_("diajukan pada"))
    diputuskan_oleh = actor_field(_("diputuskan oleh"))
    diputuskan_pada = moment_field(_("diputuskan pada"))
    komentar_dinas = models.TextField(_("komentar Dinas Sosial"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat laporan bulanan"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-bulan", "kecamatan_id"]
        permissions = [("review_laporanbulanan", _("Dapat menerima atau mengembalikan laporan bulanan"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "bulan"],
                name="satu_laporan_per_kecamatan_per_bulan",
                violation_error_message=_("Laporan bulan ini untuk kecamatan ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        return _("Laporan %(k)s %(b)s") % {"k": self.kecamatan.nama.title(), "b": f"{self.bulan:%m/%Y}"}
