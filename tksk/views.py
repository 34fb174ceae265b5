"""TKSK screens: activities, agenda, PSKS inventory, workload and the monthly report."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from inti.forms import form_errors_to_messages, submit
from inti.models import LogBerkas
from inti.services import log_berkas
from inti.spreadsheet import XLSX_CONTENT_TYPE
from pmks.selectors import keluarga_get_for_user_or_404, keluarga_list
from tksk import selectors, services
from tksk.choices import JenisKegiatan, StatusLaporan
from tksk.ekspor import laporan_workbook
from tksk.forms import (
    HasilRujukanForm,
    KegiatanForm,
    KeputusanLaporanForm,
    KunjunganCepatForm,
    LaporanForm,
    PsksForm,
)

# -- Activities ------------------------------------------------------------------------------------


class KegiatanListView(PermissionRequiredMixin, ListView):
    permission_required = "tksk.view_kegiatan"
    template_name = "tksk/kegiatan_list.html"
    paginate_by = 30

    def get_queryset(self):
        qs = selectors.kegiatan_list(user=self.request.user)
        jenis = self.request.GET.get("jenis")
        if jenis in JenisKegiatan.values:
            qs = qs.filter(jenis=jenis)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "jenis_choices": JenisKegiatan.choices}


class KegiatanCreateView(PermissionRequiredMixin, View):
    permission_required = "tksk.add_kegiatan"
    template_name = "tksk/kegiatan_form.html"

    def form(self, request, data=None, files=None):
        initial = {"tanggal": timezone.localdate()}
        if request.GET.get("jenis") in JenisKegiatan.values:
            initial["jenis"] = request.GET["jenis"]
        if request.GET.get("keluarga", "").isdigit():
            initial["keluarga"] = [int(request.GET["keluarga"])]
        return KegiatanForm(
            data, files, user=request.user, keluarga_qs=keluarga_list(user=request.user), initial=initial
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        return render(request, self.template_name, {"form": self.form(request)})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        form = self.form(request, request.POST, request.FILES)
        kegiatan = submit(
            request,
            form,
            lambda data: services.kegiatan_create(
                actor=request.user,
                keluarga=data.pop("keluarga"),
                anggota=data.pop("anggota"),
                psks=data.pop("psks"),
                kecamatan=data.pop("kecamatan"),
                foto=data.pop("foto"),
                data=data,
            ),
            _("Kegiatan tercatat."),
        )
        if kegiatan:
            return redirect("tksk:kegiatan_detail", pk=kegiatan.pk)
        return render(request, self.template_name, {"form": form})


class KunjunganCepatView(PermissionRequiredMixin, View):
    """Record a visit from the household page: a few fields, today's date filled in."""

    permission_required = "tksk.add_kegiatan"
    template_name = "tksk/kunjungan_form.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        keluarga = keluarga_get_for_user_or_404(user=request.user, pk=pk)
        form = KunjunganCepatForm(initial={"tanggal": timezone.localdate()})
        return render(request, self.template_name, {"form": form, "keluarga": keluarga})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        keluarga = keluarga_get_for_user_or_404(user=request.user, pk=pk)
        form = KunjunganCepatForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.kegiatan_create(actor=request.user, data=data, keluarga=[keluarga]),
            _("Kunjungan tercatat."),
        ):
            return redirect("pmks:keluarga_detail", pk=keluarga.pk)
        return render(request, self.template_name, {"form": form, "keluarga": keluarga})


class KegiatanDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "tksk.view_kegiatan"
    template_name = "tksk/kegiatan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kegiatan = selectors.kegiatan_get_for_user_or_404(user=self.request.user, pk=kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "kegiatan": kegiatan,
            "hasil_form": HasilRujukanForm(initial={"tanggal": timezone.localdate()}),
        }


