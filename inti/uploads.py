"""Proof photos: checked for size and real image type; stored outside the public static tree
and served only through views that apply the area scope (e.g. bantuan.views.FotoView)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_photo(file) -> None:
    if not file:
        return
    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("Foto terlalu besar (%(mb).1f MB); batasnya %(max)s MB.")
            % {"mb": file.size / 1024 / 1024, "max": MAX_PHOTO_BYTES // 1024 // 1024}
        )
    # Pillow has already opened the file for ImageField; check what it really is, not the name.
    image = getattr(file, "image", None)
    fmt = getattr(image, "format", None)
    if fmt is None:
        from PIL import Image

        try:
            file.seek(0)
            with Image.open(file) as im:
                fmt = im.format
            file.seek(0)
        except Exception as exc:  # any decoder failure means "not an image"
            raise ValidationError(_("Berkas ini bukan gambar yang dapat dibaca.")) from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("Foto harus berformat JPEG, PNG atau WebP (berkas ini %(f)s).") % {"f": fmt})
