"""Safe uploads, shared by every app: what an image or a document must be to be stored, and
the one way a stored file is served.

Images go through the image pipeline (`core.images`): checked, re-encoded without metadata,
scaled. Documents are accepted by what their bytes are, not by their name: a PDF
starts with ``%PDF-``, an Office file is a zip with the parts Word, Excel or PowerPoint write,
an OpenDocument file is a zip whose first entry names its type, a text or CSV file is text.
The sniffer is ours (a few lines of standard library) rather than a package, because the
packages look at the first bytes only: they call any zip a zip, and we need to look inside it.

Every stored file gets a random name (`RandomFilename`) keeping only a known extension, and is
served by `file_download_response` (every download of a stored file: `mmd_portal.media`, a
document's download, a JVAP upload) with its type, `X-Content-Type-Options: nosniff`, a
sandboxing Content-Security-Policy and, for anything but an image, `Content-Disposition:
attachment`.

Use in a model::

    logo = SafeImageField(upload_to=RandomFilename("organisations/logos"), blank=True)
    file = SafeDocumentField(upload_to=RandomFilename("documents"), blank=True)
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .images import (
    IMAGE_CONTENT_TYPES,
    is_committed,
    looks_like_markup,
    read_all,
    reencode_image,
    refuse_large_image,
    size_in_mb,
    validate_image_upload,
)


@dataclass(frozen=True)
class DocumentType:
    """A kind of document the portal accepts, with the extensions and type it is served as."""

    label: str
    extensions: tuple[str, ...]
    content_type: str


PDF = DocumentType("PDF", (".pdf",), "application/pdf")
DOCX = DocumentType(
    "Word (DOCX)",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = DocumentType(
    "Excel (XLSX)", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
PPTX = DocumentType(
    "PowerPoint (PPTX)",
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODT = DocumentType("OpenDocument text (ODT)", (".odt",), "application/vnd.oasis.opendocument.text")
ODS = DocumentType(
    "OpenDocument spreadsheet (ODS)", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"
)
ODP = DocumentType(
    "OpenDocument presentation (ODP)",
    (".odp",),
    "application/vnd.oasis.opendocument.presentation",
)
TEXT = DocumentType("plain text or CSV", (".txt", ".csv"), "text/plain; charset=utf-8")
DOCUMENT_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT)
DOCUMENT_EXTENSIONS = {ext for kind in DOCUMENT_TYPES for ext in kind.extensions}

# The part every Office Open XML file of that kind has.
OFFICE_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
ODF_MIMETYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS, ODP)}
ALLOWED_DOCUMENTS_TEXT = _("PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TXT or CSV")


# --- Documents ---------------------------------------------------------------------------------


def sniff_document(data: bytes) -> DocumentType | None:
    """What kind of accepted document the bytes are, or None when they are none of them."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if _is_text(data):
        return TEXT
    return None


def _sniff_zip(data: bytes) -> DocumentType | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names):
                return None  # a macro-enabled file dressed as a plain one
            if names and names[0] == "mimetype" and archive.getinfo("mimetype").file_size < 100:
                return ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for part, kind in OFFICE_MAIN_PARTS.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, KeyError, OSError, NotImplementedError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data or looks_like_markup(data[:512]):
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # CSV saved by Excel on Windows
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text[:65536])


def _refuse_large_document(file_or_data) -> None:
    size = getattr(file_or_data, "size", None)
    if (size if size is not None else len(file_or_data)) > settings.UPLOAD_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is %(size)s MB; the largest accepted is %(limit)s MB."),
            code="document_too_large",
            params={
                "size": size_in_mb(file_or_data),
                "limit": round(settings.UPLOAD_DOCUMENT_MAX_BYTES / 1_048_576, 1),
            },
        )