class KegiatanActionView(PermissionRequiredMixin, View):
    """Mark a follow-up done, or record a referral's outcome."""

    permission_required = "tksk.change_kegiatan"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        kegiatan = selectors.kegiatan_get_for_user_or_404(user=request.user, pk=pk)
        try:
            if request.POST.get("aksi") == "tindak_lanjut_selesai":
                services.kegiatan_complete_follow_up(actor=request.user, kegiatan=kegiatan)
                messages.success(request, _("Tindak lanjut ditandai selesai."))
            elif request.POST.get("aksi") == "hasil_rujukan":
                form = HasilRujukanForm(request.POST)
                if not form.is_valid():
                    form_errors_to_messages(request, form)
                    return redirect("tksk:kegiatan_detail", pk=pk)
                services.rujukan_record_outcome(actor=request.user, kegiatan=kegiatan, **form.cleaned_data)
                messages.success(request, _("Hasil rujukan tercatat."))
            else:
                messages.error(request, _("Tindakan tidak dikenal."))
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect("tksk:kegiatan_detail", pk=pk)


class KegiatanFotoView(PermissionRequiredMixin, View):
    permission_required = "tksk.view_kegiatan"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        kegiatan = selectors.kegiatan_get_for_user_or_404(user=request.user, pk=pk)
        if not kegiatan.foto:
            raise Http404
        response = FileResponse(kegiatan.foto.open("rb"))
        response["Cache-Control"] = "private, max-age=3600"
        return response


# -- Agenda and workload -----------------------------------------------------------------------------


class AgendaView(PermissionRequiredMixin, TemplateView):
    permission_required = "tksk.view_kegiatan"
    template_name = "tksk/agenda.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        kecamatan_list = list(selectors.kecamatan_for_user(user=user))
        kode = self.request.GET.get("kecamatan")
        kecamatan = next((k for k in kecamatan_list if k.kode == kode), None)
        hari = self.request.GET.get("hari", "")
        return {
            **super().get_context_data(**kwargs),
            "kecamatan_list": kecamatan_list,
            "kecamatan": kecamatan,
            "agenda": selectors.agenda(
                user=user,
                kecamatan=kecamatan,
                hari=int(hari) if hari.isdigit() and 0 < int(hari) < 1000 else None,
            ),
            "today": timezone.localdate(),
        }


class BebanKerjaView(PermissionRequiredMixin, TemplateView):
    permission_required = "tksk.view_beban_kerja"
    template_name = "tksk/beban_kerja.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        months, rows = selectors.beban_kerja(user=self.request.user)
        chart = {
            "labels": [m.strftime("%m/%Y") for m in months],
            "datasets": [{"label": r.kecamatan.nama.title(), "data": r.kegiatan_per_bulan} for r in rows],
            "beban": {
                "labels": [r.kecamatan.nama.title() for r in rows],
                "keluarga": [r.keluarga_pmks for r in rows],
                "terlambat": [r.tindak_lanjut_terlambat for r in rows],
            },
        }
        return {**super().get_context_data(**kwargs), "rows": rows, "months": months, "chart": chart}


# -- PSKS --------------------------------------------------------------------------------------------


class PsksListView(PermissionRequiredMixin, ListView):
    permission_required = "tksk.view_psks"
    template_name = "tksk/psks_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.psks_list(user=self.request.user)


