from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Penugasan, User
from accounts.services import penugasan_create, penugasan_end


class PenugasanInline(admin.TabularInline):
    model = Penugasan
    extra = 0
    raw_id_fields = ["wilayah"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Profil"), {"fields": ("nama_lengkap", "telepon")}),
    )
    list_display = ["username", "nama_lengkap", "is_staff", "is_active", "last_login"]
    list_filter = ["groups", "is_staff", "is_active"]
    search_fields = ["username", "nama_lengkap", "email"]
    inlines = [PenugasanInline]


@admin.register(Penugasan)
class PenugasanAdmin(admin.ModelAdmin):
    list_display = ["user", "jenis", "wilayah", "mulai", "selesai"]
    list_filter = ["jenis", ("wilayah", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "wilayah"]
    search_fields = ["user__username", "user__nama_lengkap", "wilayah__nama", "wilayah__kode"]
    raw_id_fields = ["user", "wilayah"]

    actions = ["akhiri_hari_ini"]

    @admin.action(description=_("Akhiri penugasan terpilih per hari ini (serah terima)"))
    def akhiri_hari_ini(self, request, queryset):
        today = timezone.localdate()
        for penugasan in queryset.filter(selesai__isnull=True):
            try:
                penugasan_end(actor=request.user, penugasan=penugasan, selesai=today)
            except ValidationError as exc:
                self.message_user(request, f"{penugasan}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("Penugasan diakhiri; riwayatnya tetap tersimpan."), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        saved = penugasan_create(
            actor=request.user,
            user=obj.user,
            wilayah=obj.wilayah,
            jenis=obj.jenis,
            mulai=obj.mulai,
            selesai=obj.selesai,
            catatan=obj.catatan,
        )
        obj.pk = saved.pk
