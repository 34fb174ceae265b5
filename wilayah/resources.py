"""Region lists in and out of the admin (columns kode, nama, tingkat, kode_bps); the parent comes
from the code, as in the load_wilayah command."""

from import_export import resources

from pmks.spreadsheet import SafeExportMixin
from wilayah.models import Wilayah


class WilayahResource(SafeExportMixin, resources.ModelResource):
    class Meta:
        model = Wilayah
        import_id_fields = ["kode"]
        fields = ("kode", "nama", "tingkat", "kode_bps", "berlaku_mulai", "berlaku_sampai")
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.induk_id = instance.kode.rsplit(".", 1)[0] if "." in instance.kode else None
