"""Aid screens: proposals, lists, distribution, follow-up, hand-over records and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from bantuan import kutipan, luar, selectors, services
from bantuan.choices import StatusUsulan
from bantuan.forms import (
    AlasanForm,
    JadwalPemantauanForm,
    KeputusanDaftarForm,
    MasalahForm,
    PemantauanForm,
    PenyaluranForm,
    UsulanForm,
    UsulanMassalForm,
)
from bantuan.models import Pemantauan, Penyaluran
from bantuan.rules import kuota_daftar, tanda_untuk
from inti.forms import form_errors_to_messages, submit
from musyawarah.selectors import musyawarah_get_for_user_or_404, pengusul_terakhir
from pmks.filters import KeluargaFilter
from pmks.selectors import keluarga_get_for_user_or_404, keluarga_list


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class ProgramListView(PermissionRequiredMixin, TemplateView):
    permission_required = "bantuan.view_programbantuan"
    template_name = "bantuan/program_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "program": selectors.program_list(),
            "tahap": selectors.tahap_list(),
        }


# -- Usulan ----------------------------------------------------------------------------------------


class UsulanListView(PermissionRequiredMixin, ListView):
    """The fate of every proposal in the area (the field hears back)."""

    permission_required = "bantuan.view_usulan"
    template_name = "bantuan/usulan_list.html"
    paginate_by = 30

    def get_queryset(self):
        qs = selectors.usulan_list(user=self.request.user)
        tahap = self.request.GET.get("tahap", "")
        if tahap.isascii() and tahap.isdigit():
            qs = qs.filter(tahap_id=int(tahap))
        if self.request.GET.get("status") in StatusUsulan.values:
            qs = qs.filter(status=self.request.GET["status"])
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [(u, selectors.nasib_usulan(u)) for u in ctx["object_list"]]
        ctx["tahap_list"] = selectors.tahap_list()
        ctx["status_list"] = StatusUsulan.choices
        return ctx


class UsulanCreateView(PermissionRequiredMixin, View):
    """Propose one household from its page; flags for each open stage are shown before saving."""

    permission_required = "bantuan.add_usulan"
    template_name = "bantuan/usulan_form.html"

    def setup_keluarga(self, request: AuthenticatedHttpRequest, pk: int):
        self.keluarga = keluarga_get_for_user_or_404(user=request.user, pk=pk)

    def render(self, request: AuthenticatedHttpRequest, form) -> HttpResponseBase:
        tahap = list(selectors.tahap_open_for_proposals())
        flags = [(t, tanda_untuk(t, [self.keluarga.pk]).get(self.keluarga.pk, [])) for t in tahap]
        return render(request, self.template_name, {"form": form, "keluarga": self.keluarga, "flags": flags})

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        self.setup_keluarga(request, pk)
        return self.render(request, UsulanForm(keluarga=self.keluarga))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        self.setup_keluarga(request, pk)
        form = UsulanForm(request.POST, keluarga=self.keluarga)
        usulan = submit(
            request,
            form,
            lambda data: services.usulan_create(actor=request.user, keluarga=self.keluarga, **data),
        )
        if usulan is None:
            return self.render(request, form)
        messages.success(
            request,
            _("Usulan %(t)s untuk KK %(kk)s tersimpan.") % {"t": usulan.tahap, "kk": self.keluarga.no_kk},
        )
        for tanda in tanda_untuk(usulan.tahap, [self.keluarga.pk]).get(self.keluarga.pk, []):
            messages.warning(request, tanda.pesan)
        return redirect("pmks:keluarga_detail", pk=self.keluarga.pk)


class UsulanMassalView(PermissionRequiredMixin, View):
    """Propose several households at once from a filtered household list."""

    permission_required = "bantuan.add_usulan"
    template_name = "bantuan/usulan_massal.html"

    def filterset(self, request: AuthenticatedHttpRequest) -> KeluargaFilter:
        return KeluargaFilter(request.GET or None, queryset=keluarga_list(user=request.user), request=request)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        f = self.filterset(request)
        form = UsulanMassalForm(keluarga_qs=keluarga_list(user=request.user))
        return render(request, self.template_name, {"filter": f, "rows": f.qs[:200], "form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        form = UsulanMassalForm(request.POST, keluarga_qs=keluarga_list(user=request.user))
        if form.is_valid():
            chosen = list(form.cleaned_data["keluarga"])
            cited = pengusul_terakhir([k.pk for k in chosen]) if form.cleaned_data["kutip_musyawarah"] else {}
            created, skipped = services.usulan_bulk_create(
                actor=request.user,
                tahap=form.cleaned_data["tahap"],
                keluarga=chosen,
                alasan=form.cleaned_data["alasan"],
                musyawarah=cited,
            )
            if created:
                messages.success(
                    request,
                    _("%(n)s keluarga diusulkan untuk %(t)s.")
                    % {"n": len(created), "t": form.cleaned_data["tahap"]},
                )
            for message in skipped:
                messages.warning(request, message)
            return redirect("bantuan:usulan_list")
        form_errors_to_messages(request, form)
        return redirect(reverse("bantuan:usulan_massal") + "?" + request.GET.urlencode())


class UsulanCancelView(PermissionRequiredMixin, View):
    """Withdraw a proposal of the area that is not on a list yet, with a reason."""

    permission_required = "bantuan.add_usulan"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        usulan = selectors.usulan_get_for_user_or_404(user=request.user, pk=pk)
        form = AlasanForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tuliskan alasan pembatalan."))
        else:
            try:
                services.usulan_cancel(actor=request.user, usulan=usulan, alasan=form.cleaned_data["alasan"])
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Usulan dibatalkan."))
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect(reverse("bantuan:usulan_list") + f"?tahap={usulan.tahap_id}")


class UsulanCiteView(PermissionRequiredMixin, View):
    """Cite a musyawarah kelurahan on a pending proposal of the area (from the musyawarah page)."""

    permission_required = "bantuan.add_usulan"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        usulan = selectors.usulan_get_for_user_or_404(user=request.user, pk=pk)
        raw = request.POST.get("musyawarah", "")
        if not raw.isdigit():
            raise Http404
        musyawarah = musyawarah_get_for_user_or_404(user=request.user, pk=int(raw))
        try:
            kutipan.usulan_cite_musyawarah(actor=request.user, usulan=usulan, musyawarah=musyawarah)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("Usulan KK %(kk)s kini mengutip %(m)s.") % {"kk": usulan.keluarga.no_kk, "m": musyawarah},
            )
        return redirect("musyawarah:detail", pk=musyawarah.pk)


# -- Daftar penerima -------------------------------------------------------------------------------


class DaftarListView(PermissionRequiredMixin, TemplateView):
    permission_required = "bantuan.view_daftarpenerima"
    template_name = "bantuan/daftar_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "tahap_list": selectors.tahap_list()}


class DaftarBuildView(PermissionRequiredMixin, View):
    permission_required = "bantuan.manage_daftarpenerima"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        tahap = selectors.tahap_get_or_404(pk)
        try:
            daftar = services.daftar_build(actor=request.user, tahap=tahap)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("bantuan:daftar_list")
        messages.success(request, _("Daftar disusun dari usulan yang masuk."))
        return redirect("bantuan:daftar_detail", pk=daftar.pk)


class DaftarDetailView(PermissionRequiredMixin, TemplateView):
    """A list with its entries (only those in the user's area), flags, quota and history."""

    permission_required = "bantuan.view_daftarpenerima"
    template_name = "bantuan/daftar_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        daftar = selectors.daftar_get_or_404(kwargs["pk"])
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "daftar": daftar,
            "rows": selectors.daftar_rows(user=user, daftar=daftar),
            "kuota": kuota_daftar(daftar.tahap),
            "riwayat": selectors.daftar_riwayat(user=user, daftar=daftar),
            "pending": selectors.usulan_pending_for_tahap(user=user, tahap=daftar.tahap),
            "amandemen": selectors.amandemen_rows(user=user, daftar=daftar),
            "berita_acara": selectors.berita_acara_kelurahan(user=user, tahap=daftar.tahap),
            "tanpa_musyawarah": kutipan.usulan_tanpa_musyawarah_ids(user=user, daftar=daftar)
            if daftar.tahap.program.wajib_musyawarah
            else set(),
        }


