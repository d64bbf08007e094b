"""The admin's imports (django-import-export) pass the portal's file guards and CSV decoding."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogues.models import Organisation
from tests.jvap.bad_files.build import BAD_FILES

pytestmark = pytest.mark.django_db
CSV, XLSX = "0", "1"
BAD = {bad.name: bad for bad in BAD_FILES}


def post_import(client, name: str, data: bytes, file_format: str):
    return client.post(
        reverse("admin:dialogues_organisation_import"),
        {
            "format": file_format,
            "resource": "0",
            "import_file": SimpleUploadedFile(name, data),
        },
    )


@pytest.mark.parametrize(
    "name,file_format",
    [
        ("zip_bomb.xlsx", XLSX),
        ("entity_bomb.xlsx", XLSX),
        ("zip_of_text.xlsx", XLSX),
        ("binary_nul.csv", CSV),
        ("utf16.csv", CSV),
    ],
)
def test_a_bad_file_is_refused_with_the_portals_message(secretariat_client, name, file_format):
    response = post_import(secretariat_client, name, BAD[name].build(), file_format)

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert any(BAD[name].message in error for error in errors), errors
    assert not Organisation.objects.exists()


def test_a_csv_saved_by_excel_on_windows_is_read(secretariat_client):
    data = "name,acronym,slug,type\nCommission de l'Union africaine (Côte),CUA,cua,au-institution\n"

    response = post_import(secretariat_client, "organisations.csv", data.encode("cp1252"), CSV)

    assert response.status_code == 200, response.content.decode()[:500]
    form = response.context["confirm_form"]
    done = secretariat_client.post(
        reverse("admin:dialogues_organisation_process_import"),
        {name: field.value() for name, field in ((n, form[n]) for n in form.fields)},
    )
    assert done.status_code == 302
    assert Organisation.objects.get(slug="cua").name == "Commission de l'Union africaine (Côte)"
