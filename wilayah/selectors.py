"""Reads of the region table."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wilayah.choices import KODE_PROVINSI, Tingkat
from wilayah.models import Wilayah

KELURAHAN_LEVELS = (Tingkat.KELURAHAN, Tingkat.DESA)


def kelurahan_for_user(*, user: Any) -> QuerySet[Wilayah]:
    """Kelurahan/desa the user may pick in a form or filter."""
    return Wilayah.objects.for_user(user).filter(tingkat__in=KELURAHAN_LEVELS)


def kecamatan_for_user(*, user: Any) -> QuerySet[Wilayah]:
    return Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KECAMATAN)


def kode_region_warning(kode6: str) -> str | None:
    """Why the 6-digit region part of a NIK or KK looks implausible, or None.

    Only a warning: the NIK keeps the kecamatan where it was first issued, so people who moved
    legitimately carry codes from elsewhere (DOMAIN.md, NIK).
    """
    prov, kab, kec = kode6[:2], kode6[2:4], kode6[4:6]
    if prov not in KODE_PROVINSI:
        return _("kode provinsi %(kode)s tidak dikenal") % {"kode": prov}
    kab_kode = f"{prov}.{kab}"
    if kab == "00":
        return _("kode kabupaten/kota %(kode)s tidak dikenal") % {"kode": kab_kode}
    known_kab = Wilayah.objects.filter(kode=kab_kode).exists()
    if known_kab and not Wilayah.objects.filter(kode=f"{kab_kode}.{kec}").exists():
        return _("kecamatan %(kec)s tidak ada di %(kab)s") % {"kec": f"{kab_kode}.{kec}", "kab": kab_kode}
    return None


def kelurahan_codes() -> set[str]:
    """Every kelurahan/desa code: an import checks each row's code against them at once."""
    return set(Wilayah.objects.filter(tingkat__in=KELURAHAN_LEVELS).values_list("kode", flat=True))