class DaftarActionView(PermissionRequiredMixin, View):
    """Submit, verify, take entries off, or amend a list (approval itself is in the admin)."""

    permission_required = "bantuan.view_daftarpenerima"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        daftar = selectors.daftar_get_or_404(pk)
        form = KeputusanDaftarForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Permintaan tidak lengkap; muat ulang halaman."))
            return redirect("bantuan:daftar_detail", pk=pk)
        d = form.cleaned_data
        user = request.user
        try:
            if d["aksi"] == "ajukan":
                services.daftar_submit(actor=user, daftar=daftar, versi=d["versi"])
                messages.success(request, _("Daftar diajukan untuk verifikasi."))
            elif d["aksi"] == "verifikasi":
                services.daftar_verify(actor=user, daftar=daftar, versi=d["versi"], catatan=d["alasan"])
                messages.success(request, _("Daftar diverifikasi; menunggu persetujuan di admin."))
            elif d["aksi"] == "keluarkan":
                services.daftar_remove_entries(
                    actor=user,
                    daftar=daftar,
                    entri_ids=[d["entri"] or 0],
                    versi=d["versi"],
                    alasan=d["alasan"],
                )
                messages.success(request, _("Entri dikeluarkan; usulannya kembali menunggu."))
            elif d["aksi"] == "amandemen_tambah":
                usulan = selectors.usulan_get_for_user_or_404(user=user, pk=d["usulan"] or 0)
                services.amandemen_propose(
                    actor=user, daftar=daftar, jenis="tambah", usulan=usulan, alasan=d["alasan"]
                )
                messages.success(request, _("Amandemen diusulkan; staf lain memutuskannya."))
            elif d["aksi"] == "tolak_usulan":
                usulan = selectors.usulan_get_for_user_or_404(user=user, pk=d["usulan"] or 0)
                if usulan.tahap_id != daftar.tahap_id:
                    raise Http404
                services.usulan_reject(actor=user, usulan=usulan, alasan=d["alasan"])
                messages.success(request, _("Usulan ditolak; pengusul melihat alasannya."))
            elif d["aksi"] == "amandemen_keluarkan":
                entri = selectors.entri_get_for_user_or_404(user=user, pk=d["entri"] or 0)
                services.amandemen_propose(
                    actor=user, daftar=daftar, jenis="keluarkan", entri=entri, alasan=d["alasan"]
                )
                messages.success(request, _("Amandemen diusulkan; staf lain memutuskannya."))
            elif d["aksi"] in ("amandemen_setujui", "amandemen_tolak"):
                amandemen = selectors.amandemen_get_for_user_or_404(
                    user=user, daftar=daftar, pk=d["amandemen"] or 0
                )
                if d["aksi"] == "amandemen_setujui":
                    services.amandemen_approve(actor=user, amandemen=amandemen, catatan=d["alasan"])
                    messages.success(request, _("Amandemen disetujui dan diterapkan pada daftar."))
                else:
                    services.amandemen_reject(actor=user, amandemen=amandemen, catatan=d["alasan"])
                    messages.warning(request, _("Amandemen ditolak; daftar tetap seperti semula."))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("bantuan:daftar_detail", pk=pk)


