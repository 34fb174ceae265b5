from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inti.scoping import ScopedQuerySet
from wilayah.choices import Tingkat
from wilayah.kode import kode_error, kode_induk


class Wilayah(models.Model):
    """A region of the Kemendagri hierarchy, keyed by its official code.

    The code is the primary key, so a record that points at a kelurahan stores the code itself
    and "inside this area" is a prefix test on that column with no join. Codes change with new
    decrees: a retired code keeps its row (with ``berlaku_sampai``) so old records stay valid.
    """

    kode = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anak",
    )
    kode_bps = models.CharField(_("kode BPS"), max_length=10, blank=True)
    berlaku_mulai = models.DateField(_("berlaku mulai"), null=True, blank=True)
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = ""  # the region itself

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.get_tingkat_display()} {self.nama.title()}"

    def clean(self) -> None:
        error = kode_error(self.kode or "", self.tingkat) if self.tingkat else None
        if error:
            raise ValidationError({"kode": error})
        if self.induk_id and self.induk_id != kode_induk(self.kode):
            raise ValidationError({"induk": _("Kode wilayah harus diawali kode induknya.")})

    @property
    def nama_tampil(self) -> str:
        return self.nama.title()