class PsksFormView(PermissionRequiredMixin, View):
    template_name = "tksk/psks_form.html"

    def get_permission_required(self):
        return ["tksk.change_psks" if "pk" in self.kwargs else "tksk.add_psks"]

    def instance(self, request, kwargs):
        return (
            selectors.psks_get_for_user_or_404(user=request.user, pk=kwargs["pk"]) if "pk" in kwargs else None
        )

    def get(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        psks = self.instance(request, kwargs)
        return render(
            request, self.template_name, {"form": PsksForm(instance=psks, user=request.user), "psks": psks}
        )

    def post(self, request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponseBase:
        psks = self.instance(request, kwargs)
        form = PsksForm(request.POST, instance=psks, user=request.user)
        if submit(
            request,
            form,
            lambda data: services.psks_save(actor=request.user, psks=psks, data=data),
            _("PSKS tersimpan."),
        ):
            return redirect("tksk:psks_list")
        return render(request, self.template_name, {"form": form, "psks": psks})


# -- Monthly report ----------------------------------------------------------------------------------


def _bulan(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a month, not a moment
    except ValueError as exc:
        raise Http404 from exc


class LaporanListView(PermissionRequiredMixin, TemplateView):
    permission_required = "tksk.view_laporanbulanan"
    template_name = "tksk/laporan_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        months = [today.replace(day=1)]
        for _i in range(5):
            prev = months[-1] - datetime.timedelta(days=1)
            months.append(prev.replace(day=1))
        return {
            **super().get_context_data(**kwargs),
            "laporan": selectors.laporan_list(user=user)[:100],
            "kecamatan_list": selectors.kecamatan_for_user(user=user),
            "months": months,
        }


class LaporanView(PermissionRequiredMixin, View):
    """The month's report: generated live while a draft, frozen once submitted."""

    permission_required = "tksk.view_laporanbulanan"
    template_name = "tksk/laporan_detail.html"

    def context(self, request, kode, bulan):
        kecamatan = selectors.kecamatan_get_for_user_or_404(user=request.user, kode=kode)
        bulan = _bulan(bulan)
        laporan = selectors.laporan_find(kecamatan=kecamatan, bulan=bulan)
        frozen = laporan is not None and laporan.status in (StatusLaporan.DIAJUKAN, StatusLaporan.DITERIMA)
        ringkasan = (
            laporan.ringkasan
            if frozen
            else selectors.laporan_ringkasan(kecamatan=kecamatan, bulan=bulan).as_json()
        )
        return {
            "kecamatan": kecamatan,
            "bulan": bulan,
            "laporan": laporan,
            "ringkasan": ringkasan,
            "frozen": frozen,
            "bulan_depan": bulan > timezone.localdate().replace(day=1),
        }

    def get(self, request: AuthenticatedHttpRequest, kode: str, bulan: str) -> HttpResponseBase:
        ctx = self.context(request, kode, bulan)
        ctx["form"] = LaporanForm(
            initial={"catatan_tksk": ctx["laporan"].catatan_tksk if ctx["laporan"] else ""}
        )
        ctx["keputusan_form"] = KeputusanLaporanForm()
        if request.GET.get("format") == "xlsx":
            return self.xlsx(ctx)
        template = "tksk/laporan_cetak.html" if request.GET.get("cetak") else self.template_name
        return render(request, template, ctx)

    def post(self, request: AuthenticatedHttpRequest, kode: str, bulan: str) -> HttpResponseBase:
        ctx = self.context(request, kode, bulan)
        try:
            if "keputusan" in request.POST:
                form = KeputusanLaporanForm(request.POST)
                if not form.is_valid() or ctx["laporan"] is None:
                    raise ValidationError(_("Keputusan tidak lengkap."))
                if form.cleaned_data["keputusan"] == "terima":
                    services.laporan_accept(
                        actor=request.user, laporan=ctx["laporan"], komentar=form.cleaned_data["komentar"]
                    )
                    messages.success(request, _("Laporan diterima."))
                else:
                    services.laporan_return(
                        actor=request.user, laporan=ctx["laporan"], komentar=form.cleaned_data["komentar"]
                    )
                    messages.warning(request, _("Laporan dikembalikan kepada TKSK."))
            else:
                laporan_form = LaporanForm(request.POST)
                if not laporan_form.is_valid():
                    raise ValidationError(_("Catatan terlalu panjang."))
                services.laporan_submit(
                    actor=request.user,
                    kecamatan=ctx["kecamatan"],
                    bulan=ctx["bulan"],
                    catatan_tksk=laporan_form.cleaned_data["catatan_tksk"],
                )
                messages.success(request, _("Laporan diajukan ke Dinas Sosial."))
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect("tksk:laporan_detail", kode=kode, bulan=ctx["bulan"].strftime("%Y-%m"))

    def xlsx(self, ctx) -> HttpResponseBase:
        content = laporan_workbook(ctx, dibuat_oleh=str(self.request.user))
        log_berkas(
            user=self.request.user,
            jenis=LogBerkas.Jenis.EKSPOR,
            nama=str(ctx["laporan"] or _("Laporan bulanan")),
            format="xlsx",
            saringan={"kecamatan": ctx["kecamatan"].kode, "bulan": f"{ctx['bulan']:%Y-%m}"},
        )
        name = f"laporan-tksk-{ctx['kecamatan'].nama.lower()}-{ctx['bulan']:%Y-%m}.xlsx"
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
