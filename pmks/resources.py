"""Spreadsheet layouts for households and members (django-import-export).

Foreign keys are natural codes (kelurahan code, No. KK), never database ids. Validation is the
model's own (``clean_model_instances``), i.e. the same NIK/KK rules as the forms.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from pmks.identitas import normalise_nomor
from pmks.models import AnggotaKeluarga, Keluarga
from pmks.services import KELUARGA_FIELDS
from pmks.spreadsheet import SafeExportMixin
from wilayah.models import Wilayah
from wilayah.scoping import ScopedResourceMixin


class NomorWidget(widgets.CharWidget):
    """NIK/KK as text; spaces and non-breaking spaces around them are dropped."""

    def clean(self, value, row=None, **kwargs):
        return normalise_nomor(super().clean(value, row, **kwargs))


class DateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%d/%m/%Y")


class KeluargaResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
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


class AnggotaKeluargaResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
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
        fields = (
            "nik",
            "keluarga",
            "nama",
            "tempat_lahir",
            "tanggal_lahir",
            "jenis_kelamin",
            "hubungan",
            "status_perkawinan",
            "pendidikan",
            "pekerjaan",
            "disabilitas",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
