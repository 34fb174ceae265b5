from __future__ import annotations

import itertools
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inti.models import TimeStampedModel, actor_field, moment_field
from inti.scoping import ScopedQuerySet
from pmks import choices
from pmks.identitas import person_errors, validate_nik, validate_no_kk

# The refusal of a NIK or No. KK registered anywhere in the city, on paths that cannot say more
# (the screens name the household when it is in the user's area: pmks.forms).
SUDAH_TERDAFTAR = _("%(field_label)s ini sudah terdaftar; hubungi Dinas Sosial bila bukan di wilayah Anda.")
RT_RW = RegexValidator(r"^\d{1,3}$", _("Isi dengan angka, mis. 003."))


class KategoriPmks(models.Model):
    """One of the 26 PMKS categories of Permensos No. 8/2012 (reference data, editable)."""

    nomor = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    nama = models.CharField(_("nama"), max_length=150, unique=True)
    singkatan = models.CharField(
        _("singkatan"), max_length=12, blank=True, help_text=_("Sebagian singkatan adalah kebiasaan lokal.")
    )
    sasaran = models.CharField(
        _("sasaran"),
        max_length=12,
        choices=choices.SasaranPmks.choices,
        default=choices.SasaranPmks.PERSEORANGAN,
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    keterangan = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("kategori PMKS")
        verbose_name_plural = _("kategori PMKS")
        ordering = ["nomor"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.singkatan})" if self.singkatan else self.nama


class Keluarga(TimeStampedModel):
    """A household on one Kartu Keluarga, with its address and housing condition."""

    no_kk = models.CharField(
        _("No. KK"),
        max_length=16,
        unique=True,
        validators=[validate_no_kk],
        error_messages={"unique": SUDAH_TERDAFTAR},
    )
    kelurahan = models.ForeignKey(
        "wilayah.Wilayah",
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        related_name="keluarga",
        limit_choices_to={"tingkat__in": ["kelurahan", "desa"]},
    )
    alamat = models.CharField(_("alamat"), max_length=200)
    rt = models.CharField(_("RT"), max_length=3, validators=[RT_RW])
    rw = models.CharField(_("RW"), max_length=3, validators=[RT_RW])
    # Housing condition: the indicators RTLH eligibility reads.
    jenis_lantai = models.CharField(
        _("lantai"), max_length=12, choices=choices.JenisLantai.choices, blank=True
    )
    jenis_dinding = models.CharField(
        _("dinding"), max_length=12, choices=choices.JenisDinding.choices, blank=True
    )
    jenis_atap = models.CharField(_("atap"), max_length=12, choices=choices.JenisAtap.choices, blank=True)
    luas_lantai = models.DecimalField(
        _("luas lantai (m²)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    sumber_air = models.CharField(
        _("sumber air minum"), max_length=24, choices=choices.SumberAir.choices, blank=True
    )
    sanitasi = models.CharField(_("sanitasi"), max_length=12, choices=choices.Sanitasi.choices, blank=True)
    listrik = models.CharField(_("listrik"), max_length=12, choices=choices.Listrik.choices, blank=True)
    kepemilikan_rumah = models.CharField(
        _("status rumah"), max_length=16, choices=choices.KepemilikanRumah.choices, blank=True
    )
    penghasilan_bulanan = models.PositiveIntegerField(_("penghasilan per bulan (Rp)"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("riwayat keluarga"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        ordering = ["-dibuat_pada"]
        indexes = [models.Index(fields=["kelurahan", "rw", "rt"])]

    def __str__(self) -> str:
        return f"KK {self.no_kk}"

    def sebutan(self) -> str:
        """The family as a worker recognises it: the head's name, then the No. KK."""
        kepala = self.anggota.filter(hubungan=choices.Hubungan.KEPALA).values_list("nama", flat=True).first()
        return f"{kepala} (KK {self.no_kk})" if kepala else f"KK {self.no_kk}"

    @property
    def luas_per_orang(self):
        jumlah = self.anggota.count()
        if self.luas_lantai is None or not jumlah:
            return None
        return self.luas_lantai / jumlah


class AnggotaKeluarga(TimeStampedModel):
    """A person (penduduk) on a household's KK, identified city-wide by NIK."""

    keluarga = models.ForeignKey(
        Keluarga, verbose_name=_("keluarga"), on_delete=models.CASCADE, related_name="anggota"
    )
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        validators=[validate_nik],
        error_messages={"unique": SUDAH_TERDAFTAR},
    )
    nama = models.CharField(_("nama lengkap"), max_length=150)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100)
    tanggal_lahir = models.DateField(_("tanggal lahir"))
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=choices.JenisKelamin.choices)
    hubungan = models.CharField(
        _("hubungan dengan kepala keluarga"), max_length=12, choices=choices.Hubungan.choices
    )
    status_perkawinan = models.CharField(
        _("status perkawinan"), max_length=12, choices=choices.StatusPerkawinan.choices
    )
    pendidikan = models.CharField(
        _("pendidikan"), max_length=14, choices=choices.Pendidikan.choices, blank=True
    )
    pekerjaan = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    disabilitas = models.CharField(
        _("disabilitas"),
        max_length=12,
        choices=choices.Disabilitas.choices,
        default=choices.Disabilitas.TIDAK,
    )
    history = HistoricalRecords(verbose_name=_("riwayat anggota keluarga"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        ordering = ["keluarga", "tanggal_lahir"]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=Q(hubungan=choices.Hubungan.KEPALA),
                name="satu_kepala_per_keluarga",
                violation_error_message=_("Satu keluarga hanya boleh memiliki satu kepala keluarga."),
            )
        ]
        indexes = [models.Index(fields=["nama"])]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nik})"

    def clean(self) -> None:
        errors = person_errors(self.nik, self.tanggal_lahir, self.jenis_kelamin, timezone.localdate())
        if errors:
            raise ValidationError(errors)
        # A PMKS record names the person and their household together (what was verified):
        # moving the person would leave it naming a KK they no longer belong to.
        if (
            self.pk
            and CatatanPmks.objects.open()
            .filter(anggota_id=self.pk)
            .exclude(keluarga_id=self.keluarga_id)
            .exists()
        ):
            raise ValidationError(
                {
                    "keluarga": _(
                        "%(nama)s memiliki catatan PMKS pada KK asalnya dan tidak dapat dipindahkan; "
                        "tutup catatannya dengan alasan, pindahkan, lalu catat ulang pada KK baru."
                    )
                    % {"nama": self.nama}
                }
            )

    @property
    def umur(self) -> int:
        today = timezone.localdate()
        born = self.tanggal_lahir
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class CatatanPmksQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=[choices.StatusPmks.DIUSULKAN, choices.StatusPmks.TERVERIFIKASI])


