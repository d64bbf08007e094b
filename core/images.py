"""The one image pipeline: every uploaded picture (logos, meeting photos, grant covers, anything
later) is checked, re-encoded and scaled here.

An image is opened with Pillow's JPEG, PNG, WebP and GIF readers only, measured before it is
decoded (size and pixel limits from settings, so decompression bombs never reach memory), turned
upright from its EXIF orientation, scaled down to a largest side when asked, and written again
by Pillow with *no* metadata: no EXIF (camera, GPS position), no ICC or XMP, no JPEG comment
(COM segment, which Pillow would otherwise copy into the new file), no trailing payload.
Thumbnails are made from the re-encoded image the same way.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> the extension the re-encoded file is stored under.
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
IMAGE_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head", b"<!--")
# The only entry of Pillow's `info` a re-encoded image keeps: which palette colour is clear.
KEPT_INFO = ("transparency",)

# Pillow's own guard; the explicit pixel check below is the one that gives a clear message.
Image.MAX_IMAGE_PIXELS = settings.UPLOAD_IMAGE_MAX_PIXELS


def read_all(file, limit: int) -> bytes:
    """The content of an uploaded or stored file, leaving it rewound.

    At most `limit` + 1 bytes are read, so an oversized upload never fills the memory; the
    checks then see that it is over the limit.
    """
    if hasattr(file, "open") and getattr(file, "closed", False):
        file.open("rb")
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def size_in_mb(file_or_data) -> float:
    size = getattr(file_or_data, "size", None)
    return round((size if size is not None else len(file_or_data)) / 1_048_576, 1)


def looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(MARKUP_STARTS)


def refuse_large_image(file_or_data, limit: int | None = None) -> None:
    """A ValidationError when the file is over `limit` bytes (UPLOAD_IMAGE_MAX_BYTES)."""
    limit = limit or settings.UPLOAD_IMAGE_MAX_BYTES
    size = getattr(file_or_data, "size", None)
    if (size if size is not None else len(file_or_data)) > limit:
        raise ValidationError(
            _("The image is %(size)s MB; the largest accepted is %(limit)s MB."),
            code="image_too_large",
            params={"size": size_in_mb(file_or_data), "limit": round(limit / 1_048_576, 1)},
        )


def _refuse_many_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _(
                "The image is %(width)s × %(height)s pixels; the most accepted is "
                "%(limit)s million pixels."
            ),
            code="image_too_many_pixels",
            params={
                "width": width,
                "height": height,
                "limit": settings.UPLOAD_IMAGE_MAX_PIXELS // 1_000_000,
            },
        )


def open_checked_image(data: bytes) -> Image.Image:
    """Open and fully decode image bytes, or raise a ValidationError saying what is wrong."""
    refuse_large_image(data)
    if looks_like_markup(data[:512]):
        raise ValidationError(
            _("This file is SVG, HTML or XML text, not a photo: upload a JPEG, PNG, WebP or GIF."),
            code="image_is_markup",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(IMAGE_FORMATS))
            _refuse_many_pixels(image)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The image is far larger in pixels than it looks and was refused."),
            code="image_decompression_bomb",
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image."), code="image_unknown_format"
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The image is damaged or cut short and cannot be read."), code="image_damaged"
        ) from error
    return image


def _without_metadata(image: Image.Image) -> Image.Image:
    """The image upright, with none of the upload's metadata left to be written again."""
    image = ImageOps.exif_transpose(image)
    kept = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    image.info.clear()
    image.info.update(kept)
    return image


def _encode(image: Image.Image, image_format: str) -> bytes:
    output = BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=True)
    elif image_format == "WEBP":
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(output, format="WEBP", quality=88)
    else:  # GIF
        if image.mode not in ("P", "L"):
            image = image.convert("P")
        image.save(output, format="GIF")
    return output.getvalue()


def _scaled(image: Image.Image, max_side: int | None) -> Image.Image:
    if max_side and max(image.size) > max_side:
        if image.mode == "P":
            image = image.convert("RGBA")
        image.thumbnail((max_side, max_side))
    return image


def reencode_image(data: bytes, *, max_side: int | None = None) -> ContentFile:
    """A fresh file written by Pillow from the checked image, in its own format, scaled down to
    `max_side` when it is larger: no metadata, no comment, no hidden payload.

    Animated GIF and WebP keep their first frame only, which is what a logo or a photo needs.
    """
    image = open_checked_image(data)
    source_format = image.format
    image = _scaled(_without_metadata(image), max_side)
    reencoded = ContentFile(
        _encode(image, source_format), name=f"image{IMAGE_FORMATS[source_format]}"
    )
    reencoded.mmd_reencoded = True
    return reencoded


def image_thumbnail(file_or_data, *, side: int) -> ContentFile:
    """A JPEG of at most `side` pixels each way, without metadata, from a checked image."""
    data = file_or_data if isinstance(file_or_data, bytes) else read_all(file_or_data, 1 << 30)
    image = _without_metadata(open_checked_image(data))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((side, side))
    thumbnail = ContentFile(_encode(image, "JPEG"), name="thumbnail.jpg")
    thumbnail.mmd_reencoded = True
    return thumbnail


def is_committed(value) -> bool:
    """True for a file already in storage (it was checked when it was uploaded)."""
    return getattr(value, "_committed", False) is True and bool(getattr(value, "name", ""))


def safe_image_file(value, *, max_side: int | None = None, max_bytes: int | None = None):
    """The value to store for an image field: a new upload re-encoded (and scaled down to
    `max_side`), a stored file as it is."""
    if not value or is_committed(value) or getattr(value.file, "mmd_reencoded", False):
        return value
    limit = max_bytes or settings.UPLOAD_IMAGE_MAX_BYTES
    refuse_large_image(value, limit)
    return reencode_image(read_all(value, limit), max_side=max_side)


def validate_image_upload(value) -> None:
    """Model-field validator: the upload is a readable JPEG/PNG/WebP/GIF within the limits."""
    if not value or is_committed(value):
        return
    refuse_large_image(value)
    open_checked_image(read_all(value, settings.UPLOAD_IMAGE_MAX_BYTES))
