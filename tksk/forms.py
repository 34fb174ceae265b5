from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inti.forms import CrispyFields, DateInput, model_choice_field
from pmks.choices import Kebutuhan
from pmks.models import AnggotaKeluarga, Keluarga
from tksk.choices import HasilRujukan, JenisKegiatan
from tksk.models import JenisPsks, Kegiatan, Psks
from wilayah.models import Wilayah
from wilayah.selectors import kecamatan_for_user, kelurahan_for_user


def kebutuhan_choices(form: forms.BaseForm) -> None:
    """An empty first choice that says what leaving it empty means."""
    field = form.fields["kebutuhan"]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError("kebutuhan is not a choice field")
    field.choices = [("", _("— tidak dicatat —")), *Kebutuhan.choices]


class KegiatanForm(CrispyFields, forms.ModelForm):
    """Record an activity. Households come from a scoped list (or the household page)."""

    keluarga: forms.ModelMultipleChoiceField[Keluarga] = forms.ModelMultipleChoiceField(
        label=_("Keluarga yang didampingi"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Untuk bimbingan kelompok pilih beberapa keluarga."),
    )
    anggota: forms.ModelMultipleChoiceField[AnggotaKeluarga] = forms.ModelMultipleChoiceField(
        label=_("Orang yang didampingi (opsional)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Harus anggota keluarga yang dipilih di atas."),
    )
    psks: forms.ModelMultipleChoiceField[Psks] = forms.ModelMultipleChoiceField(
        label=_("PSKS yang dilibatkan"), queryset=None, required=False
    )
    kecamatan: forms.ModelChoiceField[Wilayah] = forms.ModelChoiceField(
        label=_("Kecamatan (bila tanpa keluarga)"), queryset=None, required=False
    )

    class Meta:
        model = Kegiatan
        fields = [
            "jenis",
            "tanggal",
            "keluarga",
            "anggota",
            "uraian",
            "hasil",
            "kebutuhan",
            "rujukan_tujuan",
            "rujukan_tempat",
            "psks",
            "tindak_lanjut_tanggal",
            "tindak_lanjut_rencana",
            "menonjol",
            "foto",
            "kecamatan",
        ]
        widgets = {
            "tanggal": DateInput(),
            "tindak_lanjut_tanggal": DateInput(),
            "uraian": forms.Textarea(attrs={"rows": 3}),
            "hasil": forms.Textarea(attrs={"rows": 2}),
            "foto": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        }
        help_texts = {
            "kebutuhan": _(
                "Hanya untuk kunjungan atau bimbingan satu keluarga: yang paling dibutuhkan menurut "
                "keluarga sendiri."
            )
        }

    def __init__(self, *args: Any, user: Any, keluarga_qs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "keluarga").queryset = keluarga_qs
        self.fields["keluarga"].error_messages["invalid_choice"] = _(
            "Keluarga %(value)s tidak ada atau di luar wilayah tugas Anda."
        )
        model_choice_field(self, "anggota").queryset = AnggotaKeluarga.objects.for_user(user).filter(
            keluarga__in=keluarga_qs.values("pk")
        )
        model_choice_field(self, "psks").queryset = (
            Psks.objects.for_user(user).filter(aktif=True).select_related("jenis")
        )
        model_choice_field(self, "kecamatan").queryset = kecamatan_for_user(user=user)
        kebutuhan_choices(self)
        self.crispy_fields_only()


class KunjunganCepatForm(CrispyFields, forms.Form):
    """A home visit from the household page in a few taps."""

    jenis = forms.ChoiceField(
        label=_("Jenis"), choices=JenisKegiatan.choices, initial=JenisKegiatan.KUNJUNGAN_RUMAH
    )
    tanggal = forms.DateField(label=_("Tanggal"), widget=DateInput())
    uraian = forms.CharField(
        label=_("Apa yang dilakukan / ditemukan"), widget=forms.Textarea(attrs={"rows": 3})
    )
    # Label and help text from the model: the visit is always of one household here.
    kebutuhan = Kegiatan._meta.get_field("kebutuhan").formfield()
    tindak_lanjut_tanggal = forms.DateField(label=_("Tindak lanjut pada"), widget=DateInput(), required=False)
    tindak_lanjut_rencana = forms.CharField(label=_("Rencana tindak lanjut"), max_length=200, required=False)
    menonjol = forms.BooleanField(label=_("Kasus menonjol (masuk laporan bulanan)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kebutuhan_choices(self)
        self.crispy_fields_only()


class HasilRujukanForm(forms.Form):
    hasil = forms.ChoiceField(
        label=_("Hasil"), choices=[c for c in HasilRujukan.choices if c[0] != "menunggu"]
    )
    tanggal = forms.DateField(label=_("Tanggal"), widget=DateInput())
    catatan = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class PsksForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = Psks
        fields = ["jenis", "nama", "kelurahan", "alamat", "kontak", "telepon", "keterangan", "aktif"]
        widgets = {
            "keterangan": forms.Textarea(attrs={"rows": 2}),
            "telepon": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "jenis").queryset = JenisPsks.objects.filter(aktif=True)
        model_choice_field(self, "kelurahan").queryset = kelurahan_for_user(user=user)
        self.fields["kelurahan"].error_messages["invalid_choice"] = _(
            "Kelurahan ini tidak ada atau di luar wilayah tugas Anda."
        )
        self.crispy_fields_only()


class LaporanForm(forms.Form):
    catatan_tksk = forms.CharField(
        label=_("Catatan dan kasus menonjol (dengan kata-kata Anda sendiri)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class KeputusanLaporanForm(forms.Form):
    keputusan = forms.ChoiceField(choices=[("terima", _("Terima")), ("kembalikan", _("Kembalikan"))])
    komentar = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