# -- Penyaluran ------------------------------------------------------------------------------------


class PenyaluranCreateView(PermissionRequiredMixin, View):
    permission_required = "bantuan.add_penyaluran"
    template_name = "bantuan/penyaluran_form.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        entri = selectors.entri_get_for_user_or_404(user=request.user, pk=pk)
        form = PenyaluranForm(
            initial={"tanggal": timezone.localdate(), "uraian": entri.daftar.tahap.program.nilai_tampil}
        )
        return render(request, self.template_name, {"form": form, "entri": entri})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        entri = selectors.entri_get_for_user_or_404(user=request.user, pk=pk)
        form = PenyaluranForm(request.POST, request.FILES)
        penyaluran = submit(
            request,
            form,
            lambda data: services.penyaluran_create(actor=request.user, entri=entri, **data),
            _("Penyaluran tercatat."),
        )
        if penyaluran:
            return redirect("bantuan:penyaluran_detail", pk=penyaluran.pk)
        return render(request, self.template_name, {"form": form, "entri": entri})


class PenyaluranDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "bantuan.view_penyaluran"
    template_name = "bantuan/penyaluran_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        penyaluran = selectors.penyaluran_get_for_user_or_404(user=self.request.user, pk=kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "penyaluran": penyaluran,
            "pemantauan": penyaluran.pemantauan.all(),
        }


