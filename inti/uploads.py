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


# -- Signed scans: a PDF or a photo of the paper -----------------------------------------------------

PDF_MAGIC = b"%PDF-"
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _head(file, n: int = 8) -> bytes:
    file.seek(0)
    head = file.read(n)
    file.seek(0)
    return head


def validate_scan(file) -> None:
    """A signed scan (berita acara): a PDF (judged by its first bytes, not its name) or a photo
    checked like proof photos, within the photos' size limit. A file named .pdf that is not a
    PDF is refused as such: what it claims and what it is disagree."""
    if not file:
        return
    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(mb).1f MB); batasnya %(max)s MB.")
            % {"mb": file.size / 1024 / 1024, "max": MAX_PHOTO_BYTES // 1024 // 1024}
        )
    if _head(file).startswith(PDF_MAGIC):
        return
    if str(getattr(file, "name", "")).lower().endswith(".pdf"):
        raise ValidationError(_("Berkas ini bernama PDF tetapi isinya bukan PDF; unggah PDF asli atau foto."))
    try:
        validate_photo(file)
    except ValidationError as exc:
        raise ValidationError(
            _("Pindaian harus berupa PDF atau foto JPEG, PNG atau WebP. %(e)s")
            % {"e": " ".join(exc.messages)}
        ) from exc


def scan_type(file) -> tuple[str, str]:
    """(content type, extension) of a stored scan, judged by its content."""
    if _head(file).startswith(PDF_MAGIC):
        return "application/pdf", "pdf"
    from PIL import Image

    try:
        with Image.open(file) as im:
            fmt = im.format
    except Exception:  # unreadable: served as opaque bytes
        fmt = None
    finally:
        file.seek(0)
    return IMAGE_TYPES.get(fmt or "", ("application/octet-stream", "bin"))
