from django.contrib import admin

from inti.admin import ScopedImportExportAdmin
from wilayah.models import Wilayah
from wilayah.resources import WilayahResource


@admin.register(Wilayah)
class WilayahAdmin(ScopedImportExportAdmin):
    resource_classes = [WilayahResource]
    list_display = ["kode", "nama", "tingkat", "induk", "kode_bps", "berlaku_mulai", "berlaku_sampai"]
    list_filter = ["tingkat"]
    list_select_related = ["induk"]
    search_fields = ["kode", "nama", "kode_bps"]
    raw_id_fields = ["induk"]