class PemantauanScheduleView(PermissionRequiredMixin, View):
    """Schedule an extra follow-up of a distribution (a problem seen on a visit)."""

    permission_required = "bantuan.change_pemantauan"
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        penyaluran = selectors.penyaluran_get_for_user_or_404(user=request.user, pk=pk)
        form = JadwalPemantauanForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Isi tanggal jadwal pemantauan."))
        else:
            try:
                services.pemantauan_schedule(
                    actor=request.user, penyaluran=penyaluran, jadwal=form.cleaned_data["jadwal"]
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Pemantauan tambahan dijadwalkan."))
        return redirect("bantuan:penyaluran_detail", pk=penyaluran.pk)


class FotoView(PermissionRequiredMixin, View):
    """Serve a proof photo only to users who may see its record (no public media URL)."""

    permission_required = "bantuan.view_penyaluran"
    FIELDS = {"penyaluran": ("foto",), "pemantauan": ("foto_sebelum", "foto_sesudah")}

    def get(self, request: AuthenticatedHttpRequest, jenis: str, pk: int, field: str) -> HttpResponseBase:
        if field not in self.FIELDS.get(jenis, ()):
            raise Http404
        obj: Penyaluran | Pemantauan
        if jenis == "penyaluran":
            obj = selectors.penyaluran_get_for_user_or_404(user=request.user, pk=pk)
        else:
            obj = selectors.pemantauan_get_for_user_or_404(user=request.user, pk=pk)
        image = getattr(obj, field)
        if not image:
            raise Http404
        response = FileResponse(image.open("rb"))
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class LampiranSkView(PermissionRequiredMixin, TemplateView):
    """The SK annex (*Lampiran SK*) of an approved list: each recipient with the facts and the
    approver's reason as they stood at approval, and every amendment with who proposed and who
    approved it; printable."""

    permission_required = "bantuan.view_daftarpenerima"
    template_name = "bantuan/lampiran_sk.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        daftar = selectors.daftar_get_or_404(kwargs["pk"])
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "daftar": daftar,
            "rows": selectors.lampiran_sk(user=user, daftar=daftar),
            "amandemen": selectors.amandemen_list(user=user, daftar=daftar).filter(status="disetujui"),
            "dicetak_pada": timezone.localtime(),
        }


