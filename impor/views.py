"""Upload a people file, see every bad row before anything is saved, then import."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook

from impor import jobs, penduduk, services, tasks
from impor.models import ImporBerkas
from inti.models import LogBerkas
from inti.services import log_berkas

PERMS = ["pmks.add_keluarga", "pmks.add_anggotakeluarga"]


class UnggahForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas (.xlsx atau .csv)"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Bila ada baris yang salah"),
        widget=forms.RadioSelect,
        initial=penduduk.MODE_SEMUA,
        choices=[
            (penduduk.MODE_SEMUA, gettext_lazy("Jangan simpan apa pun (semua atau tidak sama sekali)")),
            (penduduk.MODE_SEBAGIAN, gettext_lazy("Simpan keluarga yang benar; unduh baris yang ditolak")),
        ],
    )
    duplikat = forms.ChoiceField(
        label=gettext_lazy("Bila NIK atau No. KK sudah terdaftar"),
        widget=forms.RadioSelect,
        initial=penduduk.DUP_TOLAK,
        choices=[
            (penduduk.DUP_TOLAK, gettext_lazy("Tolak sebagai galat")),
            (penduduk.DUP_PERBARUI, gettext_lazy("Perbarui data yang sudah ada (di wilayah Anda)")),
            (penduduk.DUP_LEWATI, gettext_lazy("Lewati keluarga itu")),
        ],
    )

    def clean_berkas(self):
        f = self.cleaned_data["berkas"]
        limit = settings.IMPOR_MAKS_MB * 1024 * 1024
        if f.size > limit:
            raise ValidationError(
                _("Berkas %(mb).0f MB terlalu besar; batasnya %(max)s MB. Pecah berkas per kecamatan.")
                % {"mb": f.size / 1024 / 1024, "max": settings.IMPOR_MAKS_MB}
            )
        if f.size == 0:
            raise ValidationError(_("Berkas kosong."))
        return f


class ImporView(PermissionRequiredMixin, View):
    permission_required = PERMS
    template_name = "impor/unggah.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": UnggahForm(),
                "kolom_wajib": penduduk.KOLOM_WAJIB,
                "kolom_opsional": penduduk.KOLOM_OPSIONAL,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UnggahForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {
                    "form": form,
                    "kolom_wajib": penduduk.KOLOM_WAJIB,
                    "kolom_opsional": penduduk.KOLOM_OPSIONAL,
                },
            )
        upload = form.cleaned_data["berkas"]
        digest = services.sha256_of(upload)
        earlier = services.impor_earlier(digest)
        if earlier:
            messages.warning(
                request,
                _("Berkas yang sama sudah diimpor pada %(d)s; data yang sudah ada tidak akan digandakan.")
                % {"d": earlier.dibuat_pada.strftime("%d/%m/%Y %H:%M")},
            )
        job = services.impor_create(
            actor=request.user,
            upload=upload,
            sha256=digest,
            mode=form.cleaned_data["mode"],
            duplikat=form.cleaned_data["duplikat"],
        )
        tasks.periksa.enqueue(job.pk)
        return redirect("impor:detail", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ImporBerkas:
    return services.impor_get_for_user_or_404(user=request.user, pk=pk)


class ImporDetailView(PermissionRequiredMixin, View):
    permission_required = PERMS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk)
        h = job.hasil
        can_import = job.status == ImporBerkas.Status.DIPERIKSA and (
            (job.mode == penduduk.MODE_SEMUA and h.get("jumlah_galat") == 0)
            or (job.mode == penduduk.MODE_SEBAGIAN and h.get("keluarga", 0) > h.get("dilewati", 0))
        )
        context = {
            "job": job,
            "h": h,
            "can_import": can_import,
            "shown": jobs.SHOWN_ERRORS,
            "ditolak_ada": jobs.rejected_path(job).exists(),  # gone after BERKAS_SIMPAN_HARI days
        }
        if request.headers.get("HX-Request"):
            if job.berjalan:
                return render(request, "impor/_progres.html", context)  # htmx polls while it runs
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # finished: reload the page to show the result
            return response
        return render(request, "impor/detail.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk)
        if not services.impor_claim(job=job):
            messages.error(request, _("Berkas ini sudah diproses."))
            return redirect("impor:detail", pk=pk)
        tasks.impor.enqueue(job.pk)
        job.refresh_from_db()
        if job.status == ImporBerkas.Status.DIIMPOR:
            h = job.hasil
            messages.success(
                request,
                _("%(k)s keluarga dan %(a)s orang diimpor; %(u)s keluarga diperbarui.")
                % {"k": h["keluarga_baru"], "a": h["anggota_baru"], "u": h["keluarga_diperbarui"]},
            )
        elif job.status == ImporBerkas.Status.GAGAL:
            messages.error(request, _("Tidak ada yang diimpor."))
        return redirect("impor:detail", pk=pk)


class ImporDitolakView(PermissionRequiredMixin, View):
    """The rejected rows, with their errors, as a CSV to fix and upload again."""

    permission_required = PERMS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk)
        path = jobs.rejected_path(job)
        if not path.exists():
            raise Http404
        log_berkas(
            user=request.user,
            jenis=LogBerkas.Jenis.EKSPOR,
            nama=_("Baris ditolak: %(n)s") % {"n": job.nama_berkas},
            format="csv",
            jumlah_baris=job.hasil.get("baris_ditolak", 0),
        )
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"ditolak-{job.pk}.csv",
            content_type="text/csv; charset=utf-8",
        )


class TemplatView(PermissionRequiredMixin, View):
    """An empty .xlsx in the documented layout; NIK and No. KK columns are text cells."""

    permission_required = PERMS

    def get(self, request: HttpRequest) -> HttpResponse:
        wb = Workbook()
        ws = wb.active
        ws.title = "Penduduk"
        rows = list(penduduk.template_rows())
        for row in rows:
            ws.append(row)
        for col in ("A", "F"):  # no_kk, nik
            for cell in ws[col]:
                cell.number_format = "@"
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="templat-impor-penduduk.xlsx"'
        return response
