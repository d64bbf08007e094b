"""Set-up shared by the security tests: a focal-point account, records with personal data."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from dialogues.models import FocalPoint
from tests.dialogues.factories import DialogueFactory, MembershipFactory, OrganisationFactory

PRIVATE_EMAIL = "private.person@example.org"
PRIVATE_PHONE = "+221 77 123 45 67"


def png_bytes(size=(40, 30), color=(200, 30, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def uploaded_png(name="logo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


@pytest.fixture(autouse=True)
def _english(settings):
    """Each test starts in English: a /fr/ request elsewhere leaves French active in the thread,
    and `reverse()` would then build /fr/ addresses."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def focal_point_user(django_user_model, focal_point_group):
    user = django_user_model.objects.create_user(
        username="focal", password="focal-point-pass-123", is_staff=True
    )
    user.groups.add(focal_point_group)
    return user


@pytest.fixture
def portal_records(db):
    """A dialogue with a member and a focal point whose contact details are private."""
    dialogue = DialogueFactory(slug="rabat-process", short_name="Rabat")
    organisation = OrganisationFactory()
    MembershipFactory(dialogue=dialogue, country="SN", start=datetime.date(2006, 7, 11))
    focal_point = FocalPoint.objects.create(
        name="Aminata Private", country="SN", email=PRIVATE_EMAIL, phone=PRIVATE_PHONE
    )
    focal_point.dialogues.add(dialogue)
    return {"dialogue": dialogue, "organisation": organisation, "focal_point": focal_point}
