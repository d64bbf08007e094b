"""Uploads: only real images and allowed documents are stored, re-encoded and renamed."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from core.images import image_thumbnail, reencode_image, validate_image_upload
from core.uploads import check_document, validate_document_upload
from dialogues.models import Document, MeetingPhoto, Organisation
from tests.dialogues.factories import DialogueFactory, OrganisationFactory

from .conftest import png_bytes, uploaded_png

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header, with a tiny compressed body: a pixel bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def office_zip(main_part: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odf_zip(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Rabat"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image_error(data: bytes, name: str = "photo.png") -> str:
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(SimpleUploadedFile(name, data))
    return refused.value.code


# --- Images ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [(30_000, 30_000), (7_000, 7_000)], ids=["far-past-pillow-limit", "past-our-limit"]
)
def test_a_decompression_bomb_image_is_refused(size):
    assert image_error(png_header_only(*size)) in {
        "image_decompression_bomb",
        "image_too_many_pixels",
    }


def test_an_svg_disguised_as_a_png_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert image_error(svg, "logo.png") == "image_is_markup"


def test_an_html_page_disguised_as_a_jpeg_is_refused():
    html = b"\n  <!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

    assert image_error(html, "photo.jpg") == "image_is_markup"


@pytest.mark.parametrize("image_format", ["BMP", "TIFF", "ICO"])
def test_image_formats_outside_the_allowed_four_are_refused(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, format=image_format)

    assert image_error(buffer.getvalue()) == "image_unknown_format"


def test_a_truncated_image_is_refused():
    assert image_error(png_bytes(size=(400, 400), color=(1, 2, 3))[:200]) == "image_damaged"


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 100

    assert image_error(png_bytes()) == "image_too_large"


@pytest.mark.django_db
def test_a_logo_is_stored_re_encoded_under_a_random_name(media_root):
    payload = b"<script>alert('appended after the image')</script>"
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret camera note"  # ImageDescription
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("../../My Logo<script>.JPEG", buffer.getvalue() + payload)

    organisation = OrganisationFactory(logo=upload)

    stored = Path(organisation.logo.path)
    assert stored.parent == media_root / "organisations" / "logos"
    assert stored.suffix == ".jpg" and len(stored.stem) == 32
    data = stored.read_bytes()
    assert payload not in data
    with Image.open(stored) as reopened:
        assert reopened.format == "JPEG" and reopened.size == (64, 48)
        assert not reopened.getexif()


@pytest.mark.django_db
def test_the_admin_refuses_an_svg_logo_and_stores_nothing(secretariat_client, media_root):
    svg = SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>')

    response = secretariat_client.post(
        reverse("admin:dialogues_organisation_add"),
        {"name": "Sneaky", "slug": "sneaky", "type": "other", "logo": svg},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    assert not Organisation.objects.filter(slug="sneaky").exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


@pytest.mark.django_db
def test_a_large_meeting_photo_is_re_encoded_scaled_and_given_a_thumbnail(media_root, settings):
    from tests.dialogues.factories import MeetingFactory

    meeting = MeetingFactory()
    photo = MeetingPhoto.objects.create(
        meeting=meeting,
        image=uploaded_png("Big Photo.png", size=(settings.PHOTO_MAX_SIDE + 600, 1000)),
        alt_text="The plenary",
    )

    with Image.open(photo.image.path) as image:
        assert max(image.size) == settings.PHOTO_MAX_SIDE
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert max(thumbnail.size) == settings.PHOTO_THUMBNAIL_SIDE
    assert "Big Photo" not in photo.image.name and "Big Photo" not in photo.thumbnail.name
    assert photo.image.name.startswith("meetings/photos/")


def jpeg_with_comment_and_exif(size=(3000, 1200)) -> bytes:
    """A camera-like JPEG: an EXIF block with a GPS position and a COM segment."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (14.0, 41.0, 0.0)}  # GPSInfo: latitude
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(
        buffer, format="JPEG", exif=exif.tobytes(), comment=b"private comment: home address"
    )
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    assert b"private comment" not in data
    assert b"Exif" not in data and b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "comment" not in image.info and "exif" not in image.info
        assert not image.getexif()


def test_a_jpeg_comes_out_of_the_pipeline_without_its_comment_and_exif():
    original = jpeg_with_comment_and_exif()
    with Image.open(io.BytesIO(original)) as image:  # the test file really carries both
        assert image.info["comment"] and image.getexif()[0x010F] == "SecretCam"

    assert_no_metadata(reencode_image(original).read())
    assert_no_metadata(reencode_image(original, max_side=500).read())
    assert_no_metadata(image_thumbnail(original, side=200).read())


@pytest.mark.django_db
def test_a_meeting_photo_and_its_thumbnail_keep_no_comment_or_exif(media_root, settings):
    from tests.dialogues.factories import MeetingFactory

    photo = MeetingPhoto.objects.create(
        meeting=MeetingFactory(),
        image=SimpleUploadedFile("camera.jpg", jpeg_with_comment_and_exif()),
        alt_text="The plenary",
    )

    assert_no_metadata(Path(photo.image.path).read_bytes())
    assert_no_metadata(Path(photo.thumbnail.path).read_bytes())


