"""Forms of the registry screens. They validate input and hand clean data to one service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from inti.forms import CrispyFields, DateInput, UserFormSetMixin, model_choice_field
from inti.scoping import scope_of
from pmks.identitas import normalise_nomor
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from pmks.selectors import anggota_find_by_nik, kategori_pmks_active, keluarga_find_by_no_kk
from pmks.services import ANGGOTA_FIELDS, KELUARGA_FIELDS, anggota_set_errors
from wilayah.selectors import kelurahan_for_user


class NomorField(forms.CharField):
    """NIK / No. KK field: spaces and non-breaking spaces go before any validation runs."""

    def to_python(self, value):
        return normalise_nomor(super().to_python(value))


def _existing_record_message(user: Any, keluarga: Keluarga, what: str, detail: str = "") -> str:
    """Name the existing record: a link when the user may see it, else only whom to ask (no
    name or address of a person outside the user's area)."""
    if scope_of(user).allows(keluarga.kelurahan_id):
        what = f"{what} {detail}".strip()
        url = reverse("pmks:keluarga_detail", args=[keluarga.pk])
        return format_html(
            str(_('{} sudah terdaftar pada <a href="{}">keluarga KK {}</a>.')), what, url, keluarga.no_kk
        )
    return _("%(what)s sudah terdaftar di kecamatan lain, hubungi Dinas Sosial.") % {"what": what}


class KeluargaForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = Keluarga
        fields = list(KELUARGA_FIELDS)
        field_classes = {"no_kk": NomorField}
        widgets = {
            "no_kk": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "rt": forms.TextInput(attrs={"inputmode": "numeric"}),
            "rw": forms.TextInput(attrs={"inputmode": "numeric"}),
            "penghasilan_bulanan": forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Scoped choices: a kelurahan outside the area posted by hand is "not a valid choice".
        model_choice_field(self, "kelurahan").queryset = kelurahan_for_user(user=user)
        self.fields["kelurahan"].error_messages["invalid_choice"] = _(
            "Kelurahan ini tidak ada atau di luar wilayah tugas Anda."
        )
        self.crispy_fields_only()

    def clean_no_kk(self) -> str:
        no_kk = normalise_nomor(self.cleaned_data.get("no_kk"))
        existing = keluarga_find_by_no_kk(no_kk)
        if existing and existing.pk != self.instance.pk:
            raise ValidationError(_existing_record_message(self.user, existing, f"No. KK {no_kk}"))
        return no_kk

    def clean_rt(self) -> str:
        return self.cleaned_data["rt"].strip().zfill(3)

    def clean_rw(self) -> str:
        return self.cleaned_data["rw"].strip().zfill(3)


class AnggotaForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = AnggotaKeluarga
        fields = list(ANGGOTA_FIELDS)
        field_classes = {"nik": NomorField}
        widgets = {
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "tanggal_lahir": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.crispy_fields_only()

    def clean_nik(self) -> str:
        nik = normalise_nomor(self.cleaned_data.get("nik"))
        existing = anggota_find_by_nik(nik)
        if existing and existing.pk != self.instance.pk:
            raise ValidationError(
                _existing_record_message(self.user, existing.keluarga, f"NIK {nik}", f"({existing.nama})")
            )
        return nik

    def clean_nama(self) -> str:
        return " ".join(self.cleaned_data["nama"].split())


class MemberFormSet(forms.BaseInlineFormSet):
    """A household's member formset (screen or admin): checked with the household rules
    (``anggota_set_errors``) and turned into the rows ``keluarga_save`` takes: the members to
    keep, the members to remove."""

    def validate_unique(self) -> None:
        """Replaced by ``anggota_set_errors`` in clean(), whose messages name the NIK."""

    def marked_for_deletion(self, form: forms.Form) -> bool:
        return self.can_delete and bool(getattr(form, "cleaned_data", {}).get("DELETE"))

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.kept_forms() if f.cleaned_data]
        errors = anggota_set_errors(rows)
        if errors:
            raise ValidationError(errors)

    def kept_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.has_changed() or f.instance.pk if not self.marked_for_deletion(f)]

    def note_saved(self, keluarga: Keluarga) -> None:
        """After ``keluarga_save`` saved the members: what Django's admin records in its log
        (the formset's own ``save()`` is not used)."""
        stored = {a.nik: a for a in AnggotaKeluarga.objects.filter(keluarga=keluarga)}
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if self.marked_for_deletion(form):
                if form.instance.pk:
                    self.deleted_objects.append(form.instance)
            elif not form.instance.pk and form.has_changed():
                member = stored.get(form.cleaned_data.get("nik"))
                if member is not None:
                    self.new_objects.append(member)
            elif form.instance.pk and form.has_changed():
                self.changed_objects.append((form.instance, form.changed_data))

    def service_rows(self) -> tuple[list[dict[str, Any]], list[int]]:
        """(members to keep as dicts for ``keluarga_save``, pks of members to delete)."""
        keep, delete = [], []
        for form in self.forms:
            if self.marked_for_deletion(form):
                if form.instance.pk:
                    delete.append(form.instance.pk)
                continue
            if not form.has_changed() and not form.instance.pk:
                continue
            row = {name: form.cleaned_data[name] for name in ANGGOTA_FIELDS if name in form.cleaned_data}
            if form.instance.pk:
                row["pk"] = form.instance.pk
            keep.append(row)
        return keep, delete


class BaseAnggotaFormSet(UserFormSetMixin, MemberFormSet):
    """The member formset of the household pages, its forms scoped to the user."""


AnggotaFormSet = cast(
    type[BaseAnggotaFormSet],
    forms.inlineformset_factory(
        Keluarga,
        AnggotaKeluarga,
        form=AnggotaForm,
        formset=BaseAnggotaFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        can_delete=True,
    ),
)


class CatatanPmksForm(CrispyFields, forms.ModelForm):
    class Meta:
        model = CatatanPmks
        fields = ["kategori", "anggota", "tanggal_identifikasi", "bukti"]
        widgets = {"tanggal_identifikasi": DateInput(), "bukti": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, keluarga: Keluarga, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keluarga = keluarga
        model_choice_field(self, "kategori").queryset = kategori_pmks_active()
        model_choice_field(self, "anggota").queryset = keluarga.anggota.all()
        model_choice_field(self, "anggota").empty_label = _("— seluruh keluarga —")
        self.crispy_fields_only()


class KeputusanPmksForm(forms.Form):
    """Dinas Sosial's decision on a PMKS record."""

    KEPUTUSAN = [("verifikasi", _("Verifikasi")), ("tolak", _("Tolak")), ("tutup", _("Tutup"))]

    keputusan = forms.ChoiceField(choices=KEPUTUSAN)
    catatan = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
