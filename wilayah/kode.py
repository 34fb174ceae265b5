"""Kemendagri region codes: their shape per level, and a code's parent.

35 (provinsi) · 35.74 (kota/kabupaten) · 35.74.04 (kecamatan) · 35.74.04.1003 (kelurahan/desa):
each level adds one dot-separated part of a fixed width. Every path that creates a region (the
CSV loader, the admin form and the admin import) checks a code here; records that already hold a
region follow its ``induk`` key instead of cutting codes apart.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wilayah.choices import PARTS_BY_TINGKAT

PART_WIDTHS = [2, 2, 2, 4]  # 35 . 74 . 04 . 1003


def kode_error(kode: str, tingkat: str) -> str | None:
    """Why ``kode`` is not a code of a region of level ``tingkat``, or None when it is."""
    expected = PARTS_BY_TINGKAT.get(tingkat)
    if expected is None:
        return _("Tingkat wilayah '%(t)s' tidak dikenal.") % {"t": tingkat}
    parts = kode.split(".")
    if (
        len(parts) != expected
        or not all(p.isdigit() and p.isascii() for p in parts)
        or [len(p) for p in parts] != PART_WIDTHS[: len(parts)]
    ):
        return _("Kode '%(k)s' tidak sesuai tingkat %(t)s (mis. 35.74.04.1003 untuk kelurahan).") % {
            "k": kode,
            "t": tingkat,
        }
    return None


def kode_induk(kode: str) -> str | None:
    """The code of the region a new code belongs to (35.74.04 for 35.74.04.1003); None for a
    province."""
    return kode.rsplit(".", 1)[0] if "." in kode else None
