"""Permissions and flow of the upload in the browser, rule by rule (issue: "The upload in the
browser"), and the secretariat's validation in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap.models import EntryUpload, JvapEntry, PartnerAccess

from .factories import (
    CampaignFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)
from .sheets import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def senegal():
    make_domains()
    CampaignFactory(year=2025)
    return ReportingPartnerFactory(country="SN")


@pytest.fixture
def mali(senegal):
    return ReportingPartnerFactory(country="ML")


@pytest.fixture
def focal_point(django_user_model, senegal):
    user = django_user_model.objects.create_user(
        "focal", email="focal@example.org", password="focal-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, senegal)
    return user


@pytest.fixture
def contributor(django_user_model, senegal):
    user = django_user_model.objects.create_user("helper", password="helper-pass-123")
    give_access(user, senegal, PartnerAccess.Role.CONTRIBUTOR)
    return user


def upload(client, data, partner, name="entries.csv"):
    return client.post(
        reverse("jvap:upload"),
        {"partner": partner.pk, "file": SimpleUploadedFile(name, data)},
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("jvap:upload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("jvap:login"))


def test_people_without_partner_access_cannot_upload(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert client.get(reverse("jvap:upload")).status_code == 403


def test_focal_point_logs_in_through_the_upload_login(client, focal_point):
    response = client.post(
        reverse("jvap:login"), {"username": "focal", "password": "focal-pass-123"}
    )
    assert response.status_code == 302 and response.url == reverse("jvap:upload")


def test_upload_preview_confirm_creates_submitted_entries(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([GOOD]), senegal)
    stored = EntryUpload.objects.get()
    assert response.url == reverse("jvap:upload_preview", kwargs={"pk": stored.pk})
    preview = client.get(response.url)
    assert "1 new, 0 changed, 0 unchanged." in preview.content.decode()
    assert JvapEntry.objects.count() == 0  # the preview writes nothing
    confirmed = client.post(response.url, {"confirm": "1"})
    assert confirmed.url == reverse("jvap:upload_entries")
    entry = JvapEntry.objects.get()
    assert entry.review_state == "submitted"
    assert JvapEntry.objects.published().count() == 0  # only validated entries are public
    stored.refresh_from_db()
    assert (stored.state, stored.uploaded_by, stored.campaign.year) == (
        "confirmed",
        focal_point,
        2025,
    )
    assert stored.file.read() == csv_bytes([GOOD])  # the file is kept with the upload


def test_preview_lists_changed_fields_and_unchanged_entries(client, focal_point, senegal):
    client.force_login(focal_point)
    client.post(
        upload(client, csv_bytes([GOOD, row(Reference="2")]), senegal).url, {"confirm": "1"}
    )
    response = upload(client, csv_bytes([row(Title="Renamed"), row(Reference="2")]), senegal)
    page = client.get(response.url).content.decode()
    assert "0 new, 1 changed, 1 unchanged." in page
    assert "Border management training" in page and "Renamed" in page


def test_preview_lists_every_error_and_offers_no_confirmation(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(
        client, csv_bytes([row(Countries="Atlantis"), row(Reference="2", Type="x")]), senegal
    )
    page = client.get(response.url).content.decode()
    assert "row 2, column Countries: “Atlantis”" in page
    assert "row 3, column Type: “x”" in page
    assert 'name="confirm"' not in page
    client.post(response.url, {"confirm": "1"})
    assert JvapEntry.objects.count() == 0


def test_preview_summarises_errors_by_kind_and_offers_them_all_as_a_spreadsheet(
    client, focal_point, senegal, mali
):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(focal_point)
    rows = [row(Reference=str(n), Countries="Atlantis") for n in range(3)]
    response = upload(client, csv_bytes([*rows, row(Reference="9", Type="x")]), senegal)
    page = client.get(response.url).content.decode()
    assert "3 rows: Countries missing or not recognised" in page
    assert "1 rows: Types missing or not recognised" in page
    stored = EntryUpload.objects.get()
    errors_url = reverse("jvap:upload_errors", kwargs={"pk": stored.pk})
    assert errors_url in page

    download = client.get(errors_url)
    assert download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(download.getvalue())).active  # a stored file, streamed
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Row", "Column", "Value", "Message"),
        (
            2,
            "Countries",
            "Atlantis",
            "“Atlantis” is not a country the portal recognises. Write the "
            "country's name in English or French, or its ISO code (for example SN or SEN).",
        ),
        (
            3,
            "Countries",
            "Atlantis",
            "“Atlantis” is not a country the portal recognises. Write the "
            "country's name in English or French, or its ISO code (for example SN or SEN).",
        ),
        (
            4,
            "Countries",
            "Atlantis",
            "“Atlantis” is not a country the portal recognises. Write the "
            "country's name in English or French, or its ISO code (for example SN or SEN).",
        ),
        (5, "Type", "x", "“x” is not one of the accepted values (Project, Policy)."),
    ]
    client.force_login(django_user(mali))  # another partner's people cannot read it
    assert client.get(errors_url).status_code == 404


def test_cancel_writes_nothing_but_keeps_the_file(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([GOOD]), senegal)
    client.post(response.url, {"cancel": "1"})
    assert JvapEntry.objects.count() == 0
    assert EntryUpload.objects.get().state == "cancelled"
    client.post(response.url, {"confirm": "1"})  # a cancelled upload cannot be confirmed later
    assert JvapEntry.objects.count() == 0


def test_uploading_the_same_file_again_changes_nothing(client, focal_point, senegal):
    client.force_login(focal_point)
    client.post(upload(client, csv_bytes([GOOD]), senegal).url, {"confirm": "1"})
    before = list(JvapEntry.objects.values())
    client.post(upload(client, csv_bytes([GOOD]), senegal).url, {"confirm": "1"})
    assert list(JvapEntry.objects.values()) == before


def test_focal_point_sees_only_their_partners_entries_and_returned_comments(
    client, focal_point, senegal, mali
):
    JvapEntryFactory(
        partner=senegal, title="Ours", review_state="returned", review_comment="Add a budget"
    )
    JvapEntryFactory(partner=mali, title="Theirs")
    client.force_login(focal_point)
    page = client.get(reverse("jvap:upload_entries")).content.decode()
    assert "Ours" in page and "Add a budget" in page
    assert "Theirs" not in page


def test_focal_point_cannot_upload_for_another_partner(client, focal_point, mali):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([GOOD]), mali)
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert EntryUpload.objects.count() == 0


def test_focal_point_cannot_open_another_partners_upload(
    client, focal_point, secretariat_user, mali
):
    client.force_login(secretariat_user)
    other = upload(client, csv_bytes([GOOD]), mali)
    client.force_login(focal_point)
    assert client.get(other.url).status_code == 404
    assert client.post(other.url, {"confirm": "1"}).status_code == 404
    assert JvapEntry.objects.count() == 0


def test_secretariat_uploads_on_behalf_of_any_partner(client, secretariat_user, mali):
    client.force_login(secretariat_user)
    response = upload(client, csv_bytes([GOOD]), mali)
    client.post(response.url, {"confirm": "1"})
    assert JvapEntry.objects.get().partner == mali


def test_contributor_uploads_but_cannot_designate(client, contributor, senegal, django_user_model):
    django_user_model.objects.create_user("other", password="x" * 12)
    client.force_login(contributor)
    client.post(upload(client, csv_bytes([GOOD]), senegal).url, {"confirm": "1"})
    assert JvapEntry.objects.count() == 1
    assert client.get(reverse("jvap:upload_contributors")).status_code == 403
    response = client.post(
        reverse("jvap:upload_contributors"), {"partner": senegal.pk, "email": "o@example.org"}
    )
    assert response.status_code == 403
    assert PartnerAccess.objects.count() == 1


def test_focal_point_cannot_designate_for_another_partner(
    client, focal_point, mali, django_user_model
):
    django_user_model.objects.create_user("other", password="x" * 12)
    client.force_login(focal_point)
    response = client.post(
        reverse("jvap:upload_contributors"), {"partner": mali.pk, "email": "o@example.org"}
    )
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert not PartnerAccess.objects.filter(partner=mali).exists()


def test_focal_point_removes_a_contributor_of_their_partner(client, focal_point, contributor):
    client.force_login(focal_point)
    access = PartnerAccess.objects.get(user=contributor)
    client.post(reverse("jvap:upload_contributor_remove", kwargs={"pk": access.pk}))
    assert not PartnerAccess.objects.filter(user=contributor).exists()


def test_removing_a_contributor_asks_on_a_page_of_its_own_first(client, focal_point, contributor):
    client.force_login(focal_point)
    access = PartnerAccess.objects.get(user=contributor)
    url = reverse("jvap:upload_contributor_remove", kwargs={"pk": access.pk})

    listing = client.get(reverse("jvap:upload_contributors")).content.decode()
    question = client.get(url)

    assert f'href="{url}"' in listing and "onsubmit" not in listing
    assert question.status_code == 200 and "Yes, remove helper" in question.content.decode()
    assert PartnerAccess.objects.filter(user=contributor).exists()


def test_template_download_has_the_exact_headers_and_drop_downs(client):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/jvap/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    sheet = workbook.active
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Reference")
    assert " | ".join(header) == (
        "Reference | Title | Type | JVAP domain | Secondary domains | Countries | "
        "Implementing organisations | Donors | Budget (EUR) | Start date | End date | Status | "
        "Dialogue | Description | Website"
    )
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {
        '"Project,Policy"',
        '"1,2,3,4,5"',
        '"Planned,Ongoing,Completed"',
        '"Rabat Process,Khartoum Process,Both"',
    }


def test_empty_template_is_refused_as_headers_only(client):
    from jvap.spreadsheet import parse_file

    result = parse_file(client.get("/jvap/template.xlsx").content, "jvap-template.xlsx")
    assert [str(e) for e in result.errors] == ["The file has a header row but no entries below it."]


def test_preview_errors_are_in_french_for_french_visitors(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([row(Countries="Atlantis")]), senegal)
    page = client.get("/fr" + response.url).content.decode()
    assert "ligne 2, colonne Countries : « Atlantis » n&#x27;est pas un pays" in page


def test_uploaded_file_is_private_and_downloadable_by_the_partners_people(
    client, focal_point, senegal, mali, secretariat_user, settings
):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([GOOD]), senegal)
    stored = EntryUpload.objects.get()
    assert str(settings.MEDIA_ROOT) not in stored.file.path
    with pytest.raises(ValueError):
        stored.file.url  # noqa: B018 - no public address at all
    download = client.get(reverse("jvap:upload_file", kwargs={"pk": stored.pk}))
    assert b"".join(download.streaming_content) == csv_bytes([GOOD])
    other = django_user(mali)
    client.force_login(other)
    assert client.get(reverse("jvap:upload_file", kwargs={"pk": stored.pk})).status_code == 404
    client.force_login(secretariat_user)
    admin_page = client.get(reverse("admin:jvap_entryupload_change", args=[stored.pk]))
    assert reverse("jvap:upload_file", kwargs={"pk": stored.pk}) in admin_page.content.decode()
    assert response.status_code == 302


def django_user(partner):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(f"fp-{partner.code}", password="x" * 12)
    give_access(user, partner)
    return user


def test_entries_page_makes_the_same_number_of_queries_for_many_entries(
    client, focal_point, senegal, django_assert_max_num_queries
):
    client.force_login(focal_point)
    JvapEntryFactory(partner=senegal)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("jvap:upload_entries"))
    for _ in range(20):
        JvapEntryFactory(partner=senegal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("jvap:upload_entries"))


def test_filled_in_template_is_read_below_its_instruction_block():
    from io import BytesIO

    from openpyxl import load_workbook

    from jvap.spreadsheet import HEADERS, parse_file
    from jvap.template import build_template

    workbook = load_workbook(BytesIO(build_template()))
    sheet = workbook.active
    header_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Reference")
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(row=header_row + 1, column=column, value=GOOD[header])
    buffer = BytesIO()
    workbook.save(buffer)
    result = parse_file(buffer.getvalue(), "filled.xlsx")
    assert result.errors == [] and result.warnings == []
    assert [(r.row_number, r.reference) for r in result.rows] == [(header_row + 1, "1003")]
