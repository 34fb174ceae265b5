from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from inti.forms import CrispyFields, DateInput, UserFormSetMixin, model_choice_field
from inti.scoping import OUTSIDE_AREA_CHOICE
from musyawarah.choices import KeputusanKeluarga, PeranPeserta, StatusMusyawarah
from musyawarah.models import KeluargaDibahas, Musyawarah, PesertaMusyawarah
from pmks.selectors import keluarga_list
from wilayah.models import Wilayah
from wilayah.selectors import kelurahan_for_user


class MusyawarahForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = Musyawarah
        fields = ["kelurahan", "tanggal", "tempat", "pimpinan", "agenda", "keputusan"]
        widgets = {
            "tanggal": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "keputusan": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "keputusan": _(
                "Isi setelah musyawarah berlangsung; musyawarah dengan keputusan tercatat selesai."
            ),
            "tanggal": _("Tanggal yang akan datang berarti musyawarah masih dijadwalkan."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "kelurahan")
        field.queryset = kelurahan_for_user(user=user).order_by("kode")
        field.error_messages["invalid_choice"] = OUTSIDE_AREA_CHOICE
        field.label_from_instance = lambda obj: f"{obj.nama.title()} ({obj.kode})"  # type: ignore[method-assign]
        self.crispy_fields_only()

    def _post_clean(self) -> None:
        # The service validates the record (its rules need the rows and the actor); the form
        # only checks each field's shape here.
        pass


class PesertaForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    nama = forms.CharField(label=_("Nama"), max_length=150)
    peran = forms.ChoiceField(label=_("Peran"), choices=[("", _("— peran —")), *PeranPeserta.choices])
    keterangan = forms.CharField(label=_("Keterangan"), max_length=150, required=False)


class KeluargaDibahasForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    no_kk = forms.CharField(
        label=_("No. KK"), max_length=16, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    keputusan = forms.ChoiceField(
        label=_("Keputusan"), choices=[("", _("— keputusan —")), *KeputusanKeluarga.choices]
    )
    program = forms.CharField(label=_("Program"), max_length=100, required=False)
    alasan = forms.CharField(label=_("Alasan"), max_length=2000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_no_kk(self) -> str:
        no_kk = self.cleaned_data["no_kk"].strip()
        keluarga = keluarga_list(user=self.user).filter(no_kk=no_kk).first()
        if keluarga is None:
            raise forms.ValidationError(
                _("KK %(kk)s tidak terdaftar atau di luar wilayah tugas Anda.") % {"kk": no_kk}
            )
        self.cleaned_data["keluarga"] = keluarga
        return no_kk


class RowFormSet(forms.BaseFormSet):
    """Rows of a musyawarah page: the service gets dicts (``pk`` for kept rows) and the pks to delete."""

    fields: tuple[str, ...] = ()

    def _construct_form(self, i, **kwargs):
        # A row left as it was (a blank suggested row, an unchanged kept row) is not checked
        # and changes nothing.
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)

    def service_rows(self) -> tuple[list[dict[str, Any]], list[int]]:
        keep, delete = [], []
        for form in self.forms:
            pk = form.cleaned_data.get("pk") if form.cleaned_data else None
            if self.can_delete and form.cleaned_data.get("DELETE"):
                if pk:
                    delete.append(pk)
                continue
            if not form.has_changed() and not pk:
                continue
            keep.append({**{k: form.cleaned_data.get(k) for k in self.fields}, "pk": pk})
        return keep, delete


class PesertaFormSet(RowFormSet):
    fields = ("nama", "peran", "keterangan")


class KeluargaFormSetBase(UserFormSetMixin, RowFormSet):
    fields = ("keluarga", "keputusan", "program", "alasan")


PesertaFormSetFactory = cast(
    type[PesertaFormSet],
    forms.formset_factory(PesertaForm, formset=PesertaFormSet, extra=0, can_delete=True),
)
KeluargaFormSet = cast(
    type[KeluargaFormSetBase],
    forms.formset_factory(KeluargaDibahasForm, formset=KeluargaFormSetBase, extra=0, can_delete=True),
)


def peserta_initial(musyawarah: Musyawarah | None) -> list[dict[str, Any]]:
    if musyawarah is None:
        return [{"peran": PeranPeserta.LURAH}, {"peran": PeranPeserta.TKSK}]
    return [
        {"pk": p.pk, "nama": p.nama, "peran": p.peran, "keterangan": p.keterangan}
        for p in PesertaMusyawarah.objects.filter(musyawarah=musyawarah).order_by("pk")
    ]


def keluarga_initial(musyawarah: Musyawarah | None) -> list[dict[str, Any]]:
    if musyawarah is None:
        return []
    return [
        {
            "pk": r.pk,
            "no_kk": r.keluarga.no_kk,
            "keputusan": r.keputusan,
            "program": r.program,
            "alasan": r.alasan,
        }
        for r in KeluargaDibahas.objects.filter(musyawarah=musyawarah)
        .select_related("keluarga")
        .order_by("pk")
    ]


class ScanForm(forms.Form):
    berkas_scan = forms.FileField(
        label=_("Pindaian berita acara bertanda tangan (PDF atau foto, maks. 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class SaringanForm(forms.Form):
    """The list's filter: kelurahan of the area, upcoming or held."""

    WAKTU = [("", _("Semua")), ("akan_datang", _("Akan datang")), (StatusMusyawarah.SELESAI, _("Selesai"))]

    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=Wilayah.objects.none(),
        required=False,
        empty_label=_("Semua kelurahan"),
    )
    waktu = forms.ChoiceField(label=_("Waktu"), choices=WAKTU, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "kelurahan").queryset = kelurahan_for_user(user=user).order_by("kode")
