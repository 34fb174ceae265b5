"""Upload a people file, see every bad row before anything is saved, then import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from impor import jobs, services, tasks
from impor.kolom import CONTOH, KOLOM_OPSIONAL, KOLOM_WAJIB
from impor.models import DuplikatImpor, ImporBerkas, ModeImpor
from inti.jobs import job_get_for_owner_or_404, job_page
from inti.models import LogBerkas
from inti.services import log_berkas
from inti.spreadsheet import XLSX_CONTENT_TYPE, template_xlsx

PERMS = ["pmks.add_keluarga", "pmks.add_anggotakeluarga"]


class UnggahForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas (.xlsx atau .csv)"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Bila ada baris yang salah"),
        widget=forms.RadioSelect,
        initial=ModeImpor.SEMUA,
        choices=ModeImpor.choices,
    )
    duplikat = forms.ChoiceField(
        label=gettext_lazy("Bila NIK atau No. KK sudah terdaftar"),
        widget=forms.RadioSelect,
        initial=DuplikatImpor.TOLAK,
        choices=[(c, DuplikatImpor(c).label) for c in ("tolak", "perbarui", "lewati")],
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

    def render(self, form: UnggahForm) -> HttpResponseBase:
        context = {"form": form, "kolom_wajib": KOLOM_WAJIB, "kolom_opsional": KOLOM_OPSIONAL}
        return render(self.request, self.template_name, context)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        return self.render(UnggahForm())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        form = UnggahForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
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


def _job(request: AuthenticatedHttpRequest, pk: int) -> ImporBerkas:
    return job_get_for_owner_or_404(ImporBerkas, user=request.user, pk=pk)


class ImporDetailView(PermissionRequiredMixin, View):
    permission_required = PERMS

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = _job(request, pk)
        rejected = jobs.rejected_path(job)
        context = {
            "h": job.hasil,
            "can_import": services.impor_may_import(job),
            "shown": jobs.SHOWN_ERRORS,
            "ditolak_ada": rejected is not None and rejected.exists(),  # gone after BERKAS_SIMPAN_HARI
        }
        return job_page(request, job, "impor/detail.html", context)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = _job(request, pk)
        if not services.impor_claim(job=job):
            messages.error(request, _("Berkas ini sudah diproses atau tidak dapat diimpor."))
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

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = _job(request, pk)
        path = jobs.rejected_path(job)
        if path is None or not path.exists():
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
    """An empty .xlsx in the documented layout with one example row; every column is text."""

    permission_required = PERMS

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        content = template_xlsx(KOLOM_WAJIB + KOLOM_OPSIONAL, "Penduduk", [CONTOH])
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-impor-penduduk.xlsx"'
        return response
