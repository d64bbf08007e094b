"""Every path that writes a web address checks it as the forms do: http and https only."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.validators import validate_safe_url
from dialogues.models import Organisation
from tests.dialogues.factories import OrganisationFactory

UNSAFE = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/file",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("address", UNSAFE)
def test_the_validator_refuses_anything_but_http_and_https(address):
    with pytest.raises(ValidationError):
        validate_safe_url(address)


@pytest.mark.parametrize("address", ["https://www.icmpd.org/", "http://example.org/a?b=c"])
def test_the_validator_accepts_web_addresses(address):
    validate_safe_url(address)


@pytest.mark.django_db
def test_saving_a_javascript_website_in_code_is_refused():
    organisation = OrganisationFactory.build(website="javascript:alert(1)")

    with pytest.raises(ValidationError):
        organisation.save()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_an_organisation_import_with_a_javascript_website_is_refused(secretariat_client):
    csv = (
        "name,acronym,slug,type,website\nHarmless Looking Body,HLB,hlb,other,javascript:alert(1)\n"
    )

    answer = secretariat_client.post(
        reverse("admin:dialogues_organisation_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("organisations.csv", csv.encode(), "text/csv"),
        },
    )

    assert answer.status_code == 200
    assert "confirm_form" not in answer.context or answer.context["confirm_form"] is None
    assert "http:// or https://" in answer.content.decode()
    assert not Organisation.objects.filter(slug="hlb").exists()
