"""In-app notifications: one row per recipient and event, written by the service that made the
change (``kabar.services.kabari``), never by signals."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inti.scoping import ScopedQuerySet
from kabar.choices import Peristiwa


class Notifikasi(models.Model):
    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifikasi",
    )
    jenis = models.CharField(_("jenis"), max_length=40, choices=Peristiwa.choices)
    judul = models.CharField(_("judul"), max_length=200)
    isi = models.TextField(_("isi"), blank=True)
    # A local path (built by the service with reverse()); opening the notification goes there.
    tautan = models.CharField(_("tautan"), max_length=300)
    # The area the event is about: the inbox shows a notification only while the recipient's
    # assignment still covers it, so a TKSK moved elsewhere stops seeing the old area's families.
    wilayah = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    objek_jenis = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    objek_id = models.PositiveBigIntegerField()
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Reminders (due follow-ups) are announced once per recipient and key, however often the
    # reminder command runs.
    kunci = models.CharField(_("kunci"), max_length=120, blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    dibaca_pada = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "wilayah"

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-dibuat_pada", "-pk"]
        indexes = [
            models.Index(fields=["penerima", "-dibuat_pada"], name="notifikasi_kotak_masuk"),
            models.Index(
                fields=["penerima"], condition=Q(dibaca_pada__isnull=True), name="notifikasi_belum_dibaca"
            ),
            models.Index(fields=["objek_jenis", "objek_id"], name="notifikasi_objek"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["penerima", "kunci"], condition=~Q(kunci=""), name="notifikasi_kunci_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.penerima}: {self.judul}"

    @property
    def dibaca(self) -> bool:
        return self.dibaca_pada is not None
