from django.contrib import admin

from tksk.models import JenisPsks


@admin.register(JenisPsks)
class JenisPsksAdmin(admin.ModelAdmin):
    list_display = ["nomor", "nama", "singkatan", "aktif"]
    list_filter = ["aktif"]
    search_fields = ["nama", "singkatan"]
