"""The empty .xlsx template of an admin import (*Unduh templat .xlsx*).

Its columns are derived from the admin's import resource, so the template cannot drift from what
the import reads: every import field that writes to the model, in import order, without the
model's auto-increment primary key (spreadsheets carry natural keys, never database ids).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.fields import AutoFieldMixin
from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "@"


def import_columns(resource: Any) -> list[str]:
    """Column names the resource's import reads, in import order, natural keys only."""
    pk = resource._meta.model._meta.pk
    auto_pk = pk.name if isinstance(pk, AutoFieldMixin) else None
    return [
        field.column_name
        for field in resource.get_import_fields()
        if field.attribute and not field.readonly and field.attribute != auto_pk
    ]


def template_xlsx(columns: list[str], title: str) -> bytes:
    """A workbook with one bold, frozen header row; every column formatted as text, so a NIK or
    No. KK typed in stays 16 digits. Only the header row holds cells: importing the template as
    it is reads no data row."""
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Templat"
    bold = Font(bold=True)
    for i, name in enumerate(columns, 1):
        cell = ws.cell(row=1, column=i, value=name)
        cell.font = bold
        cell.number_format = TEXT
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = max(len(name) + 4, 20)
        dim.number_format = TEXT  # the column's style: cells typed in later are text
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class ImportTemplateMixin:
    """django-import-export admin with an *Unduh templat .xlsx* link next to *Impor* (change list)
    and on the import page, served at ``admin:<app>_<model>_templat`` to users who may import."""

    import_export_change_list_template = "admin/templat_impor/change_list.html"
    import_template_name = "admin/templat_impor/import.html"

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

    def import_template_columns(self, request) -> list[str]:
        resource_class = self.get_import_resource_classes(request)[0]
        return import_columns(resource_class(**self.get_import_resource_kwargs(request)))

    @method_decorator(require_GET)
    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        content = template_xlsx(
            self.import_template_columns(request), capfirst(str(opts.verbose_name_plural))
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="templat_{opts.model_name}.xlsx"'
        return response
