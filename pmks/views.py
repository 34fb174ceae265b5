"""Registry screens. Reads go through selectors (scoped), writes through one service each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from inti.forms import submit
from kabar.selectors import kotak_masuk
from pmks import selectors, services
from pmks.filters import CatatanPmksFilter, KeluargaFilter
from pmks.forms import AnggotaFormSet, CatatanPmksForm, KeluargaForm, KeputusanPmksForm
from pmks.models import CatatanPmks, Keluarga
from wilayah.selectors import kode_region_warning


class DashboardView(TemplateView):
    template_name = "pmks/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "ringkasan": selectors.dashboard_summary(user=self.request.user),
            "tugas_list": selectors.tugas_pmks(user=self.request.user),
            "kabar_baru": list(kotak_masuk(self.request.user).filter(dibaca_pada__isnull=True)[:5]),
        }


class FilteredListView(PermissionRequiredMixin, ListView):
    """A scoped list with a django-filter form and pagination (query string kept)."""

    filterset_class: type
    paginate_by = 25

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": self.filterset,
            "querystring": query.urlencode(),
        }


class KeluargaListView(FilteredListView):
    permission_required = "pmks.view_keluarga"
    filterset_class = KeluargaFilter
    template_name = "pmks/keluarga_list.html"

    def base_queryset(self):
        return selectors.keluarga_list(user=self.request.user)


class KeluargaDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "pmks.view_keluarga"
    template_name = "pmks/keluarga_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        keluarga = selectors.keluarga_get_for_user_or_404(user=self.request.user, pk=kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "keluarga": keluarga,
            "anggota": list(keluarga.anggota.all()),
            "catatan_pmks": list(keluarga.catatan_pmks.all()),
            "riwayat": selectors.keluarga_history(keluarga=keluarga),
            "keputusan_form": KeputusanPmksForm(),
        }


class KeluargaFormView(PermissionRequiredMixin, View):
    """Create or edit a household and its members on one page."""

    template_name = "pmks/keluarga_form.html"

    def get_permission_required(self):
        return ["pmks.change_keluarga" if "pk" in self.kwargs else "pmks.add_keluarga"]

    def get_keluarga(self) -> Keluarga | None:
        if "pk" not in self.kwargs:
            return None
        return selectors.keluarga_get_for_user_or_404(user=self.request.user, pk=self.kwargs["pk"])

    def render(self, form, formset, keluarga) -> HttpResponseBase:
        return render(
            self.request,
            self.template_name,
            {"form": form, "formset": formset, "keluarga": keluarga},
        )

    def get(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        keluarga = self.get_keluarga()
        instance = keluarga or Keluarga()
        # A new household may start from what another list already knows (?no_kk=&kelurahan=,
        # e.g. a recipient of national aid not yet registered); the form checks them as typed.
        initial = {} if keluarga else {k: request.GET[k] for k in ("no_kk", "kelurahan") if k in request.GET}
        form = KeluargaForm(instance=instance, user=request.user, initial=initial)
        formset = AnggotaFormSet(instance=instance, user=request.user, prefix="anggota")
        return self.render(form, formset, keluarga)

    def post(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        keluarga = self.get_keluarga()
        instance = keluarga or Keluarga()
        form = KeluargaForm(request.POST, instance=instance, user=request.user)
        formset = AnggotaFormSet(request.POST, instance=instance, user=request.user, prefix="anggota")
        if form.is_valid() and formset.is_valid():
            rows, hapus = formset.service_rows()
            try:
                saved = services.keluarga_save(
                    actor=request.user,
                    keluarga=keluarga,
                    data=form.cleaned_data,
                    anggota=rows,
                    hapus_anggota=hapus,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.warn_implausible_codes(saved.no_kk, [r["nik"] for r in rows])
                messages.success(request, _("Data keluarga KK %(kk)s tersimpan.") % {"kk": saved.no_kk})
                return redirect("pmks:keluarga_detail", pk=saved.pk)
        return self.render(form, formset, keluarga)

    def warn_implausible_codes(self, no_kk: str, niks: list[str]) -> None:
        """The region part of a NIK/KK is only checked for plausibility: warn, never block."""
        for label, nomor in [("No. KK", no_kk)] + [("NIK", n) for n in niks]:
            reason = kode_region_warning(nomor[:6])
            if reason:
                messages.warning(
                    self.request,
                    _("%(label)s %(nomor)s: %(reason)s. Periksa kembali bila bukan pendatang.")
                    % {"label": label, "nomor": nomor, "reason": reason},
                )


class CatatanPmksCreateView(PermissionRequiredMixin, View):
    permission_required = "pmks.add_catatanpmks"
    template_name = "pmks/catatanpmks_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.keluarga = selectors.keluarga_get_for_user_or_404(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        form = CatatanPmksForm(keluarga=self.keluarga)
        return render(request, self.template_name, {"form": form, "keluarga": self.keluarga})

    def post(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        form = CatatanPmksForm(request.POST, keluarga=self.keluarga)
        if submit(
            request,
            form,
            lambda data: services.catatan_pmks_create(actor=request.user, keluarga=self.keluarga, **data),
            _("Catatan PMKS tersimpan dan menunggu verifikasi Dinas Sosial."),
        ):
            return redirect("pmks:keluarga_detail", pk=self.keluarga.pk)
        return render(request, self.template_name, {"form": form, "keluarga": self.keluarga})


class CatatanPmksDecisionView(PermissionRequiredMixin, View):
    """Dinas Sosial verifies, rejects or closes a PMKS record (POST from the household page)."""

    permission_required = "pmks.verify_catatanpmks"
    http_method_names = ["post"]
    ACTIONS: dict[str, tuple[Callable[..., CatatanPmks], str]] = {
        "verifikasi": (services.catatan_pmks_verify, _("Catatan PMKS diverifikasi.")),
        "tolak": (services.catatan_pmks_reject, _("Catatan PMKS ditolak.")),
        "tutup": (services.catatan_pmks_close, _("Catatan PMKS ditutup.")),
    }

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        catatan = selectors.catatan_pmks_get_for_user_or_404(user=request.user, pk=pk)
        form = KeputusanPmksForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Keputusan tidak dikenal."))
        else:
            action, done = self.ACTIONS[form.cleaned_data["keputusan"]]
            try:
                action(actor=request.user, catatan=catatan, note=form.cleaned_data["catatan"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, done)
        back = request.POST.get("next")
        if back and back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect(reverse("pmks:keluarga_detail", args=[catatan.keluarga_id]) + "#pmks")


class CatatanPmksListView(FilteredListView):
    """PMKS records in the area; the Dinas Sosial's verification queue (status=diusulkan)."""

    permission_required = "pmks.view_catatanpmks"
    filterset_class = CatatanPmksFilter
    template_name = "pmks/catatanpmks_list.html"

    def base_queryset(self):
        return selectors.catatan_pmks_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "keputusan_form": KeputusanPmksForm()}
