"""Report downloads: .xlsx (write-only, flat memory) or .csv (streamed), always logged; large
ones are written in the background (laporan.ekspor)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from bantuan.selectors import tahap_list
from inti.jobs import job_get_for_owner_or_404, job_page
from inti.services import log_berkas_rows
from inti.spreadsheet import XLSX_CONTENT_TYPE
from laporan import ekspor, tasks
from laporan.models import EksporBerkas
from laporan.reports import BY_KODE, LAPORAN
from pmks.filters import KeluargaFilter
from pmks.selectors import keluarga_list
from wilayah.selectors import kecamatan_for_user


class LaporanIndexView(LoginRequiredMixin, TemplateView):
    template_name = "laporan/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "laporan": [r for r in LAPORAN if user.has_perm(r.permission)],
            "filter": KeluargaFilter(None, queryset=keluarga_list(user=user), request=self.request),
            "tahap_list": tahap_list(),
            "kecamatan_list": kecamatan_for_user(user=user).order_by("kode"),
            "tahun": timezone.localdate().year,
        }


class LaporanUnduhView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, kode: str) -> HttpResponseBase:
        laporan = BY_KODE.get(kode)
        if laporan is None:
            raise Http404
        if not request.user.has_perm(laporan.permission):
            raise PermissionDenied
        fmt = request.GET.get("format", "xlsx")
        if fmt not in ekspor.FORMATS:
            raise Http404
        siap = ekspor.ekspor_prepare(user=request.user, kode=kode, params=request.GET.dict(), fmt=fmt)
        if request.GET.get("latar") or siap.hasil.jumlah > settings.EKSPOR_LATAR_BARIS:
            # Too large for one request: a background task writes the file, the page shows progress.
            job = ekspor.ekspor_create(user=request.user, ekspor=siap)
            tasks.ekspor.enqueue(job.pk)
            return redirect("laporan:ekspor", pk=job.pk)
        log = siap.log(request.user)
        if fmt == "csv":
            response = StreamingHttpResponse(
                ekspor.ekspor_csv_stream(siap, log), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{siap.nama_berkas}"'
            return response
        # A temporary file on disk, not memory: a million rows stay cheap for the server.
        target = tempfile.TemporaryFile()
        log_berkas_rows(log, ekspor.ekspor_write(siap, target))
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename=siap.nama_berkas, content_type=XLSX_CONTENT_TYPE
        )


class EksporView(LoginRequiredMixin, View):
    """A background export: progress while it runs, the download when done."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = job_get_for_owner_or_404(EksporBerkas, user=request.user, pk=pk)
        return job_page(request, job, "laporan/ekspor.html", {})


class EksporUnduhView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = job_get_for_owner_or_404(EksporBerkas, user=request.user, pk=pk)
        if job.status != job.Status.SELESAI or not job.berkas:
            raise Http404
        name = job.berkas.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        return FileResponse(job.berkas.open("rb"), as_attachment=True, filename=name)
