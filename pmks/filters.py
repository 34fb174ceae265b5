"""List filters. Every choice list is scoped to the user, like the rows themselves."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pmks.choices import StatusPmks
from pmks.models import CatatanPmks, KategoriPmks, Keluarga
from pmks.selectors import keluarga_search, keluarga_with_pmks
from wilayah.models import Wilayah
from wilayah.selectors import kelurahan_for_user


class BootstrapFilterSet(django_filters.FilterSet):
    """Filter forms styled for Bootstrap, so they fit a phone screen like every other form.

    The kelurahan choices are those of ``user`` (the request's user by default): a report
    written in the background filters exactly as the page did, without a request."""

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        for name in ("kelurahan",):
            if name in self.filters:
                self.filters[name].queryset = kelurahan_for_user(user=self.user)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class KeluargaFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": _("Nama, NIK atau No. KK"), "type": "search"}),
    )
    kelurahan = django_filters.ModelChoiceFilter(
        label=_("Kelurahan"), queryset=Wilayah.objects.none(), empty_label=_("Semua kelurahan")
    )
    kategori = django_filters.ModelChoiceFilter(
        label=_("Kategori PMKS"),
        queryset=KategoriPmks.objects.filter(aktif=True),
        method="filter_pmks",
        empty_label=_("Semua kategori"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status PMKS"),
        choices=StatusPmks.choices,
        method="filter_pmks",
        empty_label=_("Semua status"),
    )

    class Meta:
        model = Keluarga
        fields = ["q", "kelurahan", "kategori", "status"]

    def filter_q(self, queryset, name, value):
        return keluarga_search(queryset, value)

    def filter_pmks(self, queryset, name, value):
        # Category and status must hold for the same record, so both are applied together
        # once, when the first of the two is reached.
        if getattr(self, "_pmks_done", False):
            return queryset
        self._pmks_done = True
        data = self.form.cleaned_data
        return keluarga_with_pmks(queryset, kategori=data.get("kategori"), status=data.get("status"))


class CatatanPmksFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StatusPmks.choices, empty_label=_("Semua status")
    )
    kategori = django_filters.ModelChoiceFilter(
        label=_("Kategori"),
        queryset=KategoriPmks.objects.filter(aktif=True),
        empty_label=_("Semua kategori"),
    )
    kelurahan = django_filters.ModelChoiceFilter(
        label=_("Kelurahan"),
        queryset=Wilayah.objects.none(),
        field_name="keluarga__kelurahan",
        empty_label=_("Semua kelurahan"),
    )

    class Meta:
        model = CatatanPmks
        fields = ["status", "kategori", "kelurahan"]
