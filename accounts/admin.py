"""Users and their dated assignments. Assignments change only through accounts.services (with
the actor, kept as history); the user's page shows them and their history read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Penugasan, User
from accounts.services import (
    kecamatan_without_tksk,
    penugasan_create,
    penugasan_end,
    penugasan_handover,
    penugasan_update,
)
from inti.admin import ServiceSaveAdminMixin, error_messages


class PenugasanInline(admin.TabularInline):
    """The user's assignments, read-only: they change on the Penugasan pages (with history)."""

    model = Penugasan
    extra = 0
    fields = readonly_fields = ("jenis", "wilayah", "mulai", "selesai", "catatan")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Profil"), {"fields": ("nama_lengkap", "telepon")}),
        (_("Riwayat penugasan"), {"fields": ("riwayat_penugasan",)}),
    )
    readonly_fields = ("riwayat_penugasan",)
    list_display = ["username", "nama_lengkap", "is_staff", "is_active", "last_login"]
    list_filter = ["groups", "is_staff", "is_active"]
    search_fields = ["username", "nama_lengkap", "email"]
    inlines = [PenugasanInline]

    @admin.display(description=_("riwayat penugasan"))
    def riwayat_penugasan(self, obj):
        """Who started, changed or ended each of the user's assignments, and when."""
        if obj is None or obj.pk is None:
            return "–"
        records = list(
            Penugasan.history.filter(user_id=obj.pk)
            .select_related("history_user", "wilayah")
            .order_by("-history_date")
        )
        if not records:
            return "–"
        kinds = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} {} – {} ({}–{}) {} {}</li>",
                (
                    (
                        timezone.localtime(r.history_date).strftime("%d/%m/%Y %H:%M"),
                        r.get_jenis_display(),
                        r.wilayah,
                        kinds.get(r.history_type, r.history_type),
                        r.mulai.strftime("%d/%m/%Y"),
                        r.selesai.strftime("%d/%m/%Y") if r.selesai else _("sekarang"),
                        _("oleh"),
                        r.history_user or _("sistem"),
                    )
                    for r in records
                ),
            ),
        )


class AkhiriForm(forms.Form):
    selesai = forms.DateField(label=_("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"}))


class SerahTerimaForm(forms.Form):
    pengganti = forms.ModelChoiceField(label=_("Pengganti"), queryset=User.objects.filter(is_active=True))
    mulai = forms.DateField(label=_("Mulai bertugas"), widget=forms.DateInput(attrs={"type": "date"}))
    catatan = forms.CharField(label=_("Catatan (mis. nomor SK)"), max_length=200, required=False)


@admin.register(Penugasan)
class PenugasanAdmin(ServiceSaveAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "jenis", "wilayah", "mulai", "selesai"]
    list_filter = ["jenis", ("wilayah", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "wilayah"]
    search_fields = ["user__username", "user__nama_lengkap", "wilayah__nama", "wilayah__kode"]
    raw_id_fields = ["user", "wilayah"]
    actions = ["akhiri", "serah_terima"]

    def save_model(self, request, obj, form, change):
        if change:
            penugasan_update(actor=request.user, penugasan=obj, data=form.cleaned_data)
            return
        data = form.cleaned_data
        saved = penugasan_create(
            actor=request.user,
            user=data["user"],
            wilayah=data["wilayah"],
            jenis=data["jenis"],
            mulai=data["mulai"],
            selesai=data.get("selesai"),
            catatan=data.get("catatan", ""),
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        # Corrections only (services.PENUGASAN_KOREKSI): ending one is an action, with its warning.
        return ["user", "wilayah", "jenis", *(["selesai"] if obj.selesai is None else [])]

    def delete_model(self, request, obj):
        raise PermissionDenied  # assignments are history: end them instead

    def has_delete_permission(self, request, obj=None):
        return False

    def _page(self, request, queryset, template, form, extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=_("Akhiri penugasan terpilih (serah terima)"), permissions=["change"])
    def akhiri(self, request, queryset):
        """Ends the chosen open assignments after a confirmation that names every kecamatan
        they would leave without a TKSK."""
        open_ = list(queryset.filter(selesai__isnull=True).select_related("user", "wilayah"))
        form = AkhiriForm(
            request.POST if "selesai" in request.POST else None, initial={"selesai": timezone.localdate()}
        )
        if not (form.is_bound and form.is_valid()):
            return self._page(
                request,
                open_,
                "admin/accounts/penugasan/akhiri.html",
                form,
                {"tanpa_tksk": kecamatan_without_tksk(open_), "title": _("Akhiri penugasan")},
            )
        left = kecamatan_without_tksk(open_, form.cleaned_data["selesai"])
        try:
            with transaction.atomic():
                for penugasan in open_:
                    penugasan_end(
                        actor=request.user, penugasan=penugasan, selesai=form.cleaned_data["selesai"]
                    )
        except (ValidationError, PermissionDenied) as exc:
            for message in error_messages(exc):
                self.message_user(request, message, messages.ERROR)
            return None
        self.message_user(
            request,
            _("%(n)s penugasan diakhiri; riwayatnya tetap tersimpan.") % {"n": len(open_)},
            messages.SUCCESS,
        )
        for kecamatan in left:
            self.message_user(
                request,
                _("Perhatian: %(k)s kini tidak memiliki TKSK aktif. Tugaskan penggantinya.")
                % {"k": kecamatan},
                messages.WARNING,
            )
        return None

    @admin.action(description=_("Serah terima kepada pengganti"), permissions=["change", "add"])
    def serah_terima(self, request, queryset):
        """One assignment handed over: it ends the day before the successor's starts."""
        if queryset.count() != 1:
            self.message_user(
                request, _("Pilih tepat satu penugasan untuk diserahterimakan."), messages.WARNING
            )
            return None
        penugasan = queryset.select_related("user", "wilayah").get()
        form = SerahTerimaForm(request.POST if "pengganti" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                penugasan_handover(actor=request.user, penugasan=penugasan, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                for message in error_messages(exc):
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(w)s diserahterimakan kepada %(u)s.")
                    % {"w": penugasan.wilayah, "u": form.cleaned_data["pengganti"]},
                    messages.SUCCESS,
                )
                return None
        return self._page(
            request,
            [penugasan],
            "admin/accounts/penugasan/serah_terima.html",
            form,
            {"title": _("Serah terima")},
        )
