"""The record of who exported or imported personal data (UU PDP: a record of processing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import LogBerkas
from wilayah.scoping import scope_of


def area_text(user: Any) -> str:
    scope = scope_of(user)
    if scope.unrestricted:
        return _("Semua wilayah")
    return ", ".join(sorted(scope.kode_wilayah or [])) or _("(tanpa wilayah)")


def log_berkas(
    *,
    user: Any,
    jenis: str,
    nama: str,
    format: str,
    saringan: dict | None = None,
    jumlah_baris: int = 0,
    jumlah_galat: int = 0,
) -> LogBerkas:
    return LogBerkas.objects.create(
        jenis=jenis,
        pengguna=user,
        nama=nama[:200],
        format=format[:10],
        saringan=saringan or {},
        jumlah_baris=jumlah_baris,
        jumlah_galat=jumlah_galat,
        wilayah=area_text(user)[:200],
    )


def log_berkas_rows(log: LogBerkas, jumlah_baris: int) -> None:
    """Record the row count once a streamed export has finished."""
    LogBerkas.objects.filter(pk=log.pk).update(jumlah_baris=jumlah_baris)


class LoggedImportExportMixin:
    """django-import-export admin whose every export and import lands in the same log."""

    export_template_name = "admin/ekspor/export.html"  # "select all" working under the CSP

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
