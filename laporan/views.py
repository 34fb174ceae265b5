"""Report downloads: .xlsx (write-only, flat memory) or .csv (streamed), always logged."""

from __future__ import annotations

import csv
import tempfile
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from bantuan.selectors import area_label, tahap_list
from inti.models import LogBerkas
from inti.services import log_berkas, log_berkas_rows
from inti.spreadsheet import Judul, csv_rows, write_xlsx
from laporan import ekspor, tasks
from laporan.reports import BY_KODE, LAPORAN
from pmks.filters import KeluargaFilter
from pmks.selectors import keluarga_list


class LaporanIndexView(LoginRequiredMixin, TemplateView):
    template_name = "laporan/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "laporan": [r for r in LAPORAN if user.has_perm(r.permission)],
            "filter": KeluargaFilter(None, queryset=keluarga_list(user=user), request=self.request),
            "tahap_list": tahap_list(),
            "tahun": timezone.localdate().year,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


class LaporanUnduhView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, kode: str) -> HttpResponse:
        laporan = BY_KODE.get(kode)
        if laporan is None:
            raise Http404
        if not request.user.has_perm(laporan.permission):
            raise PermissionDenied
        fmt = request.GET.get("format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            raise Http404
        hasil = laporan.build(request.user, request.GET, request)
        if request.GET.get("latar") or hasil.jumlah > settings.EKSPOR_LATAR_BARIS:
            # Too large for one request: a background task writes the file, the page shows progress.
            params = {k: v for k, v in request.GET.items() if k not in ("format", "latar")}
            job = ekspor.ekspor_create(
                user=request.user, kode=kode, params=params, fmt=fmt, total=hasil.jumlah
            )
            tasks.ekspor.enqueue(job.pk)
            return redirect("laporan:ekspor", pk=job.pk)
        wilayah = area_label(request.user)
        judul = Judul(
            str(laporan.nama), wilayah, hasil.periode, request.user.get_full_name(), timezone.localtime()
        )
        name = f"{slugify(str(laporan.nama))}-{timezone.localdate():%Y%m%d}.{fmt}"
        log = log_berkas(
            user=request.user,
            jenis=LogBerkas.Jenis.EKSPOR,
            nama=str(laporan.nama),
            format=fmt,
            saringan={k: v for k, v in request.GET.items() if k != "format"},
        )
        if fmt == "csv":
            return self.csv(judul, hasil, name, log)
        # A temporary file on disk, not memory: a million rows stay cheap for the server.
        target = tempfile.TemporaryFile()
        log_berkas_rows(log, write_xlsx(target, judul, hasil.kolom, hasil.rows))
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def csv(self, judul, hasil, name, log) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # BOM: Excel opens UTF-8 correctly
            n = 0
            for row in csv_rows(judul, hasil.kolom, hasil.rows):
                n += 1
                yield writer.writerow(row)
            log_berkas_rows(log, max(n - len(judul.rows()) - 2, 0))

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EksporView(LoginRequiredMixin, View):
    """A background export: progress while it runs (htmx polls), the download when done."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = ekspor.ekspor_get_for_user_or_404(user=request.user, pk=pk)
        if request.headers.get("HX-Request"):
            if job.berjalan:
                return render(request, "laporan/_progres.html", {"job": job})
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "laporan/ekspor.html", {"job": job})


class EksporUnduhView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = ekspor.ekspor_get_for_user_or_404(user=request.user, pk=pk)
        if job.status != job.Status.SELESAI or not job.berkas:
            raise Http404
        name = job.berkas.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        return FileResponse(job.berkas.open("rb"), as_attachment=True, filename=name)
