from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inti.scoping import ScopedAdminMixin
from tksk.models import JenisPsks, Kegiatan, LaporanBulanan, Psks


@admin.register(JenisPsks)
class JenisPsksAdmin(admin.ModelAdmin):
    list_display = ["nomor", "nama", "singkatan", "aktif"]
    list_filter = ["aktif"]
    search_fields = ["nama", "singkatan"]


@admin.register(Psks)
class PsksAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["nama", "jenis", "kelurahan", "kontak", "telepon", "aktif"]
    list_filter = ["jenis", "aktif", ("kelurahan", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["jenis", "kelurahan"]
    search_fields = ["nama", "kontak"]
    raw_id_fields = ["kelurahan"]
    readonly_fields = ["dicatat_oleh"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.dicatat_oleh = request.user
        super().save_model(request, obj, form, change)


@admin.register(Kegiatan)
class KegiatanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "tanggal",
        "jenis",
        "kecamatan",
        "petugas",
        "tindak_lanjut_tanggal",
        "tindak_lanjut_selesai",
        "rujukan_hasil",
    ]
    list_filter = [
        "jenis",
        "tindak_lanjut_selesai",
        "rujukan_hasil",
        ("kecamatan", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["kecamatan", "petugas"]
    search_fields = ["uraian", "hasil", "keluarga__no_kk"]
    # Households and people only through the screens, which keep them inside one kecamatan.
    readonly_fields = ["petugas", "kecamatan", "keluarga", "anggota", "psks"]
    date_hierarchy = "tanggal"

    def has_add_permission(self, request):
        return False  # recorded on the TKSK screens, where the area rules apply


@admin.register(LaporanBulanan)
class LaporanBulananAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["kecamatan", "bulan", "tksk", "status", "diputuskan_oleh"]
    list_filter = ["status", "bulan", ("kecamatan", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["kecamatan", "tksk", "diputuskan_oleh"]
    readonly_fields = [
        "kecamatan",
        "bulan",
        "tksk",
        "status",
        "ringkasan",
        "catatan_tksk",
        "diajukan_pada",
        "diputuskan_oleh",
        "diputuskan_pada",
        "komentar_dinas",
    ]

    def has_add_permission(self, request):
        return False
