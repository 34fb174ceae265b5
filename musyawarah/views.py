"""Musyawarah screens: list, form with attendee and household rows, page, print, signed scan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from inti.forms import add_service_error
from inti.uploads import scan_type
from musyawarah import selectors, services
from musyawarah.berita_acara import tanggal_terbilang
from musyawarah.choices import KeputusanKeluarga, PeranPeserta, StatusMusyawarah
from musyawarah.forms import (
    KeluargaFormSet,
    MusyawarahForm,
    PesertaFormSetFactory,
    SaringanForm,
    ScanForm,
    keluarga_initial,
    peserta_initial,
)
from musyawarah.models import Musyawarah


class MusyawarahListView(PermissionRequiredMixin, ListView):
    """The area's musyawarah, by kelurahan, upcoming or held."""

    permission_required = "musyawarah.view_musyawarah"
    template_name = "musyawarah/musyawarah_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.saringan = SaringanForm(self.request.GET or None, user=self.request.user)
        qs = selectors.musyawarah_list(user=self.request.user)
        if self.saringan.is_valid():
            if self.saringan.cleaned_data["kelurahan"]:
                qs = qs.filter(kelurahan=self.saringan.cleaned_data["kelurahan"])
            waktu = self.saringan.cleaned_data["waktu"]
            if waktu == "akan_datang":
                qs = qs.filter(status=StatusMusyawarah.DIJADWALKAN).order_by("tanggal", "pk")
            elif waktu == StatusMusyawarah.SELESAI:
                qs = qs.filter(status=StatusMusyawarah.SELESAI)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "saringan": self.saringan,
            "querystring": query.urlencode(),
            "today": timezone.localdate(),
        }


class MusyawarahFormView(PermissionRequiredMixin, View):
    """Schedule or record a musyawarah with its attendees and households on one page."""

    template_name = "musyawarah/musyawarah_form.html"

    def get_permission_required(self):
        return ["musyawarah.change_musyawarah" if "pk" in self.kwargs else "musyawarah.add_musyawarah"]

    def get_object(self) -> Musyawarah | None:
        if "pk" not in self.kwargs:
            return None
        return selectors.musyawarah_get_for_user_or_404(user=self.request.user, pk=self.kwargs["pk"])

    def render(self, form, peserta, keluarga, musyawarah) -> HttpResponseBase:
        return render(
            self.request,
            self.template_name,
            {"form": form, "peserta": peserta, "keluarga": keluarga, "musyawarah": musyawarah},
        )

    def get(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        m = self.get_object()
        initial = {} if m else {k: request.GET[k] for k in ("kelurahan",) if k in request.GET}
        form = MusyawarahForm(instance=m or Musyawarah(), user=request.user, initial=initial)
        peserta = PesertaFormSetFactory(prefix="peserta", initial=peserta_initial(m))
        keluarga = KeluargaFormSet(prefix="keluarga", initial=keluarga_initial(m), user=request.user)
        return self.render(form, peserta, keluarga, m)

    def post(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        m = self.get_object()
        form = MusyawarahForm(request.POST, instance=m or Musyawarah(), user=request.user)
        peserta = PesertaFormSetFactory(request.POST, prefix="peserta", initial=peserta_initial(m))
        keluarga = KeluargaFormSet(
            request.POST, prefix="keluarga", initial=keluarga_initial(m), user=request.user
        )
        if form.is_valid() and peserta.is_valid() and keluarga.is_valid():
            rows_p, hapus_p = peserta.service_rows()
            rows_k, hapus_k = keluarga.service_rows()
            try:
                saved = services.musyawarah_save(
                    actor=request.user,
                    musyawarah=m,
                    data=form.cleaned_data,
                    peserta=rows_p,
                    hapus_peserta=hapus_p,
                    keluarga=rows_k,
                    hapus_keluarga=hapus_k,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("%(m)s tersimpan.") % {"m": saved})
                return redirect("musyawarah:detail", pk=saved.pk)
        return self.render(form, peserta, keluarga, m)


class MusyawarahDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "musyawarah.view_musyawarah"
    template_name = "musyawarah/musyawarah_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        m = selectors.musyawarah_get_for_user_or_404(user=self.request.user, pk=kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "musyawarah": m,
            "peserta": selectors.peserta_of(m),
            "keluarga": selectors.keluarga_dibahas_of(m),
            "scan_form": ScanForm(),
            "today": timezone.localdate(),
        }


class BeritaAcaraView(PermissionRequiredMixin, TemplateView):
    """The printable *Berita Acara Musyawarah Kelurahan*."""

    permission_required = "musyawarah.view_musyawarah"
    template_name = "musyawarah/berita_acara.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        m = selectors.musyawarah_get_for_user_or_404(user=self.request.user, pk=kwargs["pk"])
        rows = selectors.keluarga_dibahas_of(m)
        peserta = list(selectors.peserta_of(m))
        return {
            **super().get_context_data(**kwargs),
            "musyawarah": m,
            "tanggal_kata": tanggal_terbilang(m.tanggal),
            "peserta": peserta,
            "diusulkan": [r for r in rows if r[0].keputusan == KeputusanKeluarga.DIUSULKAN],
            "dicoret": [r for r in rows if r[0].keputusan == KeputusanKeluarga.DICORET],
            "tksk": next((p for p in peserta if p.peran == PeranPeserta.TKSK), None),
            "dicetak_pada": timezone.localtime(),
        }


class ScanUploadView(PermissionRequiredMixin, View):
    permission_required = "musyawarah.change_musyawarah"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        m = selectors.musyawarah_get_for_user_or_404(user=request.user, pk=pk)
        form = ScanForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Pilih berkas pindaian berita acara."))
            return redirect("musyawarah:detail", pk=m.pk)
        try:
            services.musyawarah_upload_scan(
                actor=request.user, musyawarah=m, berkas=form.cleaned_data["berkas_scan"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Pindaian berita acara tersimpan."))
        return redirect("musyawarah:detail", pk=m.pk)


class ScanView(PermissionRequiredMixin, View):
    """Serve the signed scan only to users who may see its musyawarah (no public media URL), as
    a download whose type is judged by its content."""

    permission_required = "musyawarah.view_musyawarah"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        m = selectors.musyawarah_get_for_user_or_404(user=request.user, pk=pk)
        if not m.berkas_scan:
            raise Http404
        handle = m.berkas_scan.open("rb")
        content_type, ext = scan_type(handle)
        name = f"berita-acara-musyawarah-{slugify(m.kelurahan.nama)}-{m.tanggal:%Y%m%d}.{ext}"
        response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response
