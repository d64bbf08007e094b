"""The rules that must always hold are database constraints."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from grants.models import ConsortiumMember, Output
from tests.grants.factories import CO, LEAD, GrantFactory, organisation

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        GrantFactory(start=datetime.date(2025, 5, 1), end=datetime.date(2025, 4, 1))


def test_end_before_start_is_explained_by_clean():
    grant = GrantFactory.build(start=datetime.date(2025, 5, 1), end=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        grant.clean()
    assert "end" in error.value.message_dict


def test_negative_amounts_are_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantFactory(amount_eur=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantFactory(co_financing_eur=-1)


def test_a_grant_has_one_lead_applicant_at_most():
    grant = GrantFactory(members=[(organisation(), LEAD)])
    with pytest.raises(IntegrityError):
        ConsortiumMember.objects.create(grant=grant, organisation=organisation(), role=LEAD)


def test_an_organisation_joins_a_consortium_once():
    member = organisation()
    grant = GrantFactory(members=[(member, LEAD)])
    with pytest.raises(IntegrityError):
        ConsortiumMember.objects.create(grant=grant, organisation=member, role=CO)


def test_an_output_needs_a_file_or_a_link():
    with pytest.raises(IntegrityError):
        Output.objects.create(grant=GrantFactory(), title="Nothing attached")


def test_reserved_slugs_are_refused_by_clean():
    grant = GrantFactory.build(slug="calls")
    with pytest.raises(ValidationError):
        grant.clean()


def _image(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def test_large_cover_images_are_scaled_down(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    grant = GrantFactory(cover_image=_image(3000, 1500))
    with Image.open(grant.cover_image.path) as saved:
        assert max(saved.size) == settings.GRANT_COVER_MAX_SIDE


def test_tiny_cover_images_are_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    grant = GrantFactory(cover_image=_image(3000, 1500))
    from grants.models import validate_cover_image

    small = GrantFactory(cover_image=_image(100, 80))
    with pytest.raises(ValidationError):
        validate_cover_image(small.cover_image)
    validate_cover_image(grant.cover_image)
