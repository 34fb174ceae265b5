"""Back-office admin for the registry: scoped like every screen; decisions call the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from inti.admin import ReadOnlyMixin, ScopedImportExportAdmin, ServiceSaveAdminMixin
from inti.scoping import ScopedAdminMixin
from pmks import services
from pmks.forms import MemberFormSet
from pmks.models import AnggotaKeluarga, CatatanPmks, DesilKeluarga, KategoriPmks, Keluarga
from pmks.resources import AnggotaKeluargaResource, CatatanPmksResource, KeluargaResource


@admin.register(KategoriPmks)
class KategoriPmksAdmin(admin.ModelAdmin):
    list_display = ["nomor", "nama", "singkatan", "sasaran", "aktif"]
    list_filter = ["sasaran", "aktif"]
    search_fields = ["nama", "singkatan"]


class AnggotaAdminFormSet(MemberFormSet):
    """The household page's members: the same rules and rows as the registry screen's."""


class AnggotaInline(admin.StackedInline):
    model = AnggotaKeluarga
    formset = AnggotaAdminFormSet
    fields = services.ANGGOTA_FIELDS
    extra = 0


@admin.register(Keluarga)
class KeluargaAdmin(ServiceSaveAdminMixin, ScopedImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [KeluargaResource]
    list_display = ["no_kk", "kelurahan", "alamat", "rt", "rw", "dibuat_pada"]
    list_filter = [("kelurahan", admin.RelatedOnlyFieldListFilter), "jenis_lantai", "listrik"]
    list_select_related = ["kelurahan"]
    search_fields = ["no_kk", "anggota__nik", "anggota__nama", "alamat"]
    readonly_fields = ["dibuat_oleh", "dibuat_pada", "diubah_pada"]
    inlines = [AnggotaInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        """The household and its members are saved together, in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        members = next((f for f in formsets if isinstance(f, AnggotaAdminFormSet)), None)
        rows, hapus = members.service_rows() if members is not None else ([], [])
        saved = services.keluarga_save(
            actor=request.user,
            keluarga=form.instance if change else None,
            data=form.cleaned_data,
            anggota=rows,
            hapus_anggota=hapus,
        )
        form.instance.pk = saved.pk  # for the admin's log entry and redirect
        if members is not None:
            members.note_saved(saved)


class AnggotaAdminForm(forms.ModelForm):
    """The member page: the household rules checked on the form, before the service saves."""

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("keluarga") is not None:
            errors = services.member_change_errors(self.instance, data)
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(AnggotaKeluarga)
class AnggotaKeluargaAdmin(ServiceSaveAdminMixin, ScopedImportExportAdmin, SimpleHistoryAdmin):
    form = AnggotaAdminForm
    resource_classes = [AnggotaKeluargaResource]
    list_display = ["nik", "nama", "keluarga", "jenis_kelamin", "tanggal_lahir", "hubungan"]
    list_filter = ["jenis_kelamin", "hubungan", "disabilitas"]
    list_select_related = ["keluarga"]
    search_fields = ["nik", "nama", "keluarga__no_kk"]
    raw_id_fields = ["keluarga"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        saved = services.anggota_save(actor=request.user, anggota=obj, data=form.cleaned_data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.anggota_delete(actor=request.user, anggota=obj)

    def get_actions(self, request):
        # Members are removed one by one (the household keeps its head; PMKS history stays).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


def _apply(modeladmin, request, queryset, action, note):
    done = 0
    for catatan in queryset:
        try:
            action(actor=request.user, catatan=catatan, note=note)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            msg = "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{catatan}: {msg}", messages.ERROR)
    if done:
        modeladmin.message_user(request, _("%(n)s catatan diproses.") % {"n": done}, messages.SUCCESS)


@admin.register(CatatanPmks)
class CatatanPmksAdmin(ServiceSaveAdminMixin, ScopedImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [CatatanPmksResource]
    list_display = [
        "kategori",
        "keluarga",
        "anggota",
        "status",
        "tanggal_identifikasi",
        "diidentifikasi_oleh",
        "diverifikasi_oleh",
    ]
    list_filter = ["status", "kategori"]
    list_select_related = ["kategori", "keluarga", "anggota", "diidentifikasi_oleh", "diverifikasi_oleh"]
    search_fields = ["keluarga__no_kk", "anggota__nik", "anggota__nama"]
    raw_id_fields = ["keluarga", "anggota"]
    # Status changes only through the actions, which call the same services as the screens.
    readonly_fields = [
        "status",
        "diverifikasi_oleh",
        "diverifikasi_pada",
        "catatan_verifikasi",
        "ditutup_oleh",
        "ditutup_pada",
        "alasan_penutupan",
        "diidentifikasi_oleh",
    ]
    actions = ["verifikasi", "tolak"]

    def save_model(self, request, obj, form, change):
        if not change:
            # A new record goes through the same service as the screens (scope, duplicates).
            saved = services.catatan_pmks_create(
                actor=request.user,
                keluarga=obj.keluarga,
                kategori=obj.kategori,
                anggota=obj.anggota,
                tanggal_identifikasi=obj.tanggal_identifikasi,
                bukti=obj.bukti,
            )
            obj.pk = saved.pk
            return
        services.catatan_pmks_update(actor=request.user, catatan=obj, data=form.cleaned_data)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != "diusulkan":  # decided: its evidence is frozen
            fields += [f for f in services.CATATAN_PMKS_FIELDS if f not in fields]
        return fields

    @admin.action(description=_("Verifikasi catatan PMKS terpilih"), permissions=["verify"])
    def verifikasi(self, request, queryset):
        _apply(self, request, queryset, services.catatan_pmks_verify, "")

    @admin.action(description=_("Tolak catatan PMKS terpilih (dengan alasan)"), permissions=["verify"])
    def tolak(self, request, queryset):
        form = AlasanForm(request.POST if "alasan" in request.POST else None)
        if form.is_bound and form.is_valid():
            _apply(self, request, queryset, services.catatan_pmks_reject, form.cleaned_data["alasan"])
            return None
        return TemplateResponse(
            request,
            "admin/pmks/catatanpmks/tolak.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_verify_permission(self, request):
        return request.user.has_perm("pmks.verify_catatanpmks")

    def has_delete_permission(self, request, obj=None):
        # A decided record is part of a decision's trail: it is closed with a reason, never
        # deleted (the bulk delete asks this for every selected record, superusers included).
        if obj is not None and obj.status != "diusulkan":
            return False
        return super().has_delete_permission(request, obj)


@admin.register(DesilKeluarga)
class DesilKeluargaAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """DTSEN deciles come from extracts (Impor desil DTSEN): looked at here, never edited."""

    list_display = ["keluarga", "desil", "tanggal", "sumber", "dicatat_oleh"]
    list_filter = ["desil", "sumber"]
    list_select_related = ["keluarga", "dicatat_oleh"]
    search_fields = ["keluarga__no_kk"]
