"""The admin base every app's data pages use, and the admin of the file log.

``ScopedImportExportAdmin`` is one class for what every import/export page of the admin needs:
rows limited to the user's area (``ScopedAdminMixin``), the user handed to the scoped resources,
every export and import written to the file log, and an *Unduh templat .xlsx* link whose columns
are derived from the import resource. Pages that only export use ``ScopedExportAdmin``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from inti.models import LogBerkas, LogPengecualian, PengecualianPemisahan
from inti.scoping import ScopedAdminMixin
from inti.services import log_berkas, save_validated
from inti.spreadsheet import XLSX_CONTENT_TYPE, template_xlsx

if TYPE_CHECKING:  # the mixins below are mixed into admin classes
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


def import_columns(resource: Any) -> list[str]:
    """Column names the resource's import reads, in import order, natural keys only: every
    import field that writes to the model, without the model's auto-increment primary key."""
    pk = resource._meta.model._meta.pk
    auto_pk = pk.name if isinstance(pk, AutoField | BigAutoField | SmallAutoField) else None
    return [
        field.column_name
        for field in resource.get_import_fields()
        if field.attribute and not field.readonly and field.attribute != auto_pk
    ]


def error_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    return list(
        getattr(exc, "messages", None) or [str(exc) or _("Anda tidak memiliki izin untuk tindakan ini.")]
    )


class ServiceSaveAdminMixin(_ModelAdmin):
    """Admin pages that save and delete through the services. The forms already run the same
    rules, so a service's refusal here is rare (a concurrent change); when one comes, the admin's
    transaction rolls back whole, nothing is saved and the page says why. A missing permission
    stays a 403, whether Django or a service finds it."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)

    def _refused(self, request, exc: ValidationError) -> HttpResponseRedirect:
        for message in error_messages(exc):
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class LoggedImportExportMixin:
    """django-import-export admin whose every export and import lands in the file log."""

    export_template_name = "admin/inti/ekspor.html"  # "select all" working under the CSP

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        log_berkas(
            user=request.user,
            jenis=LogBerkas.Jenis.EKSPOR,
            nama=f"Admin: {self.model._meta.verbose_name}",
            format=file_format.get_title(),
            saringan=dict(request.GET.items()),
            jumlah_baris=queryset.count(),
        )
        return data

    def process_result(self, result, request):
        totals = result.totals
        # The confirm step posts the uploaded file's name back (a hidden field of the form).
        file_name = Path(request.POST.get("original_file_name", "")).name
        log_berkas(
            user=request.user,
            jenis=LogBerkas.Jenis.IMPOR,
            nama=f"Admin: {self.model._meta.verbose_name}" + (f": {file_name}" if file_name else ""),
            format=Path(file_name).suffix.lstrip(".").lower() or "admin",
            jumlah_baris=sum(totals.values()),
            jumlah_galat=totals.get("error", 0) + totals.get("invalid", 0),
        )
        return super().process_result(result, request)


class ImportTemplateMixin:
    """django-import-export admin with an *Unduh templat .xlsx* link next to *Impor* (change list)
    and on the import page, served at ``admin:<app>_<model>_templat`` to users who may import.
    Only the header row holds cells: importing the template as it is reads no data row."""

    import_export_change_list_template = "admin/inti/templat_impor/change_list.html"
    import_template_name = "admin/inti/templat_impor/import.html"

    def get_urls(self):
        info = (self.model._meta.app_label, self.model._meta.model_name)
        own = [
            path(
                "templat/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_templat".format(*info),
            )
        ]
        return own + super().get_urls()  # before the admin's catch-all "<path:object_id>/"

    def import_template_columns(self: Any, request) -> list[str]:  # self: an ImportMixin admin
        resource_class = self.get_import_resource_classes(request)[0]
        return import_columns(resource_class(**self.get_import_resource_kwargs(request)))

    @method_decorator(require_GET)
    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        title = capfirst(str(opts.verbose_name_plural))
        content = template_xlsx(self.import_template_columns(request), title)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="templat_{opts.model_name}.xlsx"'
        return response


class UserResourceKwargsMixin:
    """Hand the requesting user to the scoped resources (import rows outside the area fail)."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}


class ScopedImportExportAdmin(
    LoggedImportExportMixin,
    ImportTemplateMixin,
    UserResourceKwargsMixin,
    ScopedAdminMixin,
    ImportExportModelAdmin,
):
    """Scoped, logged admin import and export with a template download (add
    ``SimpleHistoryAdmin`` after it for models with a change history)."""


class ScopedExportAdmin(LoggedImportExportMixin, UserResourceKwargsMixin, ScopedAdminMixin, ExportMixin):
    """Scoped, logged admin export, without import."""


class ReadOnlyMixin:
    """Records written by an import or a service (logs, ledgers, frozen entries): looked at in
    the admin, never added, edited or deleted there, by superusers either."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogBerkas)
class LogBerkasAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only record of exports and imports, for administrators."""

    list_display = ["waktu", "jenis", "pengguna", "nama", "format", "jumlah_baris", "jumlah_galat", "wilayah"]
    list_filter = ["jenis", "format", "waktu"]
    list_select_related = ["pengguna"]
    search_fields = ["pengguna__username", "nama"]
    date_hierarchy = "waktu"


@admin.register(PengecualianPemisahan)
class PengecualianPemisahanAdmin(SimpleHistoryAdmin):
    """A small office's explicit exception to one separation-of-duties rule, with its reason
    and history; administrators only (the permission is not in any other role's defaults)."""

    list_display = ["aturan", "aktif", "alasan", "diubah_oleh", "diubah_pada"]
    readonly_fields = ["diubah_oleh", "diubah_pada"]

    def save_model(self, request, obj, form, change):
        obj.diubah_oleh = request.user
        save_validated(obj, request.user)


@admin.register(LogPengecualian)
class LogPengecualianAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every action one person took on both sides of a rule because an exception allowed it."""

    list_display = ["waktu", "aturan", "pengguna", "objek"]
    list_filter = ["aturan"]
    date_hierarchy = "waktu"
