"""Upload a people file, see every bad row before anything is saved, then import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from impor import desil, ekstrak, jobs, services, tasks
from impor.kolom import CONTOH, KOLOM_OPSIONAL, KOLOM_WAJIB
from impor.models import DuplikatImpor, ImporBerkas, JenisImpor, ModeImpor
from inti.jobs import job_get_for_owner_or_404, job_page
from inti.models import LogBerkas
from inti.services import log_berkas
from inti.spreadsheet import XLSX_CONTENT_TYPE, template_xlsx


@dataclass(frozen=True)
class Halaman:
    """What the pages of one kind of file say and need."""

    izin: tuple[str, ...]
    kolom_wajib: list[str]
    kolom_opsional: list[str]
    contoh: list[str]
    lembar: str  # the template's sheet and file name
    petunjuk: str  # the upload page's explanation (template)


HALAMAN = {
    JenisImpor.PENDUDUK: Halaman(
        ("pmks.add_keluarga", "pmks.add_anggotakeluarga"),
        KOLOM_WAJIB,
        KOLOM_OPSIONAL,
        CONTOH,
        "penduduk",
        "impor/_petunjuk_penduduk.html",
    ),
    JenisImpor.EKSTRAK: Halaman(
        ("bantuan.add_penerimaeksternal",),
        ekstrak.KOLOM_WAJIB,
        ekstrak.KOLOM_OPSIONAL,
        ekstrak.CONTOH,
        "bantuan-luar",
        "impor/_petunjuk_ekstrak.html",
    ),
    JenisImpor.DESIL: Halaman(
        ("pmks.add_desilkeluarga",),
        desil.KOLOM_WAJIB,
        desil.KOLOM_OPSIONAL,
        desil.CONTOH,
        "desil",
        "impor/_petunjuk_desil.html",
    ),
}


class JenisMixin(PermissionRequiredMixin):
    """A page of one kind of import (the URL says which); its permissions are that kind's."""

    jenis = JenisImpor.PENDUDUK

    @property
    def halaman(self) -> Halaman:
        return HALAMAN[JenisImpor(self.jenis)]

    def get_permission_required(self):
        return self.halaman.izin


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

    def __init__(self, *args: Any, jenis: str = JenisImpor.PENDUDUK, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if jenis != JenisImpor.PENDUDUK:  # extracts add to a ledger: nothing to update or skip
            del self.fields["duplikat"]
            self.fields["mode"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
                (ModeImpor.SEMUA, ModeImpor.SEMUA.label),
                (ModeImpor.SEBAGIAN, _("Simpan baris yang benar; unduh baris yang ditolak")),
            ]

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


class ImporView(JenisMixin, View):
    template_name = "impor/unggah.html"

    def render(self, form: UnggahForm) -> HttpResponseBase:
        context = {"form": form, "jenis": JenisImpor(self.jenis), "halaman": self.halaman}
        return render(self.request, self.template_name, context)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        return self.render(UnggahForm(jenis=self.jenis))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        form = UnggahForm(request.POST, request.FILES, jenis=self.jenis)
        if not form.is_valid():
            return self.render(form)
        upload = form.cleaned_data["berkas"]
        digest = services.sha256_of(upload)
        earlier = services.impor_earlier(digest, self.jenis)
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
            duplikat=form.cleaned_data.get("duplikat") or DuplikatImpor.TOLAK,
            jenis=self.jenis,
        )
        tasks.periksa.enqueue(job.pk)
        return redirect("impor:detail", pk=job.pk)


def _job(request: AuthenticatedHttpRequest, pk: int) -> ImporBerkas:
    """The user's own job, if they still hold the permissions of its kind."""
    job = job_get_for_owner_or_404(ImporBerkas, user=request.user, pk=pk)
    if not request.user.has_perms(HALAMAN[JenisImpor(job.jenis)].izin):
        raise PermissionDenied
    return job


def _success_message(job: ImporBerkas) -> str:
    h = job.hasil
    if job.jenis == JenisImpor.EKSTRAK:
        return _(
            "%(n)s ekstrak: %(m)s masuk, %(k)s keluar, %(u)s diubah; %(b)s penerima belum terdaftar."
        ) % {
            "n": len(h["kelompok"]),
            "m": sum(k["masuk"] for k in h["kelompok"]),
            "k": sum(k["keluar"] for k in h["kelompok"]),
            "u": sum(k["diubah"] for k in h["kelompok"]),
            "b": h["belum_terdaftar"],
        }
    if job.jenis == JenisImpor.DESIL:
        return _("Desil %(k)s keluarga: %(b)s baru, %(u)s diubah; %(t)s belum terdaftar dilewati.") % {
            "k": h["keluarga"],
            "b": h["baru"],
            "u": h["diubah"],
            "t": h["belum_terdaftar"],
        }
    return _("%(k)s keluarga dan %(a)s orang diimpor; %(u)s keluarga diperbarui.") % {
        "k": h["keluarga_baru"],
        "a": h["anggota_baru"],
        "u": h["keluarga_diperbarui"],
    }


class ImporDetailView(LoginRequiredMixin, View):
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
            messages.success(request, _success_message(job))
        elif job.status == ImporBerkas.Status.GAGAL:
            messages.error(request, _("Tidak ada yang diimpor."))
        return redirect("impor:detail", pk=pk)


class ImporDitolakView(LoginRequiredMixin, View):
    """The rejected rows, with their errors, as a CSV to fix and upload again."""

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


class TemplatView(JenisMixin, View):
    """An empty .xlsx in the documented layout with one example row; every column is text."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        h = self.halaman
        content = template_xlsx(h.kolom_wajib + h.kolom_opsional, h.lembar.title(), [h.contoh])
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="templat-impor-{h.lembar}.xlsx"'
        return response
