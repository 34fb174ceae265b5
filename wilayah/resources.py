"""Region lists in and out of the admin (columns kode, nama, tingkat, kode_bps); the parent comes
from the code, as in the load_wilayah command."""

from import_export import resources

from inti.spreadsheet import SafeExportMixin
from wilayah.kode import kode_induk
from wilayah.models import Wilayah


class WilayahResource(SafeExportMixin, resources.ModelResource):
    """Regions are reference data that only administrators change: no area applies, so the
    importing user (which the admin hands to every resource) is not needed."""

    class Meta:
        model = Wilayah
        import_id_fields = ["kode"]
        fields = ("kode", "nama", "tingkat", "kode_bps", "berlaku_mulai", "berlaku_sampai")
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, user: object = None, **kwargs: object) -> None:
        super().__init__(**kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance.induk_id = kode_induk(instance.kode)
