from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bantuan.choices import PenerimaPenyaluran
from bantuan.models import MasalahBantuanEksternal, Pemantauan, Penyaluran
from bantuan.selectors import tahap_open_for_proposals
from bantuan.services import PEMANTAUAN_FIELDS
from inti.forms import CrispyFields, DateInput, model_choice_field
from musyawarah.models import Musyawarah
from musyawarah.selectors import musyawarah_pengusul
from pmks.models import AnggotaKeluarga, Keluarga


class UsulanForm(CrispyFields, forms.Form):
    tahap = forms.ModelChoiceField(
        label=_("Program dan tahap"), queryset=tahap_open_for_proposals(), empty_label=_("— pilih program —")
    )
    anggota: forms.ModelChoiceField[AnggotaKeluarga] = forms.ModelChoiceField(
        label=_("Anggota (untuk program perseorangan)"),
        queryset=None,
        required=False,
        empty_label=_("— seluruh keluarga —"),
    )
    alasan = forms.CharField(
        label=_("Alasan usulan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    musyawarah: forms.ModelChoiceField[Musyawarah] = forms.ModelChoiceField(
        label=_("Musyawarah kelurahan yang mengusulkan"),
        queryset=Musyawarah.objects.none(),
        required=False,
        empty_label=_("— tanpa musyawarah —"),
        help_text=_("Musyawarah kelurahan yang sudah selesai dan mencatat keluarga ini sebagai diusulkan."),
    )

    def __init__(self, *args: Any, keluarga: Keluarga, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tahap").queryset = tahap_open_for_proposals()
        model_choice_field(self, "anggota").queryset = keluarga.anggota.all()
        pilihan = musyawarah_pengusul([keluarga.pk]).filter(kelurahan_id=keluarga.kelurahan_id)
        model_choice_field(self, "musyawarah").queryset = pilihan
        if not self.is_bound:
            self.initial.setdefault("musyawarah", pilihan.first())
        self.crispy_fields_only()


class UsulanMassalForm(CrispyFields, forms.Form):
    tahap = forms.ModelChoiceField(
        label=_("Program dan tahap"), queryset=tahap_open_for_proposals(), empty_label=_("— pilih program —")
    )
    alasan = forms.CharField(
        label=_("Alasan usulan (untuk semua yang dipilih)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    kutip_musyawarah = forms.BooleanField(
        label=_("Kutip musyawarah kelurahan yang mengusulkan tiap keluarga (bila ada)"),
        required=False,
        initial=True,
    )
    keluarga = forms.ModelMultipleChoiceField(
        queryset=Keluarga.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Pilih minimal satu keluarga.")},
    )

    def __init__(self, *args: Any, keluarga_qs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "tahap").queryset = tahap_open_for_proposals()
        model_choice_field(self, "keluarga").queryset = keluarga_qs
        self.fields["keluarga"].error_messages["invalid_choice"] = _(
            "Keluarga %(value)s tidak ada atau di luar wilayah tugas Anda."
        )
        self.crispy_fields_only()


class PenyaluranForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = Penyaluran
        fields = ["tanggal", "uraian", "penerima", "nama_wakil", "hubungan_wakil", "foto"]
        widgets = {
            "tanggal": DateInput(),
            "foto": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["penerima"]).choices = PenerimaPenyaluran.choices
        self.crispy_fields_only()


# Fields shown for each kind of follow-up (ProgramBantuan.jenis_pemantauan).
PEMANTAUAN_FIELDS_BY_JENIS = {
    "sembako": ["diterima_tepat_waktu"],
    "rumah": ["progres_persen", "foto_sebelum", "foto_sesudah"],
    "kambing": ["kambing_jumlah", "kambing_lahir", "kambing_mati", "kambing_dijual"],
    "usaha": ["usaha_berjalan", "omzet_bulanan"],
    "tidak_ada": [],
}


class PemantauanForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = Pemantauan
        fields = ["tanggal", *PEMANTAUAN_FIELDS]
        widgets = {
            "tanggal": DateInput(),
            "catatan": forms.Textarea(attrs={"rows": 3}),
            "foto_sebelum": forms.ClearableFileInput(attrs={"accept": "image/*"}),
            "foto_sesudah": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        }

    def __init__(self, *args: Any, jenis: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"tanggal", "catatan", *PEMANTAUAN_FIELDS_BY_JENIS.get(jenis, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["tanggal"].required = True
        for name in ("diterima_tepat_waktu", "usaha_berjalan"):
            if name in self.fields:
                self.fields[name] = forms.TypedChoiceField(
                    label=self.fields[name].label,
                    required=True,
                    choices=[("", "—"), ("1", _("Ya")), ("0", _("Tidak"))],
                    coerce=lambda v: v == "1",
                )
        self.crispy_fields_only()


class KeputusanDaftarForm(forms.Form):
    aksi = forms.ChoiceField(
        choices=[
            ("ajukan", _("Ajukan")),
            ("verifikasi", _("Verifikasi")),
            ("keluarkan", _("Keluarkan entri")),
            ("amandemen_tambah", _("Amandemen: tambah")),
            ("amandemen_keluarkan", _("Amandemen: keluarkan")),
            ("tolak_usulan", _("Tolak usulan")),
            ("amandemen_setujui", _("Setujui amandemen")),
            ("amandemen_tolak", _("Tolak amandemen")),
        ]
    )
    versi = forms.IntegerField()
    entri = forms.IntegerField(required=False)
    usulan = forms.IntegerField(required=False)
    amandemen = forms.IntegerField(required=False)
    alasan = forms.CharField(required=False, max_length=2000)


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), max_length=2000)


class JadwalPemantauanForm(forms.Form):
    jadwal = forms.DateField(label=_("Jadwal pemantauan tambahan"), widget=DateInput())


class SetujuiForm(forms.Form):
    nomor_sk = forms.CharField(label=_("Nomor SK"), max_length=100)
    tanggal_sk = forms.DateField(label=_("Tanggal SK"), widget=DateInput())
    versi = forms.IntegerField(widget=forms.HiddenInput)


class TolakDaftarForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}))
    versi = forms.IntegerField(widget=forms.HiddenInput)


class MasalahForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = MasalahBantuanEksternal
        fields = ["jenis", "uraian"]
        widgets = {"uraian": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crispy_fields_only()
