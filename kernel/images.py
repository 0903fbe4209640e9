"""Uploaded pictures: opened with Pillow, limited, re-encoded under a random name.

Re-encoding drops EXIF (GPS included) and anything hidden after the image data; the limits are
checked before the pixels are decoded, so a decompression bomb costs nothing.
"""

import secrets
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
DISPLAY_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (640, 640)
# Link previews (WhatsApp, Instagram, Facebook, X) crop to about 1.91:1 and WhatsApp shows
# JPEG reliably where WebP is hit and miss.
SHARE_CARD_SIZE = (1200, 630)


def open_upload(upload) -> Image.Image:
    """Return the upload as a decoded, upright RGB image, or raise ValidationError."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The picture is larger than 10 MB."), code="too_large")
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP picture."), code="format")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The picture has more than 40 megapixels."), code="pixels")
        image.load()
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(_("This file is not a picture we can read."), code="invalid") from exc
    return image.convert("RGB")


def encode(image: Image.Image, box: tuple[int, int]) -> ContentFile:
    """A WebP copy fitting in `box`, under a random name."""
    copy = image.copy()
    copy.thumbnail(box)
    return _save(copy, "WEBP", "webp")


def share_card(image: Image.Image) -> ContentFile:
    """A JPEG filling SHARE_CARD_SIZE, cropped around the centre: the link preview picture."""
    return _save(ImageOps.fit(image, SHARE_CARD_SIZE), "JPEG", "jpg")


def _save(image: Image.Image, format: str, extension: str) -> ContentFile:
    buffer = BytesIO()
    image.save(buffer, format, quality=82)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")
