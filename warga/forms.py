"""Forms of the public pages (each with the human check and a honeypot) and of the staff's
answer and publication screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bantuan.choices import StatusDaftar
from bantuan.models import DaftarPenerima
from pmks.identitas import normalise_nomor
from warga import selectors
from warga.choices import HasilAduan, JenisAduan
from warga.models import MAKS_ALAMAT, MAKS_ALASAN, MAKS_KONTAK, MAKS_NAMA, RT_RW, Aduan
from warga.pengaman import Soal, nomor16, soal_benar
from wilayah.selectors import kelurahan_for_user

SALAH_SOAL = gettext_lazy("Jawaban pertanyaan pemeriksa salah atau kedaluwarsa; jawab pertanyaan yang baru.")
HONEYPOT = gettext_lazy("Formulir tidak dapat diterima.")


class JawabanKosong(forms.TextInput):
    """The answer box starts empty again with each new question."""

    def format_value(self, value: Any) -> None:
        return None


class PemeriksaForm(forms.Form):
    """The human check (a sum in words, answered once) and a field only robots fill in."""

    jawaban_soal = forms.CharField(max_length=20, widget=JawabanKosong(attrs={"autocomplete": "off"}))
    situs_web = forms.CharField(
        label=gettext_lazy("Jangan diisi"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, soal: Soal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.soal_token = self.data.get("soal", "") if self.is_bound else ""
        self.tanya(soal)

    def tanya(self, soal: Soal) -> None:
        """Show ``soal`` (a new question) on the page; the posted token was read already."""
        self.soal = soal
        self.fields["jawaban_soal"].label = _("Pertanyaan pemeriksa: %(q)s (jawab dengan angka)") % {
            "q": soal.pertanyaan
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("situs_web"):
            raise forms.ValidationError(HONEYPOT)
        if "jawaban_soal" in data and not soal_benar(self.soal_token, data["jawaban_soal"]):
            self.add_error("jawaban_soal", SALAH_SOAL)
        return data


def _nomor(value: str, label: str, required: bool) -> str:
    value = normalise_nomor(value)
    if not value and not required:
        return ""
    if not nomor16(value):
        raise forms.ValidationError(_("%(l)s harus tepat 16 angka 0–9.") % {"l": label})
    return value


class CekForm(PemeriksaForm):
    nik = forms.CharField(label="NIK", max_length=40)
    nama = forms.CharField(label=gettext_lazy("Nama lengkap (sesuai KTP)"), max_length=MAKS_NAMA)
    field_order = ["nik", "nama", "jawaban_soal", "situs_web"]

    def clean_nik(self) -> str:
        return _nomor(self.cleaned_data["nik"], "NIK", True)


TELEPON = forms.RegexField(
    label=gettext_lazy("Nomor telepon/WA (tidak diumumkan)"),
    regex=r"^\+?[0-9 \-]{6,29}\Z",
    max_length=MAKS_KONTAK,
    required=False,
    error_messages={"invalid": gettext_lazy("Tulis nomor telepon dengan angka 0–9.")},
)


class _PelaporFields(forms.Form):
    nama_pelapor = forms.CharField(
        label=gettext_lazy("Nama Anda (tidak diumumkan, boleh dikosongkan)"),
        max_length=MAKS_NAMA,
        required=False,
    )
    kontak_pelapor = TELEPON


class UsulForm(PemeriksaForm, _PelaporFields):
    kelurahan = forms.ModelChoiceField(label=gettext_lazy("Kelurahan"), queryset=selectors.kelurahan_kota())
    nama_keluarga = forms.CharField(label=gettext_lazy("Nama kepala keluarga"), max_length=MAKS_NAMA)
    alamat = forms.CharField(label=gettext_lazy("Alamat"), max_length=MAKS_ALAMAT)
    rt = forms.CharField(label="RT", max_length=3, validators=[RT_RW])
    rw = forms.CharField(label="RW", max_length=3, validators=[RT_RW])
    nik = forms.CharField(
        label=gettext_lazy("NIK kepala keluarga (bila tahu)"), max_length=40, required=False
    )
    no_kk = forms.CharField(label=gettext_lazy("No. KK (bila tahu)"), max_length=40, required=False)
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program yang diusulkan (boleh dikosongkan)"),
        queryset=selectors.program_usul(),
        required=False,
    )
    alasan = forms.CharField(
        label=gettext_lazy("Mengapa keluarga ini perlu dibantu?"),
        max_length=MAKS_ALASAN,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = [
        "kelurahan", "nama_keluarga", "alamat", "rt", "rw", "nik", "no_kk", "program", "alasan",
        "nama_pelapor", "kontak_pelapor", "jawaban_soal", "situs_web",
    ]  # fmt: skip

    def clean_nik(self) -> str:
        return _nomor(self.cleaned_data["nik"], "NIK", False)

    def clean_no_kk(self) -> str:
        return _nomor(self.cleaned_data["no_kk"], "No. KK", False)


class SanggahForm(PemeriksaForm, _PelaporFields):
    alasan = forms.CharField(
        label=gettext_lazy("Mengapa penerima ini tidak layak atau keliru?"),
        max_length=MAKS_ALASAN,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["alasan", "nama_pelapor", "kontak_pelapor", "jawaban_soal", "situs_web"]


class TiketForm(forms.Form):
    kode = forms.CharField(label=gettext_lazy("Kode tiket"), max_length=40)


# -- Staff ----------------------------------------------------------------------------------------


class JawabForm(forms.Form):
    jawaban = forms.CharField(
        label=gettext_lazy("Jawaban tertulis (dapat dibaca warga dengan kode tiket)"),
        max_length=MAKS_ALASAN,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hasil = forms.ChoiceField(
        label=gettext_lazy("Hasil"), choices=HasilAduan.choices, widget=forms.RadioSelect
    )
    usulan = forms.ModelChoiceField(label=gettext_lazy("Usulan yang dibuat"), queryset=None, required=False)
    amandemen = forms.ModelChoiceField(
        label=gettext_lazy("Amandemen yang mengeluarkan penerima"), queryset=None, required=False
    )
    ajukan_amandemen = forms.BooleanField(
        label=gettext_lazy("Ajukan sekarang amandemen 'keluarkan penerima' (diputuskan staf lain)"),
        required=False,
    )
    keterangan_hasil = forms.CharField(
        label=gettext_lazy("Bila tidak ada perubahan: mengapa"),
        max_length=MAKS_ALASAN,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, aduan: Aduan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        usul = aduan.jenis == JenisAduan.USUL
        keep = {HasilAduan.USULAN if usul else HasilAduan.AMANDEMEN, HasilAduan.TIDAK_ADA}
        self.fields["hasil"].choices = [c for c in HasilAduan.choices if c[0] in keep]
        usulan_field = self.fields["usulan"]
        amandemen_field = self.fields["amandemen"]
        assert isinstance(usulan_field, forms.ModelChoiceField)
        assert isinstance(amandemen_field, forms.ModelChoiceField)
        usulan_field.queryset = selectors.usulan_calon(user=user, aduan=aduan)
        amandemen_field.queryset = selectors.amandemen_calon(user=user, aduan=aduan)
        if usul:
            del self.fields["amandemen"], self.fields["ajukan_amandemen"]
        else:
            del self.fields["usulan"]
            if not user.has_perm("bantuan.manage_daftarpenerima"):
                del self.fields["ajukan_amandemen"]


class TerbitForm(forms.Form):
    daftar = forms.ModelChoiceField(queryset=DaftarPenerima.objects.filter(status=StatusDaftar.DISETUJUI))
    kelurahan = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = kelurahan_for_user(user=user)


class TarikForm(forms.Form):
    alasan = forms.CharField(label=gettext_lazy("Alasan penarikan"), max_length=MAKS_ALASAN, required=False)
