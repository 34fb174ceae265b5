"""Citizens' public pages (no login: /publik/) and the staff's screens (/warga/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from inti.forms import add_service_error, form_errors_to_messages
from warga import selectors, services
from warga.choices import JenisAduan, StatusAduan
from warga.forms import CekForm, JawabForm, SanggahForm, TarikForm, TerbitForm, TiketForm, UsulForm
from warga.pengaman import (
    Batas,
    batas_aduan_ip,
    batas_cek_ip,
    batas_nama,
    batas_nik,
    batas_tiket_ip,
    ip_of,
    masih_boleh,
    pakai_soal,
    rapikan_kode,
    rapikan_nama,
    sisa,
    soal_baru,
)
from wilayah.selectors import kecamatan_for_user

# -- Public ---------------------------------------------------------------------------------------


def _terlalu_sering(request: HttpRequest) -> HttpResponse:
    return render(request, "warga/publik_batas.html", status=429)


def _boleh(request: HttpRequest, batas: Batas, nilai: str) -> bool:
    return masih_boleh(batas, nilai)


@login_not_required
def publik_index(request: HttpRequest) -> HttpResponse:
    return render(request, "warga/publik_index.html", {"tiket_form": TiketForm()})


@login_not_required
def cek_penerima(request: HttpRequest) -> HttpResponse:
    """Yes (programme, stage, period, SK) or one plain no, for a NIK with its holder's name."""
    hasil = None
    if request.method == "POST":
        # Every attempt counts against the address, wrong ones too: the page cannot be used to
        # try NIK after NIK.
        if not _boleh(request, batas_cek_ip(), ip_of(request)):
            return _terlalu_sering(request)
        form = CekForm(request.POST, soal=soal_baru())
        if form.is_valid():
            if not masih_boleh(batas_nik(), form.cleaned_data["nik"]):
                return _terlalu_sering(request)
            if not masih_boleh(batas_nama(), rapikan_nama(form.cleaned_data["nama"])):
                return _terlalu_sering(request)
            if pakai_soal(form.soal_token):
                hasil = selectors.cek_penerima(nik=form.cleaned_data["nik"], nama=form.cleaned_data["nama"])
                form = CekForm(soal=soal_baru())  # nothing typed is shown back
            else:
                form.add_error("jawaban_soal", _("Pertanyaan pemeriksa sudah terpakai; jawab yang baru."))
    else:
        form = CekForm(soal=soal_baru())
    return render(request, "warga/publik_cek.html", {"form": form, "hasil": hasil})


def _ajukan(request: HttpRequest, form, simpan) -> HttpResponse | None:
    """The common end of an usul or sanggah: throttles, then the service; the ticket page, or
    None to show the form again (with a new question)."""
    if not sisa(batas_cek_ip(), ip_of(request)):
        return _terlalu_sering(request)
    if not form.is_valid():
        if "jawaban_soal" in form.errors:  # guessing the question's answer counts as an attempt
            masih_boleh(batas_cek_ip(), ip_of(request))
        return None
    if not sisa(batas_aduan_ip(), ip_of(request)):
        return _terlalu_sering(request)
    nik = form.cleaned_data.get("nik")
    if nik and not sisa(batas_nik(), nik):
        return _terlalu_sering(request)
    try:
        aduan = simpan(form.cleaned_data)
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    masih_boleh(batas_aduan_ip(), ip_of(request))
    if nik:
        masih_boleh(batas_nik(), nik)
    return render(request, "warga/publik_terkirim.html", {"kode": aduan.kode, "tenggat": aduan.tenggat})


