"""Spreadsheet layouts for households and members (django-import-export).

Foreign keys are natural codes (kelurahan code, No. KK), never database ids. Validation is the
model's own (``clean_model_instances``), i.e. the same NIK/KK rules as the forms.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from inti.scoping import ScopedResourceMixin
from inti.spreadsheet import SafeExportMixin
from pmks.identitas import normalise_nomor
from pmks.models import AnggotaKeluarga, CatatanPmks, KategoriPmks, Keluarga
from pmks.services import ANGGOTA_FIELDS, KELUARGA_FIELDS, ensure_household_rules
from wilayah.models import Wilayah


class NomorWidget(widgets.CharWidget):
    """NIK/KK as text; spaces and non-breaking spaces around them are dropped."""

    def clean(self, value, row=None, **kwargs):
        return normalise_nomor(super().clean(value, row, **kwargs))


class DateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%d/%m/%Y")


class HouseholdRulesMixin:
    """An admin import of households or members keeps the household rules (one head, no NIK
    twice) for the households as the whole file leaves them (a file may swap two heads in two
    rows); otherwise the import is refused whole. New households come with their people through
    the people import (*Impor penduduk*), which checks the same rules."""

    def household_before(self, instance: Any) -> int | None:
        """The household a row's record belonged to before the row (a member moved away)."""
        return None

    def household_after(self, instance: Any) -> int:
        raise NotImplementedError

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.households_touched: set[int] = set()
        return super().before_import(dataset, **kwargs)  # type: ignore[misc]

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        before = self.household_before(instance)
        if before is not None:
            self.households_touched.add(before)
        return super().before_save_instance(instance, row, **kwargs)  # type: ignore[misc]

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.households_touched.add(self.household_after(instance))
        return super().after_save_instance(instance, row, **kwargs)  # type: ignore[misc]

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        errors = []
        touched = self.households_touched
        numbers = dict(Keluarga.objects.filter(pk__in=touched).values_list("pk", "no_kk"))
        for pk in sorted(touched):
            try:
                ensure_household_rules(pk)
            except ValidationError as exc:
                errors += [f"KK {numbers.get(pk, pk)}: {message}" for message in exc.messages]
        if errors:
            errors.append(_("Keluarga baru diimpor bersama anggotanya lewat Impor penduduk."))
            raise ValidationError(errors)
        return super().after_import(dataset, result, **kwargs)  # type: ignore[misc]


class KeluargaResource(HouseholdRulesMixin, SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    no_kk = fields.Field(attribute="no_kk", column_name="no_kk", widget=NomorWidget())
    kelurahan = fields.Field(
        attribute="kelurahan",
        column_name="kode_kelurahan",
        widget=widgets.ForeignKeyWidget(Wilayah, field="kode"),
    )

    class Meta:
        model = Keluarga
        import_id_fields = ["no_kk"]
        fields = KELUARGA_FIELDS
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def household_after(self, instance: Keluarga) -> int:
        return instance.pk


class AnggotaKeluargaResource(
    HouseholdRulesMixin, SafeExportMixin, ScopedResourceMixin, resources.ModelResource
):
    nik = fields.Field(attribute="nik", column_name="nik", widget=NomorWidget())
    keluarga = fields.Field(
        attribute="keluarga",
        column_name="no_kk",
        widget=widgets.ForeignKeyWidget(Keluarga, field="no_kk"),
    )
    tanggal_lahir = fields.Field(attribute="tanggal_lahir", column_name="tanggal_lahir", widget=DateWidget())

    class Meta:
        model = AnggotaKeluarga
        import_id_fields = ["nik"]
        fields = ("nik", "keluarga", *ANGGOTA_FIELDS[1:])  # the screens' fields, after NIK and KK
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def household_before(self, instance: AnggotaKeluarga) -> int | None:
        if not instance.pk:
            return None
        return AnggotaKeluarga.objects.filter(pk=instance.pk).values_list("keluarga_id", flat=True).first()

    def household_after(self, instance: AnggotaKeluarga) -> int:
        return instance.keluarga_id


class KategoriWidget(widgets.ForeignKeyWidget):
    """A PMKS category by its abbreviation (FM, LUT, …) or its number."""

    def __init__(self):
        super().__init__(KategoriPmks, field="singkatan")

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text.isdigit():
            return KategoriPmks.objects.filter(nomor=int(text)).first()
        return KategoriPmks.objects.filter(singkatan__iexact=text).first() if text else None


class CatatanPmksResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    """PMKS records by No. KK (and NIK for a person); new records go through the same service
    as the screens (scope, duplicates, target rules) and start as proposed."""

    keluarga = fields.Field(
        attribute="keluarga", column_name="no_kk", widget=widgets.ForeignKeyWidget(Keluarga, field="no_kk")
    )
    anggota = fields.Field(
        attribute="anggota", column_name="nik", widget=widgets.ForeignKeyWidget(AnggotaKeluarga, field="nik")
    )
    kategori = fields.Field(attribute="kategori", column_name="kategori", widget=KategoriWidget())
    tanggal_identifikasi = fields.Field(
        attribute="tanggal_identifikasi", column_name="tanggal_identifikasi", widget=DateWidget()
    )

    class Meta:
        model = CatatanPmks
        fields = ("keluarga", "anggota", "kategori", "tanggal_identifikasi", "bukti", "status")
        export_order = fields
        import_id_fields: list[str] = []  # natural keys only; every row is a new record
        force_init_instance = True
        clean_model_instances = False  # the service validates (and sets who identified it)
        skip_unchanged = True

    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.column_name != "status"]

    def save_instance(self, instance, is_create, row, **kwargs):
        from pmks.services import catatan_pmks_create

        saved = catatan_pmks_create(
            actor=self.user,
            keluarga=instance.keluarga,
            kategori=instance.kategori,
            anggota=instance.anggota,
            tanggal_identifikasi=instance.tanggal_identifikasi,
            bukti=instance.bukti or "",
        )
        instance.pk = saved.pk