@pytest.mark.django_db
def test_a_grant_cover_goes_through_the_same_pipeline(media_root, settings):
    from tests.grants.factories import GrantFactory

    grant = GrantFactory(
        cover_image=SimpleUploadedFile("cover.jpg", jpeg_with_comment_and_exif((2600, 1300)))
    )

    data = Path(grant.cover_image.path).read_bytes()
    assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == settings.GRANT_COVER_MAX_SIDE


# --- Documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,data",
    [
        ("declaration.pdf", PDF),
        ("report.docx", office_zip("word/document.xml")),
        ("table.xlsx", None),
        ("slides.pptx", office_zip("ppt/presentation.xml")),
        ("note.odt", odf_zip("application/vnd.oasis.opendocument.text")),
        ("sheet.ods", odf_zip("application/vnd.oasis.opendocument.spreadsheet")),
        ("list.csv", "pays;ville\nSénégal;Dakar\n".encode()),
        ("readme.txt", "Plain words\tand tabs\r\n".encode("cp1252")),
    ],
)
def test_allowed_documents_are_accepted(name, data):
    data = xlsx_bytes() if data is None else data

    kind = check_document(data, name)

    assert Path(name).suffix in kind.extensions


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("report.pdf", office_zip("word/document.xml"), "document_mismatch"),
        ("report.docx", PDF, "document_mismatch"),
        ("table.xlsx", office_zip("word/document.xml"), "document_mismatch"),
        ("notes.txt", PDF, "document_mismatch"),
        ("page.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "document_content"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00program", "document_content"),
        ("archive.docx", office_zip("random/file.xml"), "document_content"),
        (
            "macro.docx",
            office_zip("word/document.xml", {"word/vbaProject.bin": b"x"}),
            "document_content",
        ),
        ("script.html", b"<html></html>", "document_extension"),
        ("setup.exe", b"MZ", "document_extension"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "document_extension"),
    ],
)
def test_a_document_whose_content_does_not_match_is_refused(name, data, code):
    with pytest.raises(ValidationError) as refused:
        check_document(data, name)

    assert refused.value.code == code


@pytest.mark.django_db
def test_a_document_form_names_the_problem(media_root):
    document = Document(
        title="Declaration",
        slug="declaration",
        kind=Document.Kind.DECLARATION,
        file=SimpleUploadedFile("declaration.pdf", office_zip("word/document.xml")),
    )

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    message = refused.value.message_dict["file"][0]
    assert "declaration.pdf" in message and "Word (DOCX)" in message


@pytest.mark.django_db
def test_a_save_that_skips_validation_still_refuses_a_bad_document(media_root):
    with pytest.raises(ValidationError), transaction.atomic():
        Document.objects.create(
            title="Page", slug="page", kind="other", file=SimpleUploadedFile("page.pdf", b"<html>")
        )

    assert not Document.objects.exists()


# --- Serving -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_documents_are_served_as_downloads_with_their_type(client, media_root):
    document = Document.objects.create(
        title="Declaration",
        slug="declaration",
        kind="declaration",
        file=SimpleUploadedFile("Rabat Declaration.pdf", PDF),
    )

    response = client.get(document.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_the_public_document_download_is_served_sandboxed_like_every_stored_file(
    client, media_root
):
    document = Document.objects.create(
        title="Declaration",
        slug="declaration",
        kind="declaration",
        file=SimpleUploadedFile("Rabat Declaration.pdf", PDF),
    )

    response = client.get(reverse("dialogues:document_download", args=[document.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_images_are_served_inline_with_their_type_and_nosniff(client, media_root):
    organisation = OrganisationFactory(logo=uploaded_png())

    response = client.get(organisation.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_media_paths_cannot_climb_out_of_the_media_folder(client, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root.parent / "secret.txt").write_text("not for the public")

    for path in ["/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/..%2fsecret.txt"]:
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert b"not for the public" not in response.content


@pytest.mark.django_db
def test_dialogue_logo_uses_the_same_checks(media_root):
    dialogue = DialogueFactory.build(logo=SimpleUploadedFile("logo.gif", b"GIF89a<html>"))

    with pytest.raises(ValidationError) as refused:
        dialogue.full_clean()

    assert "logo" in refused.value.message_dict


def test_an_oversized_document_is_refused_before_it_is_read(settings):
    settings.UPLOAD_DOCUMENT_MAX_BYTES = 1_048_576

    class Unreadable(SimpleUploadedFile):
        @property
        def read(self):
            raise AssertionError("the oversized upload was read")

    upload = Unreadable("big.pdf", PDF + b"0" * 2_200_000)

    with pytest.raises(ValidationError) as refused:
        validate_document_upload(upload)

    assert refused.value.code == "document_too_large"
    assert "2.1 MB" in str(refused.value.message % refused.value.params)  # 2.2 million bytes


@pytest.mark.django_db
def test_storing_through_the_field_file_is_checked_too(media_root):
    from django.core.files.base import ContentFile

    document = Document.objects.create(
        title="Plan", slug="plan", kind="action-plan", url="https://example.org"
    )
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError), transaction.atomic():
        document.file.save("plan.docx", ContentFile(PDF), save=True)
    organisation.logo.save("logo.png", ContentFile(png_bytes() + b"<script>"), save=True)

    document.refresh_from_db()
    assert not document.file
    assert b"<script>" not in Path(organisation.logo.path).read_bytes()
