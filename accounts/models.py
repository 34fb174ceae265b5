from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import JenisPenugasan
from inti.scoping import ALL, Scope
from wilayah.choices import Tingkat

TINGKAT_BY_JENIS = {
    JenisPenugasan.TKSK: (Tingkat.KECAMATAN,),
    JenisPenugasan.KELURAHAN: (Tingkat.KELURAHAN, Tingkat.DESA),
    JenisPenugasan.DINAS: (Tingkat.KOTA, Tingkat.KABUPATEN),
}


class User(AbstractUser):
    """A person who logs in. Role = Django groups; area = active ``Penugasan`` rows."""

    nama_lengkap = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    terima_email = models.BooleanField(
        _("pemberitahuan juga lewat e-mail"),
        default=False,
        help_text=_("Isi pemberitahuan tidak dikirim; e-mail hanya mengabarkan ada yang menunggu."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.nama_lengkap or self.username

    def get_full_name(self) -> str:
        return self.nama_lengkap or super().get_full_name() or self.username

    @cached_property
    def area_scope(self) -> Scope:
        """Region codes of today's assignments (cached for the request); superusers see all."""
        if self.is_superuser:
            return ALL
        today = timezone.localdate()
        codes = Penugasan.objects.filter(user=self).active_on(today).values_list("wilayah_id", flat=True)
        return Scope(frozenset(codes))


class PenugasanQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> PenugasanQuerySet:
        return self.filter(Q(mulai__lte=day), Q(selesai__isnull=True) | Q(selesai__gte=day))

    def overlapping(self, mulai: datetime.date, selesai: datetime.date | None):
        qs = self.filter(Q(selesai__isnull=True) | Q(selesai__gte=mulai))
        if selesai is not None:
            qs = qs.filter(mulai__lte=selesai)
        return qs


class Penugasan(models.Model):
    """A dated assignment of a user to a region, kept as history (never deleted on hand-over)."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="penugasan"
    )
    wilayah = models.ForeignKey("wilayah.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT)
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisPenugasan.choices)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    catatan = models.CharField(_("catatan (mis. nomor SK)"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat penugasan"))

    objects = PenugasanQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")),
                name="penugasan_selesai_setelah_mulai",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            # The date-overlap rule is in clean(); this backs it for open-ended assignments.
            models.UniqueConstraint(
                fields=["wilayah"],
                condition=Q(jenis=JenisPenugasan.TKSK, selesai__isnull=True),
                name="satu_tksk_terbuka_per_kecamatan",
                violation_error_message=_("Kecamatan ini sudah memiliki TKSK aktif."),
            ),
        ]

    def __str__(self) -> str:
        sampai = self.selesai.strftime("%d/%m/%Y") if self.selesai else _("sekarang")
        return f"{self.user} – {self.wilayah} ({self.mulai:%d/%m/%Y}–{sampai})"

    def clean(self) -> None:
        if not self.wilayah_id or not self.jenis:
            return
        allowed = TINGKAT_BY_JENIS[JenisPenugasan(self.jenis)]
        if self.wilayah.tingkat not in allowed:
            raise ValidationError(
                {
                    "wilayah": _("Penugasan %(jenis)s harus ke wilayah tingkat %(tingkat)s.")
                    % {"jenis": self.get_jenis_display(), "tingkat": " / ".join(allowed)}
                }
            )
        if self.selesai and self.mulai and self.selesai < self.mulai:
            raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum mulai.")})
        if self.jenis == JenisPenugasan.TKSK and self.mulai:
            clash = (
                Penugasan.objects.filter(wilayah_id=self.wilayah_id, jenis=JenisPenugasan.TKSK)
                .exclude(pk=self.pk)
                .overlapping(self.mulai, self.selesai)
                .select_related("user")
                .first()
            )
            if clash:
                raise ValidationError(
                    _("Pada periode ini kecamatan tersebut sudah ditugaskan kepada %(user)s.")
                    % {"user": clash.user}
                )

    @property
    def aktif(self) -> bool:
        today = timezone.localdate()
        return self.mulai <= today and (self.selesai is None or self.selesai >= today)


class HakBawaan(models.Model):
    """A default permission already granted to a role group once (see accounts.roles)."""

    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    permission = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("hak bawaan peran")
        verbose_name_plural = _("hak bawaan peran")
        constraints = [models.UniqueConstraint(fields=["group", "permission"], name="hak_bawaan_unik")]

    def __str__(self) -> str:
        return f"{self.group}: {self.permission}"