class BeritaAcaraView(PermissionRequiredMixin, TemplateView):
    """Printable hand-over record (Berita Acara Serah Terima) of one kelurahan and stage."""

    permission_required = "bantuan.view_penyaluran"
    template_name = "bantuan/berita_acara.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tahap = selectors.tahap_get_or_404(kwargs["pk"])
        kelurahan, rows = selectors.berita_acara(
            user=self.request.user, tahap=tahap, kelurahan_kode=kwargs["kode"]
        )
        daftar = getattr(tahap, "daftar", None)
        return {
            **super().get_context_data(**kwargs),
            "tahap": tahap,
            "kelurahan": kelurahan,
            "rows": rows,
            "daftar": daftar,
            "dicetak_pada": timezone.localtime(),
        }


# -- Pemantauan ------------------------------------------------------------------------------------


class PemantauanListView(PermissionRequiredMixin, ListView):
    permission_required = "bantuan.view_pemantauan"
    template_name = "bantuan/pemantauan_list.html"
    paginate_by = 30

    def get_queryset(self):
        qs = selectors.pemantauan_list(user=self.request.user)
        if self.request.GET.get("semua") != "1":
            qs = qs.terjadwal()
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class PemantauanRecordView(PermissionRequiredMixin, View):
    permission_required = "bantuan.change_pemantauan"
    template_name = "bantuan/pemantauan_form.html"

    def form(self, request: AuthenticatedHttpRequest, p, data=None, files=None) -> PemantauanForm:
        jenis = p.penyaluran.entri.daftar.tahap.program.jenis_pemantauan
        initial = {"tanggal": timezone.localdate()} if data is None else None
        return PemantauanForm(data, files, instance=p, jenis=jenis, initial=initial)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        p = selectors.pemantauan_get_for_user_or_404(user=request.user, pk=pk)
        return render(request, self.template_name, {"form": self.form(request, p), "p": p})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        p = selectors.pemantauan_get_for_user_or_404(user=request.user, pk=pk)
        form = self.form(request, p, request.POST, request.FILES)
        done = submit(
            request,
            form,
            lambda data: services.pemantauan_record(
                actor=request.user, pemantauan=p, tanggal=data.pop("tanggal"), data=data
            ),
            _("Hasil pemantauan tersimpan."),
        )
        if done:
            return redirect("bantuan:penyaluran_detail", pk=p.penyaluran_id)
        return render(request, self.template_name, {"form": form, "p": p})


# -- Reports ---------------------------------------------------------------------------------------


def _tahun(request: HttpRequest) -> int:
    """The year asked for, else the latest year that has programme stages (else this year)."""
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return selectors.tahun_terakhir() or timezone.localdate().year


class LaporanTumpangTindihView(PermissionRequiredMixin, TemplateView):
    permission_required = "bantuan.view_daftarpenerima"
    template_name = "bantuan/laporan_tumpang_tindih.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tahun = _tahun(self.request)
        luar = self.request.GET.get("luar") != "0"  # off: the city's own lists only, to compare
        return {
            **super().get_context_data(**kwargs),
            "tahun": tahun,
            "luar": luar,
            "rows": selectors.laporan_tumpang_tindih(user=self.request.user, tahun=tahun, termasuk_luar=luar),
            "wilayah": selectors.area_label(self.request.user),
        }


class LaporanBelumMenerimaView(PermissionRequiredMixin, TemplateView):
    permission_required = "bantuan.view_daftarpenerima"
    template_name = "bantuan/laporan_belum_menerima.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tahun = _tahun(self.request)
        programs = list(selectors.program_list())
        chosen = next(
            (p for p in programs if str(p.pk) == self.request.GET.get("program")),
            programs[0] if programs else None,
        )
        urut = self.request.GET.get("urut", "skor")
        urut = urut if urut in selectors.URUTAN_BELUM_MENERIMA else "skor"
        rows = (
            selectors.laporan_belum_menerima(user=self.request.user, program=chosen, tahun=tahun, urut=urut)
            if chosen
            else []
        )
        return {
            **super().get_context_data(**kwargs),
            "tahun": tahun,
            "program_list": programs,
            "program": chosen,
            "urut": urut,
            "urutan": selectors.URUTAN_BELUM_MENERIMA,
            "rows": rows,
            "wilayah": selectors.area_label(self.request.user),
        }