def check_document(data: bytes, filename: str) -> DocumentType:
    """The document's type, or a ValidationError when its content or its name is not accepted."""
    _refuse_large_document(data)
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Files ending in “%(extension)s” are not accepted; upload a %(allowed)s file."),
            code="document_extension",
            params={"extension": extension or _("(nothing)"), "allowed": ALLOWED_DOCUMENTS_TEXT},
        )
    kind = sniff_document(data)
    if kind is None:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a %(allowed)s document (macro-enabled Office "
                "files, web pages and programs are refused)."
            ),
            code="document_content",
            params={"name": PurePosixPath(filename).name, "allowed": ALLOWED_DOCUMENTS_TEXT},
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _("“%(name)s” is named %(extension)s but its content is a %(kind)s file."),
            code="document_mismatch",
            params={
                "name": PurePosixPath(filename).name,
                "extension": extension,
                "kind": kind.label,
            },
        )
    return kind


def validate_document_upload(value) -> None:
    """Model-field validator: the upload is an accepted document whose content fits its name."""
    if not value or is_committed(value):
        return
    _refuse_large_document(value)
    check_document(read_all(value, settings.UPLOAD_DOCUMENT_MAX_BYTES), value.name)


# --- Names and fields --------------------------------------------------------------------------

SAFE_EXTENSIONS = DOCUMENT_EXTENSIONS | set(IMAGE_CONTENT_TYPES)


@deconstructible
class RandomFilename:
    """`upload_to` that stores a file as `<folder>/<random>.<ext>`, whatever it was called.

    Only a known extension is kept (checked uploads always have one), so no uploaded name,
    path or double extension ever reaches the disk.
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower()
        if extension == ".jpeg":
            extension = ".jpg"
        if extension not in SAFE_EXTENSIONS:
            extension = ""
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomFilename) and other.folder == self.folder


class SafeImageFieldFile(ImageFieldFile):
    """Re-encodes whatever is stored in the field, by a form, `save()` or `field_file.save()`."""

    def save(self, name, content, save=True):
        if not getattr(content, "mmd_reencoded", False):
            refuse_large_image(content)
            content = reencode_image(read_all(content, settings.UPLOAD_IMAGE_MAX_BYTES))
            name = content.name
        super().save(name, content, save)


class SafeImageField(models.ImageField):
    """An ImageField that checks uploads and stores them re-encoded by Pillow."""

    attr_class = SafeImageFieldFile
    default_validators = [validate_image_upload]


class SafeDocumentFieldFile(FieldFile):
    """Refuses to store a file that is not an accepted document, however it is saved."""

    def save(self, name, content, save=True):
        # Validators run in forms and full_clean(); this catches writes that skip them.
        _refuse_large_document(content)
        check_document(read_all(content, settings.UPLOAD_DOCUMENT_MAX_BYTES), name)
        super().save(name, content, save)


class SafeDocumentField(models.FileField):
    """A FileField that accepts only documents whose content is an allowed type."""

    attr_class = SafeDocumentFieldFile
    default_validators = [validate_document_upload]


def content_type_for(name: str) -> tuple[str, bool]:
    """The type a stored file is served as, and whether a browser may show it in the page."""
    extension = PurePosixPath(name).suffix.lower()
    if extension in IMAGE_CONTENT_TYPES:
        return IMAGE_CONTENT_TYPES[extension], True
    for kind in DOCUMENT_TYPES:
        if extension in kind.extensions:
            return ("text/csv; charset=utf-8" if extension == ".csv" else kind.content_type), False
    return "application/octet-stream", False


def file_download_response(
    stored, filename: str | None = None, *, as_attachment: bool | None = None
) -> FileResponse:
    """A stored file as a response: its type, nosniff, a sandbox, and a download unless an image.

    Every view that hands out a stored file uses this rather than building a FileResponse, so
    that no upload is ever rendered by the browser as a page of the portal. `stored` is a field
    file or a storage file; `filename` is the name the visitor gets (the stored name's last
    part by default); `as_attachment` forces a download (images are shown otherwise).
    Raises FileNotFoundError when the file is missing from storage.
    """
    name = filename or PurePosixPath(stored.name).name
    content_type, inline = content_type_for(stored.name)
    attachment = (not inline) if as_attachment is None else as_attachment
    response = FileResponse(
        stored.open("rb"), as_attachment=attachment, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a file were rendered, it could run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
