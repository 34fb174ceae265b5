"""Aid data in and out of the admin. Proposals import through the same service as the screens
(area, duplicates, target rules); lists and distributions are exported only (they are built and
recorded on the screens, where approval and freezing rules apply)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from bantuan.models import EntriDaftar, Penyaluran, TahapProgram, Usulan
from inti.scoping import ScopedResourceMixin
from inti.spreadsheet import SafeExportMixin
from pmks.models import AnggotaKeluarga, Keluarga


class TahapWidget(widgets.ForeignKeyWidget):
    """A stage as "programme-code/year/stage", e.g. "sembako-bpnt/2026/1"."""

    def __init__(self):
        super().__init__(TahapProgram)

    def clean(self, value, row=None, **kwargs):
        parts = str(value or "").strip().split("/")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            raise ValueError(_("Tulis tahap sebagai kode-program/tahun/tahap, mis. sembako-bpnt/2026/1."))
        tahap = TahapProgram.objects.filter(
            program__kode=parts[0], tahun=int(parts[1]), tahap=int(parts[2])
        ).first()
        if tahap is None:
            raise ValueError(_("Tahap %(t)s tidak ada.") % {"t": value})
        return tahap

    def render(self, value, obj=None, **kwargs):
        return f"{value.program.kode}/{value.tahun}/{value.tahap}" if value else ""


class UsulanResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    tahap = fields.Field(attribute="tahap", column_name="tahap", widget=TahapWidget())
    keluarga = fields.Field(
        attribute="keluarga", column_name="no_kk", widget=widgets.ForeignKeyWidget(Keluarga, field="no_kk")
    )
    anggota = fields.Field(
        attribute="anggota", column_name="nik", widget=widgets.ForeignKeyWidget(AnggotaKeluarga, field="nik")
    )

    class Meta:
        model = Usulan
        fields = ("tahap", "keluarga", "anggota", "alasan", "status", "keterangan_status")
        export_order = fields
        import_id_fields: list[str] = []  # natural keys only; a proposal twice is the service's refusal
        force_init_instance = True
        clean_model_instances = False  # the service validates

    def get_import_fields(self):
        # The status is the service's to set; it is exported, never read from a file.
        return [
            f for f in super().get_import_fields() if f.column_name not in ("status", "keterangan_status")
        ]

    def save_instance(self, instance, is_create, row, **kwargs):
        from bantuan.services import usulan_create

        saved = usulan_create(
            actor=self.user,
            tahap=instance.tahap,
            keluarga=instance.keluarga,
            anggota=instance.anggota,
            alasan=instance.alasan or "",
        )
        instance.pk = saved.pk


class EntriDaftarResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    tahap = fields.Field(attribute="daftar__tahap", column_name="tahap", widget=TahapWidget())
    status_daftar = fields.Field(attribute="daftar__status", column_name="status_daftar")
    nomor_sk = fields.Field(attribute="daftar__nomor_sk", column_name="nomor_sk")
    keluarga = fields.Field(attribute="keluarga__no_kk", column_name="no_kk")
    kelurahan = fields.Field(attribute="keluarga__kelurahan_id", column_name="kode_kelurahan")
    anggota = fields.Field(attribute="anggota__nik", column_name="nik")

    class Meta:
        model = EntriDaftar
        fields = ("tahap", "status_daftar", "nomor_sk", "keluarga", "kelurahan", "anggota", "aktif")
        export_order = fields


class PenyaluranResource(SafeExportMixin, ScopedResourceMixin, resources.ModelResource):
    """Distributions by stage and No. KK; an import goes through the distribution service, so
    only recipients of an approved list are accepted (and follow-ups get scheduled)."""

    tahap = fields.Field(attribute="tahap", column_name="tahap", widget=TahapWidget())
    keluarga = fields.Field(attribute="no_kk", column_name="no_kk")
    tanggal = fields.Field(attribute="tanggal", column_name="tanggal", widget=widgets.DateWidget("%d/%m/%Y"))

    class Meta:
        model = Penyaluran
        fields = ("tahap", "keluarga", "tanggal", "uraian", "penerima", "nama_wakil", "hubungan_wakil")
        export_order = fields
        import_id_fields: list[str] = []  # natural keys only; recorded twice is the service's refusal
        force_init_instance = True
        clean_model_instances = False  # the service validates

    def dehydrate_tahap(self, obj):
        t = obj.entri.daftar.tahap
        return f"{t.program.kode}/{t.tahun}/{t.tahap}"

    def dehydrate_keluarga(self, obj):
        return obj.entri.keluarga.no_kk

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        return None  # the service decides (area, approved list, dates)

    def save_instance(self, instance, is_create, row, **kwargs):
        from bantuan.services import penyaluran_create

        # "tahap" and "no_kk" are not model fields: import-export left them on the instance.
        tahap, no_kk = instance.tahap, str(instance.no_kk or "").strip()
        entri = EntriDaftar.objects.filter(daftar__tahap=tahap, keluarga__no_kk=no_kk).first()
        if entri is None:
            raise ValidationError(_("KK %(kk)s tidak ada di daftar %(t)s.") % {"kk": no_kk, "t": tahap})
        saved = penyaluran_create(
            actor=self.user,
            entri=entri,
            tanggal=instance.tanggal,
            uraian=instance.uraian,
            penerima=instance.penerima or "langsung",
            nama_wakil=instance.nama_wakil or "",
            hubungan_wakil=instance.hubungan_wakil or "",
        )
        instance.pk = saved.pk