@login_not_required
def usul(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = UsulForm(request.POST, soal=soal_baru())
        done = _ajukan(
            request,
            form,
            lambda data: services.aduan_usul_create(data=data, soal_token=form.soal_token),
        )
        if done is not None:
            return done
    else:
        form = UsulForm(soal=soal_baru())
    return render(request, "warga/publik_usul.html", {"form": form})


@login_not_required
def sanggah(request: HttpRequest, kode: str, baris: str) -> HttpResponse:
    publikasi = selectors.publikasi_publik_or_404(kode)
    entri = selectors.entri_dari_token(publikasi, baris)
    if request.method == "POST":
        form = SanggahForm(request.POST, soal=soal_baru())
        done = _ajukan(
            request,
            form,
            lambda data: services.aduan_sanggah_create(
                publikasi=publikasi, entri=entri, data=data, soal_token=form.soal_token
            ),
        )
        if done is not None:
            return done
    else:
        form = SanggahForm(soal=soal_baru())
    row = next(r for r in selectors.baris_publikasi(publikasi) if r.token == baris)
    return render(request, "warga/publik_sanggah.html", {"form": form, "publikasi": publikasi, "baris": row})


@login_not_required
def tiket(request: HttpRequest) -> HttpResponse:
    """Follow a ticket: status, dates, the answer and its outcome; nobody's personal data."""
    form = TiketForm(request.GET or None)
    aduan = None
    dicari = False
    if form.is_bound and form.is_valid():
        if not _boleh(request, batas_tiket_ip(), ip_of(request)):
            return _terlalu_sering(request)
        dicari = True
        aduan = selectors.aduan_by_kode(rapikan_kode(form.cleaned_data["kode"]))
    context = {"form": form, "aduan": aduan, "dicari": dicari, "hari_ini": timezone.localdate()}
    return render(request, "warga/publik_tiket.html", context)


@login_not_required
def daftar_index(request: HttpRequest) -> HttpResponse:
    """Current publications, per kecamatan and kelurahan."""
    return render(request, "warga/publik_daftar_index.html", {"publikasi": list(selectors.publikasi_aktif())})


@login_not_required
def daftar_detail(request: HttpRequest, kode: str) -> HttpResponse:
    publikasi = selectors.publikasi_publik_or_404(kode)
    rows = selectors.baris_publikasi(publikasi)
    return render(request, "warga/publik_daftar.html", {"publikasi": publikasi, "rows": rows})


@login_not_required
def daftar_cetak(request: HttpRequest, kode: str) -> HttpResponse:
    """The notice for the kelurahan board: recipients, the SK and where to object."""
    publikasi = selectors.publikasi_publik_or_404(kode)
    rows = selectors.baris_publikasi(publikasi)
    context = {
        "publikasi": publikasi,
        "rows": rows,
        "tanggal": timezone.localdate(),
        "halaman": request.build_absolute_uri(f"/publik/daftar/{publikasi.kode}/"),
    }
    return render(request, "warga/publik_cetak.html", context)


# -- Staff ----------------------------------------------------------------------------------------


class AduanListView(PermissionRequiredMixin, ListView):
    permission_required = "warga.view_aduan"
    template_name = "warga/aduan_list.html"
    context_object_name = "aduan"
    paginate_by = 30

    def get_queryset(self):
        filters = {k: self.request.GET.get(k, "") for k in ("status", "jenis", "kecamatan")}
        return selectors.aduan_list(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "status_choices": StatusAduan.choices,
            "jenis_choices": JenisAduan.choices,
            "kecamatan_choices": kecamatan_for_user(user=self.request.user),
            "filters": {k: self.request.GET.get(k, "") for k in ("status", "jenis", "kecamatan")},
            "hari_ini": timezone.localdate(),
        }


class AduanDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "warga.view_aduan"
    template_name = "warga/aduan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        aduan = selectors.aduan_get_for_user_or_404(user=user, pk=kwargs["pk"])
        form = kwargs.get("form")
        if form is None and aduan.terbuka and user.has_perm("warga.change_aduan"):
            form = JawabForm(aduan=aduan, user=user)
        return {
            **super().get_context_data(**kwargs),
            "aduan": aduan,
            "form": form,
            "hari_ini": timezone.localdate(),
            "riwayat": aduan.history.select_related("history_user").order_by("history_date"),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The answer form, posted back to the item's page."""
        if not request.user.has_perm("warga.change_aduan"):
            raise PermissionDenied
        aduan = selectors.aduan_get_for_user_or_404(user=request.user, pk=pk)
        form = JawabForm(request.POST, aduan=aduan, user=request.user)
        if form.is_valid():
            try:
                services.aduan_jawab(actor=request.user, aduan=aduan, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Jawaban %(k)s tersimpan.") % {"k": aduan.kode})
                return redirect("warga:aduan_detail", pk=aduan.pk)
        return self.render_to_response(self.get_context_data(pk=pk, form=form))


@require_POST
@permission_required("warga.change_aduan", raise_exception=True)
def aduan_periksa(request: HttpRequest, pk: int) -> HttpResponse:
    aduan = selectors.aduan_get_for_user_or_404(user=request.user, pk=pk)
    try:
        services.aduan_periksa(actor=request.user, aduan=aduan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(k)s sedang diperiksa.") % {"k": aduan.kode})
    return redirect("warga:aduan_detail", pk=aduan.pk)


class RingkasanView(PermissionRequiredMixin, TemplateView):
    permission_required = "warga.view_ringkasan_aduan"
    template_name = "warga/ringkasan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = selectors.ringkasan_per_kecamatan(user=self.request.user)
        return {**super().get_context_data(**kwargs), "rows": rows}


class PublikasiView(PermissionRequiredMixin, TemplateView):
    permission_required = "warga.view_publikasi"
    template_name = "warga/publikasi.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "calon": selectors.calon_publikasi(user=user),
            "log": selectors.publikasi_log(user=user)[:100],
        }


@require_POST
@permission_required("warga.publish_publikasi", raise_exception=True)
def publikasi_terbit(request: HttpRequest) -> HttpResponse:
    form = TerbitForm(request.POST, user=request.user)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("warga:publikasi")
    try:
        publikasi = services.publikasi_terbit(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(p)s diterbitkan.") % {"p": publikasi})
    return redirect("warga:publikasi")


@require_POST
@permission_required("warga.publish_publikasi", raise_exception=True)
def publikasi_tarik(request: HttpRequest, pk: int) -> HttpResponse:
    publikasi = selectors.publikasi_get_for_user_or_404(user=request.user, pk=pk)
    form = TarikForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("warga:publikasi")
    try:
        services.publikasi_tarik(actor=request.user, publikasi=publikasi, alasan=form.cleaned_data["alasan"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(p)s ditarik.") % {"p": publikasi})
    return redirect("warga:publikasi")
