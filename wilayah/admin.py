from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from accounts.audit import LoggedImportExportMixin
from accounts.templat_impor import ImportTemplateMixin
from wilayah.models import Wilayah
from wilayah.resources import WilayahResource
from wilayah.scoping import ScopedAdminMixin


@admin.register(Wilayah)
class WilayahAdmin(LoggedImportExportMixin, ImportTemplateMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [WilayahResource]
    list_display = ["kode", "nama", "tingkat", "induk", "kode_bps", "berlaku_mulai", "berlaku_sampai"]
    list_filter = ["tingkat"]
    list_select_related = ["induk"]
    search_fields = ["kode", "nama", "kode_bps"]
    raw_id_fields = ["induk"]