# -- Aid decided elsewhere ----------------------------------------------------------------------------


class LuarView(PermissionRequiredMixin, TemplateView):
    """Aid decided elsewhere: the imported extracts, the recipients still to register, problems."""

    permission_required = "bantuan.view_penerimaeksternal"
    template_name = "bantuan/luar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "ekstrak": selectors.ekstrak_list()[:50],
            "belum_terdaftar": selectors.belum_terdaftar(user=user).count(),
            "masalah_terbuka": selectors.masalah_list(user=user).filter(selesai=False).count(),
        }


class EkstrakDetailView(PermissionRequiredMixin, ListView):
    """One extract: who came in and who left with it, in the user's area."""

    permission_required = "bantuan.view_penerimaeksternal"
    template_name = "bantuan/ekstrak_detail.html"
    paginate_by = 50

    def get_queryset(self):
        self.ekstrak = selectors.ekstrak_get_or_404(self.kwargs["pk"])
        self.arah = "keluar" if self.request.GET.get("arah") == "keluar" else "masuk"
        return selectors.ekstrak_rows(user=self.request.user, ekstrak=self.ekstrak, arah=self.arah)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "ekstrak": self.ekstrak, "arah": self.arah}


class BelumTerdaftarView(PermissionRequiredMixin, ListView):
    """Recipients of external aid in the user's area not registered yet, to find and register."""

    permission_required = "bantuan.view_penerimaeksternal"
    template_name = "bantuan/belum_terdaftar.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.belum_terdaftar(user=self.request.user)


class MasalahCreateView(PermissionRequiredMixin, View):
    """Report a problem with an external programme a household holds (monitoring)."""

    permission_required = "bantuan.add_masalahbantuaneksternal"
    template_name = "bantuan/masalah_form.html"

    def _penerima(self, pk: int):
        return selectors.penerima_eksternal_get_for_user_or_404(user=self.request.user, pk=pk)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        return render(request, self.template_name, {"form": MasalahForm(), "penerima": self._penerima(pk)})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        penerima = self._penerima(pk)
        form = MasalahForm(request.POST)
        if submit(
            request,
            form,
            lambda data: luar.masalah_create(actor=request.user, penerima=penerima, data=data),
            _("Masalah tercatat; Dinas Sosial akan menindaklanjuti."),
        ):
            return (
                redirect("pmks:keluarga_detail", pk=penerima.keluarga_id)
                if penerima.keluarga_id
                else redirect("bantuan:masalah_list")
            )
        return render(request, self.template_name, {"form": form, "penerima": penerima})


class MasalahListView(PermissionRequiredMixin, ListView):
    """Problems reported about external aid; the Dinas Sosial closes each with what was done."""

    permission_required = "bantuan.view_masalahbantuaneksternal"
    template_name = "bantuan/masalah_list.html"
    paginate_by = 30

    def get_queryset(self):
        qs = selectors.masalah_list(user=self.request.user)
        return qs if self.request.GET.get("semua") == "1" else qs.filter(selesai=False)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        pk = request.POST.get("masalah", "")
        if not pk.isdigit():
            raise Http404
        masalah = get_object_or_404(selectors.masalah_list(user=request.user), pk=int(pk))
        try:
            luar.masalah_resolve(
                actor=request.user, masalah=masalah, tindak_lanjut=request.POST.get("tindak_lanjut", "")
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Masalah ditandai selesai."))
        return redirect("bantuan:masalah_list")


class CekDesilView(PermissionRequiredMixin, TemplateView):
    """Households to visit again: their DTSEN decile and their score disagree sharply."""

    permission_required = "pmks.view_desilkeluarga"
    template_name = "bantuan/cek_desil.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "rows": selectors.perlu_verifikasi_ulang(user=self.request.user),
            "wilayah": selectors.area_label(self.request.user),
        }
