"""Admin for aid. Beneficiary lists are approved here: the change page shows every entry with its
flags and the quota, and the approve/reject buttons and actions call the same services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bantuan import selectors, services
from bantuan.forms import SetujuiForm, TolakDaftarForm
from bantuan.models import (
    DaftarPenerima,
    EkstrakBantuan,
    EntriDaftar,
    KuotaKecamatan,
    MasalahBantuanEksternal,
    Pemantauan,
    PenerimaEksternal,
    Penyaluran,
    ProgramBantuan,
    RiwayatDaftar,
    TahapProgram,
    Usulan,
)
from bantuan.resources import EntriDaftarResource, PenyaluranResource, UsulanResource
from bantuan.rules import kuota_daftar
from inti.admin import ReadOnlyMixin, ScopedExportAdmin, ScopedImportExportAdmin
from inti.models import AturanPemisahan
from inti.pemisahan import pemisahan_message, pemisahan_terpenuhi
from inti.scoping import ScopedAdminMixin


def _approval_barred(user, daftar) -> list[str]:
    """Why this user may not approve this list (separation of duties), said before they try."""
    rules = (
        (AturanPemisahan.DAFTAR_SETUJU_PENGAJU, daftar.diajukan_oleh),
        (AturanPemisahan.DAFTAR_SETUJU_VERIFIKATOR, daftar.diverifikasi_oleh),
    )
    return [
        pemisahan_message(aturan)
        for aturan, pelaku in rules
        if not pemisahan_terpenuhi(aturan, actor=user, pelaku=pelaku)
    ]


def _reasons(post) -> dict[int, str]:
    """The approver's reasons per entry, posted as ``alasan_<entry pk>``."""
    return {
        int(key.removeprefix("alasan_")): value
        for key, value in post.items()
        if key.startswith("alasan_") and key.removeprefix("alasan_").isdigit()
    }


@admin.register(ProgramBantuan)
class ProgramBantuanAdmin(SimpleHistoryAdmin):
    list_display = [
        "nama",
        "kode",
        "asal",
        "sumber_dana",
        "sasaran",
        "nilai_tampil",
        "lihat_ke_belakang_bulan",
        "aktif",
    ]
    list_filter = ["asal", "sumber_dana", "sasaran", "aktif", "jenis_pemantauan"]
    search_fields = ["nama", "kode"]
    filter_horizontal = ["kategori_sasaran", "tidak_bersama"]
    prepopulated_fields = {"kode": ["nama"]}


def _stage_frozen(tahap) -> bool:
    """A stage whose list is approved keeps its period, quota and programme: overlap flags and
    reports of the past depend on them."""
    daftar = getattr(tahap, "daftar", None) if tahap is not None and tahap.pk else None
    return daftar is not None and daftar.status == "disetujui"


class KuotaKecamatanInline(admin.TabularInline):
    model = KuotaKecamatan
    extra = 0
    raw_id_fields = ["kecamatan"]

    def has_add_permission(self, request, obj=None):
        return not _stage_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _stage_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _stage_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(TahapProgram)
class TahapProgramAdmin(SimpleHistoryAdmin):
    list_display = ["program", "tahun", "tahap", "periode_mulai", "periode_selesai", "kuota", "usulan_dibuka"]
    list_filter = ["tahun", "program", "usulan_dibuka"]
    list_select_related = ["program"]
    search_fields = ["program__nama"]
    inlines = [KuotaKecamatanInline]

    def get_readonly_fields(self, request, obj=None):
        if _stage_frozen(obj):
            return ["program", "tahun", "tahap", "periode_mulai", "periode_selesai", "kuota"]
        return super().get_readonly_fields(request, obj)


@admin.register(Usulan)
class UsulanAdmin(ScopedImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [UsulanResource]
    list_display = ["tahap", "keluarga", "anggota", "status", "diusulkan_oleh", "dibuat_pada"]
    list_filter = ["status", "tahap__tahun", "tahap__program"]
    list_select_related = ["tahap__program", "keluarga", "anggota", "diusulkan_oleh"]
    search_fields = ["keluarga__no_kk", "anggota__nik", "anggota__nama"]
    raw_id_fields = ["keluarga", "anggota"]
    readonly_fields = [
        "tahap",
        "keluarga",
        "anggota",
        "alasan",
        "diusulkan_oleh",
        "status",
        "keterangan_status",
    ]

    def has_add_permission(self, request):
        return False  # proposals come from the TKSK screens (service rules apply there)


class RiwayatInline(admin.TabularInline):
    model = RiwayatDaftar
    extra = 0
    can_delete = False
    fields = readonly_fields = ("pada", "tindakan", "dari_status", "ke_status", "oleh", "catatan")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DaftarPenerima)
class DaftarPenerimaAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "status",
        "jumlah",
        "diajukan_oleh",
        "diputuskan_oleh",
        "nomor_sk",
        "tanggal_sk",
    ]
    list_filter = ["status", "tahap__tahun", "tahap__program"]
    list_select_related = ["tahap__program", "diajukan_oleh", "diputuskan_oleh"]
    search_fields = ["tahap__program__nama", "nomor_sk"]
    readonly_fields = [
        "tahap",
        "status",
        "versi",
        "dibuat_oleh",
        "diajukan_oleh",
        "diajukan_pada",
        "diverifikasi_oleh",
        "diverifikasi_pada",
        "diputuskan_oleh",
        "diputuskan_pada",
        "nomor_sk",
        "tanggal_sk",
        "alasan_penolakan",
    ]
    inlines = [RiwayatInline]
    actions = ["setujui", "tolak"]
    change_form_template = "admin/bantuan/daftarpenerima/change_form.html"

    def get_queryset(self, request):
        return selectors.daftar_list()

    @admin.display(description=_("penerima aktif"))
    def jumlah(self, obj):
        return obj.jumlah

    def has_add_permission(self, request):
        return False  # lists are built from proposals on the Daftar screen

    def has_delete_permission(self, request, obj=None):
        return False  # approved lists are frozen; others are kept as history

    def has_approve_permission(self, request):
        return request.user.has_perm("bantuan.approve_daftarpenerima")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/setujui/", view(self.setujui_view), name="bantuan_daftarpenerima_setujui"),
            path("<path:object_id>/tolak/", view(self.tolak_view), name="bantuan_daftarpenerima_tolak"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        daftar = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if daftar is not None:
            extra.update(
                {
                    "rows": selectors.daftar_rows(user=request.user, daftar=daftar),
                    "kuota": kuota_daftar(daftar.tahap),
                    "can_decide": self.has_approve_permission(request)
                    and daftar.status in ("diajukan", "diverifikasi"),
                    # Separation of duties: its submitter and verifier are not offered the approval.
                    "can_approve": daftar.status == "diverifikasi"
                    and not _approval_barred(request.user, daftar),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _decision(self, request, object_id, form_class, template, apply, initial=None):
        if not self.has_approve_permission(request):
            raise PermissionDenied
        daftar = self.get_object(request, object_id)
        if daftar is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = form_class(request.POST or None, initial={"versi": daftar.versi, **(initial or {})})
        if request.method == "POST" and form.is_valid():
            try:
                apply(daftar, form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    self.message_user(request, m, messages.ERROR)
            else:
                return redirect(reverse("admin:bantuan_daftarpenerima_change", args=[daftar.pk]))
        rows = selectors.daftar_rows(user=request.user, daftar=daftar)
        typed = _reasons(request.POST)
        for r in rows:  # the reasons typed so far come back with the page after a refusal
            r.alasan_input = typed.get(r.entri.pk, "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "daftar": daftar,
            "form": form,
            "dilarang": _approval_barred(request.user, daftar) if template.endswith("setujui.html") else [],
            "rows": rows,
            "minta_alasan": template.endswith("setujui.html"),
            "kuota": kuota_daftar(daftar.tahap),
            "title": str(daftar),
        }
        return TemplateResponse(request, template, context)

    def setujui_view(self, request, object_id):
        def apply(daftar, data):
            services.daftar_approve(
                actor=request.user,
                daftar=daftar,
                nomor_sk=data["nomor_sk"],
                tanggal_sk=data["tanggal_sk"],
                versi=data["versi"],
                alasan=_reasons(request.POST),
            )
            self.message_user(request, _("Daftar disetujui dan dibekukan."), messages.SUCCESS)

        return self._decision(
            request, object_id, SetujuiForm, "admin/bantuan/daftarpenerima/setujui.html", apply
        )

    def tolak_view(self, request, object_id):
        def apply(daftar, data):
            services.daftar_reject(
                actor=request.user, daftar=daftar, alasan=data["alasan"], versi=data["versi"]
            )
            self.message_user(request, _("Daftar dikembalikan dengan alasan."), messages.WARNING)

        initial = None
        if request.GET.get("tukar"):  # return the list to swap in the more vulnerable households
            daftar = self.get_object(request, object_id)
            if daftar is not None:
                pairs = [
                    t.pesan
                    for r in selectors.daftar_rows(user=request.user, daftar=daftar)
                    for t in r.tanda
                    if t.kode == "lebih_rentan"
                ]
                initial = {
                    "alasan": _("Mohon ditukar dengan keluarga yang lebih rentan: %(p)s")
                    % {"p": " ".join(pairs)}
                }
        return self._decision(
            request, object_id, TolakDaftarForm, "admin/bantuan/daftarpenerima/tolak.html", apply, initial
        )

    @admin.action(description=_("Setujui daftar terpilih (isi SK)"), permissions=["approve"])
    def setujui(self, request, queryset):
        return self._one(request, queryset, "admin:bantuan_daftarpenerima_setujui")

    @admin.action(description=_("Tolak daftar terpilih (dengan alasan)"), permissions=["approve"])
    def tolak(self, request, queryset):
        return self._one(request, queryset, "admin:bantuan_daftarpenerima_tolak")

    def _one(self, request, queryset, url_name):
        # Each list has its own SK and its own entries to look at: one list per decision.
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu daftar untuk diputuskan."), messages.WARNING)
            return None
        return redirect(reverse(url_name, args=[queryset.first().pk]))


@admin.register(EntriDaftar)
class EntriDaftarAdmin(ReadOnlyMixin, ScopedExportAdmin, SimpleHistoryAdmin):
    """Entries change only through the list's services; once approved, why each was chosen is
    frozen (EntriDaftar.clean), so here they are only looked at (and exported)."""

    resource_classes = [EntriDaftarResource]
    list_display = ["daftar", "keluarga", "anggota", "aktif", "ditambahkan_lewat_amandemen"]
    list_filter = ["aktif", "daftar__status", "daftar__tahap__tahun"]
    list_select_related = ["daftar__tahap__program", "keluarga", "anggota"]
    search_fields = ["keluarga__no_kk", "anggota__nik"]


@admin.register(Penyaluran)
class PenyaluranAdmin(ScopedImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [PenyaluranResource]
    list_display = ["entri", "tanggal", "uraian", "penerima", "petugas"]
    list_filter = ["tanggal", "penerima", "entri__daftar__tahap__program"]
    list_select_related = ["entri__daftar__tahap__program", "entri__keluarga", "petugas"]
    search_fields = ["entri__keluarga__no_kk"]
    raw_id_fields = ["entri"]
    readonly_fields = ["entri", "petugas"]  # the recipient is fixed: only approved entries

    def has_add_permission(self, request):
        return False  # recorded on the screens, where the approved-list rule applies


@admin.register(Pemantauan)
class PemantauanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["penyaluran", "jadwal", "status", "tanggal", "petugas"]
    list_filter = ["status", "jadwal"]
    list_select_related = [
        "penyaluran__entri__keluarga",
        "penyaluran__entri__daftar__tahap__program",
        "petugas",
    ]
    search_fields = ["penyaluran__entri__keluarga__no_kk"]
    raw_id_fields = ["penyaluran"]
    # Dates and status change only through the follow-up screen, where its rules apply.
    readonly_fields = ["penyaluran", "jadwal", "status", "tanggal", "petugas"]

    def has_add_permission(self, request):
        return False


@admin.register(EkstrakBantuan)
class EkstrakBantuanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "program",
        "periode_mulai",
        "periode_selesai",
        "tanggal_ekstrak",
        "jumlah",
        "masuk",
        "keluar",
    ]
    list_filter = ["program"]
    list_select_related = ["program"]


@admin.register(PenerimaEksternal)
class PenerimaEksternalAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "program",
        "nama",
        "nik",
        "no_kk",
        "kelurahan",
        "periode_mulai",
        "periode_selesai",
        "keluarga",
    ]
    list_filter = [
        "program",
        ("ekstrak_keluar", admin.EmptyFieldListFilter),
        ("keluarga", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["program", "kelurahan", "keluarga"]
    search_fields = ["nik", "no_kk", "nama"]


@admin.register(MasalahBantuanEksternal)
class MasalahBantuanEksternalAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["jenis", "penerima", "dilaporkan_oleh", "dibuat_pada", "selesai"]
    list_filter = ["jenis", "selesai"]
    list_select_related = ["penerima__program", "dilaporkan_oleh"]
    readonly_fields = ["penerima", "jenis", "uraian", "dilaporkan_oleh", "selesai", "tindak_lanjut"]

    def has_add_permission(self, request):
        return False  # reported on the household page; closed on the problems page (services)
