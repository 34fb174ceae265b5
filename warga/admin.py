"""Back-office views of citizens' items and publications: read-only, since every step goes
through the staff screens' services (routing, deadlines, notifications, the list's rules)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inti.scoping import ScopedAdminMixin
from warga.models import Aduan, Publikasi


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Aduan)
class AduanAdmin(_ReadOnly, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["kode", "jenis", "kelurahan", "status", "tenggat", "ditugaskan_ke", "hasil"]
    list_filter = ["jenis", "status", "hasil", "kecamatan"]
    search_fields = ["kode"]


@admin.register(Publikasi)
class PublikasiAdmin(_ReadOnly, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "daftar",
        "kelurahan",
        "diterbitkan_oleh",
        "diterbitkan_pada",
        "ditarik_oleh",
        "ditarik_pada",
    ]
    list_filter = ["kelurahan__induk"]
