"""The musyawarah kelurahan: the kelurahan deliberation that agrees which households are proposed
for aid (and which are dropped, with the reason), recorded with its attendees and minutes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inti.models import TimeStampedModel, actor_field
from inti.scoping import ScopedQuerySet
from inti.uploads import validate_scan
from musyawarah import choices


class MusyawarahQuerySet(ScopedQuerySet):
    def selesai(self):
        return self.filter(status=choices.StatusMusyawarah.SELESAI)

    def akan_datang(self):
        return self.filter(status=choices.StatusMusyawarah.DIJADWALKAN, tanggal__gte=timezone.localdate())


class Musyawarah(TimeStampedModel):
    """One deliberation of one kelurahan. Scheduled while its date lies ahead; held (*selesai*)
    once its decisions are written, which can only be on or after its date."""

    kelurahan = models.ForeignKey(
        "wilayah.Wilayah",
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        related_name="musyawarah",
        limit_choices_to={"tingkat__in": ["kelurahan", "desa"]},
    )
    tanggal = models.DateField(_("tanggal"))
    tempat = models.CharField(_("tempat"), max_length=200)
    pimpinan = models.CharField(_("pimpinan musyawarah"), max_length=150)
    agenda = models.TextField(_("agenda"))
    keputusan = models.TextField(_("keputusan"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=choices.StatusMusyawarah.choices,
        default=choices.StatusMusyawarah.DIJADWALKAN,
    )
    berkas_scan = models.FileField(
        _("pindaian berita acara bertanda tangan"),
        upload_to="berita_acara/musyawarah/%Y/%m/",
        blank=True,
        validators=[validate_scan],
    )
    dicatat_oleh = actor_field(_("dicatat oleh"), required=True)
    history = HistoricalRecords(verbose_name=_("riwayat musyawarah"))

    objects = MusyawarahQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("musyawarah kelurahan")
        verbose_name_plural = _("musyawarah kelurahan")
        ordering = ["-tanggal", "-pk"]
        indexes = [models.Index(fields=["kelurahan", "-tanggal"])]

    def __str__(self) -> str:
        nama = self.kelurahan.nama.title() if self.kelurahan_id else ""
        return _("Musyawarah Kelurahan %(k)s %(d)s") % {"k": nama, "d": f"{self.tanggal:%d/%m/%Y}"}

    @property
    def selesai(self) -> bool:
        return self.status == choices.StatusMusyawarah.SELESAI

    def clean(self) -> None:
        if self.tanggal and self.tanggal > timezone.localdate():
            if self.keputusan.strip() or self.status == choices.StatusMusyawarah.SELESAI:
                raise ValidationError(
                    {
                        "keputusan": _(
                            "Musyawarah tanggal %(d)s belum berlangsung; keputusan dicatat setelah "
                            "musyawarah diadakan."
                        )
                        % {"d": f"{self.tanggal:%d/%m/%Y}"}
                    }
                )
            if self.pk and self.keluarga_dibahas.exists():
                raise ValidationError(
                    {
                        "tanggal": _(
                            "Musyawarah ini sudah memutuskan keluarga; tanggalnya tidak boleh di masa depan."
                        )
                    }
                )
        if self.status == choices.StatusMusyawarah.SELESAI and not self.keputusan.strip():
            raise ValidationError({"keputusan": _("Musyawarah yang selesai wajib mencatat keputusannya.")})
        if self.pk and self.kelurahan_id:
            moved = self.keluarga_dibahas.exclude(keluarga__kelurahan_id=self.kelurahan_id)
            if moved.exists():
                raise ValidationError(
                    {
                        "kelurahan": _(
                            "Keluarga yang dibahas berasal dari kelurahan lain; kelurahan tidak dapat diubah."
                        )
                    }
                )


class PesertaMusyawarah(models.Model):
    """An attendee: name and role (lurah, RT/RW, PSM, TKSK, community figure, …)."""

    musyawarah = models.ForeignKey(
        Musyawarah, verbose_name=_("musyawarah"), on_delete=models.CASCADE, related_name="peserta"
    )
    nama = models.CharField(_("nama"), max_length=150)
    peran = models.CharField(_("peran"), max_length=20, choices=choices.PeranPeserta.choices)
    keterangan = models.CharField(
        _("keterangan"), max_length=150, blank=True, help_text=_("Mis. Ketua RT 03 / RW 02, Takmir masjid.")
    )
    history = HistoricalRecords(verbose_name=_("riwayat peserta musyawarah"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "musyawarah__kelurahan"

    class Meta:
        verbose_name = _("peserta musyawarah")
        verbose_name_plural = _("peserta musyawarah")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_peran_display()})"


class KeluargaDibahas(models.Model):
    """A household the musyawarah discussed: proposed (*diusulkan*) or dropped (*dicoret*), with
    the reason. The programme is the name the minutes give: aid programmes live in a higher app
    (bantuan), which cites the musyawarah, not the other way round."""

    musyawarah = models.ForeignKey(
        Musyawarah, verbose_name=_("musyawarah"), on_delete=models.CASCADE, related_name="keluarga_dibahas"
    )
    keluarga = models.ForeignKey(
        "pmks.Keluarga",
        verbose_name=_("keluarga"),
        on_delete=models.PROTECT,
        related_name="musyawarah_dibahas",
    )
    keputusan = models.CharField(_("keputusan"), max_length=10, choices=choices.KeputusanKeluarga.choices)
    program = models.CharField(
        _("program yang dibahas"),
        max_length=100,
        blank=True,
        help_text=_("Mis. RTLH, sembako (boleh kosong)."),
    )
    alasan = models.TextField(_("alasan"))
    history = HistoricalRecords(verbose_name=_("riwayat keluarga dibahas"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "musyawarah__kelurahan"

    class Meta:
        verbose_name = _("keluarga dibahas")
        verbose_name_plural = _("keluarga dibahas")
        ordering = ["keputusan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["musyawarah", "keluarga"],
                name="keluarga_sekali_per_musyawarah",
                violation_error_message=_("Keluarga ini sudah dibahas pada musyawarah tersebut."),
            )
        ]

    def __str__(self) -> str:
        return f"KK {self.keluarga.no_kk}: {self.get_keputusan_display()}"

    def clean(self) -> None:
        if not self.alasan.strip():
            raise ValidationError({"alasan": _("Alasan keputusan wajib diisi.")})
        if not (self.musyawarah_id and self.keluarga_id):
            return
        m, k = self.musyawarah, self.keluarga
        if k.kelurahan_id != m.kelurahan_id:
            raise ValidationError(
                {
                    "keluarga": _(
                        "KK %(kk)s bukan warga Kelurahan %(kel)s; musyawarah hanya memutuskan warganya."
                    )
                    % {"kk": k.no_kk, "kel": m.kelurahan.nama.title()}
                }
            )
        if m.tanggal > timezone.localdate():
            raise ValidationError(
                _(
                    "Musyawarah tanggal %(d)s belum berlangsung; keputusan dicatat setelah "
                    "musyawarah diadakan."
                )
                % {"d": f"{m.tanggal:%d/%m/%Y}"}
            )