class CatatanPmks(TimeStampedModel):
    """A PMKS condition held by a household, or by one of its members, with its verification."""

    # PROTECT: deleting a person or household must never erase their PMKS history silently.
    keluarga = models.ForeignKey(
        Keluarga, verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="catatan_pmks"
    )
    anggota = models.ForeignKey(
        AnggotaKeluarga,
        verbose_name=_("anggota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catatan_pmks",
        help_text=_("Kosongkan bila kondisi berlaku untuk seluruh keluarga."),
    )
    kategori = models.ForeignKey(KategoriPmks, verbose_name=_("kategori PMKS"), on_delete=models.PROTECT)
    tanggal_identifikasi = models.DateField(_("tanggal identifikasi"))
    diidentifikasi_oleh = actor_field(_("diidentifikasi oleh"), required=True)
    bukti = models.TextField(
        _("keterangan bukti"), help_text=_("Mis. hasil kunjungan, surat keterangan, foto.")
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=choices.StatusPmks.choices,
        default=choices.StatusPmks.DIUSULKAN,
    )
    diverifikasi_oleh = actor_field(_("diverifikasi oleh"))
    diverifikasi_pada = moment_field(_("diverifikasi pada"))
    catatan_verifikasi = models.TextField(_("catatan verifikasi"), blank=True)
    ditutup_oleh = actor_field(_("ditutup oleh"))
    ditutup_pada = moment_field(_("ditutup pada"))
    alasan_penutupan = models.TextField(_("alasan penutupan"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat catatan PMKS"))

    objects = CatatanPmksQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("catatan PMKS")
        verbose_name_plural = _("catatan PMKS")
        ordering = ["-tanggal_identifikasi", "-pk"]
        permissions = [("verify_catatanpmks", _("Dapat memverifikasi atau menolak catatan PMKS"))]
        indexes = [models.Index(fields=["status", "kategori"])]

    def __str__(self) -> str:
        return f"{self.kategori} – {self.anggota or self.keluarga}"

    # What a verification vouched for: frozen once the record is decided, on every path.
    BUKTI_BEKU = ("keluarga_id", "anggota_id", "kategori_id", "tanggal_identifikasi", "bukti")

    def penyusun_bukti(self) -> set[int]:
        """Who wrote what a verification would vouch for: the recorder and everyone who changed
        the evidence since (from its history), none of whom may verify it."""
        authors = {self.diidentifikasi_oleh_id}
        rows = list(
            self.history.order_by("history_date", "history_id").values("history_user_id", *self.BUKTI_BEKU)
        )
        for before, after in itertools.pairwise(rows):
            if any(before[f] != after[f] for f in self.BUKTI_BEKU):
                authors.add(after["history_user_id"])
        return authors - {None}

    def clean(self) -> None:
        stored = (
            CatatanPmks.objects.filter(pk=self.pk).values("status", *self.BUKTI_BEKU).first()
            if self.pk
            else None
        )
        if stored and stored["status"] != choices.StatusPmks.DIUSULKAN:
            changed = [f for f in self.BUKTI_BEKU if getattr(self, f) != stored[f]]
            if changed:
                raise ValidationError(
                    _(
                        "Catatan PMKS yang sudah %(status)s tidak dapat diubah (keluarga, anggota, kategori, "
                        "tanggal dan bukti yang telah diputuskan). Tutup catatan ini dengan alasan, lalu "
                        "catat yang baru untuk diverifikasi ulang."
                    )
                    % {"status": choices.StatusPmks(stored["status"]).label.lower()}
                )
        if self.anggota is not None and self.keluarga_id and self.anggota.keluarga_id != self.keluarga_id:
            raise ValidationError({"anggota": _("Anggota tidak termasuk keluarga ini.")})
        if self.tanggal_identifikasi and self.tanggal_identifikasi > timezone.localdate():
            raise ValidationError(
                {"tanggal_identifikasi": _("Tanggal identifikasi tidak boleh di masa depan.")}
            )
        if self.kategori_id:
            sasaran = self.kategori.sasaran
            if sasaran == choices.SasaranPmks.PERSEORANGAN and not self.anggota_id:
                raise ValidationError(
                    {
                        "anggota": _("Kategori %(k)s berlaku untuk perseorangan: pilih anggotanya.")
                        % {"k": self.kategori}
                    }
                )
            if sasaran == choices.SasaranPmks.KELUARGA and self.anggota_id:
                raise ValidationError(
                    {
                        "anggota": _("Kategori %(k)s berlaku untuk seluruh keluarga: kosongkan anggota.")
                        % {"k": self.kategori}
                    }
                )


class DesilKeluarga(models.Model):
    """A household's welfare decile in DTSEN (Inpres 4/2025: 1 = poorest tenth, 10 = richest),
    as one extract stated it on a date; every extract's value is kept (history), the latest
    counts (``desil_terkini``)."""

    keluarga = models.ForeignKey(
        Keluarga, verbose_name=_("keluarga"), on_delete=models.CASCADE, related_name="desil"
    )
    desil = models.PositiveSmallIntegerField(
        _("desil"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    tanggal = models.DateField(_("tanggal data"))
    sumber = models.CharField(_("sumber"), max_length=100, help_text=_("Mis. DTSEN Kemensos."))
    dicatat_oleh = actor_field(_("dicatat oleh"))
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("desil DTSEN")
        verbose_name_plural = _("desil DTSEN")
        ordering = ["keluarga", "-tanggal", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga", "tanggal", "sumber"],
                name="desil_satu_per_keluarga_tanggal_sumber",
                violation_error_message=_("Desil keluarga ini dari sumber dan tanggal itu sudah tercatat."),
            ),
            models.CheckConstraint(condition=Q(desil__gte=1, desil__lte=10), name="desil_1_sampai_10"),
        ]

    def __str__(self) -> str:
        return f"KK {self.keluarga.no_kk}: desil {self.desil} ({self.tanggal:%d/%m/%Y})"
