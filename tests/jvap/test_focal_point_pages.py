"""The focal point's pages (issue 15): the overview, "Our entries" with its filters, and the
preview that shows every value as read, warns before a published entry leaves the public
site, offers no Confirm when nothing changes, and names the campaign the way the entries and
the campaign overview do."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogues.roles import FOCAL_POINT
from jvap import services
from jvap.admin import campaign_overview_context
from jvap.models import DataCollectionCampaign, EntryUpload, JvapEntry

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
def senegal(settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "uploads"
    make_domains()
    return ReportingPartnerFactory(country="SN")


@pytest.fixture
def focal_point(client, django_user_model, senegal):
    user = django_user_model.objects.create_user("focal", "focal@example.sn", "x" * 12)
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, senegal)
    client.force_login(user)
    return user


def upload(client, data, partner, name="entries.csv"):
    response = client.post(
        reverse("jvap:upload"), {"partner": partner.pk, "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.context["form"].errors
    return response.url


def confirm(data, partner, campaign=None):
    services.upload_confirm(data=data, filename="e.csv", partner=partner, campaign=campaign)


# --- The preview ------------------------------------------------------------------------------


def test_the_preview_shows_every_cell_and_how_it_was_read(client, focal_point, senegal):
    CampaignFactory(year=2025)
    sheet = csv_bytes([row(**{"Budget (EUR)": "€ 1,250,000", "Start date": "2019"})])
    sheet = sheet.replace(b"2022-12-31", b"2019")  # the end date too, as a bare year

    page = client.get(upload(client, sheet, senegal)).content.decode()

    assert "Every value of row 2" in page
    assert "<td>€ 1,250,000</td><td>1,250,000 EUR</td>" in page
    assert '<th scope="row">Start date</th><td>2019</td><td>1 January 2019</td>' in page
    assert '<th scope="row">End date</th><td>2019</td><td>31 December 2019</td>' in page
    assert "<td>Niger; Senegal</td><td>Niger; Senegal</td>" in page


def test_the_french_preview_reads_the_values_in_french(client, focal_point, senegal):
    CampaignFactory(year=2025)
    sheet = csv_bytes([row(**{"Budget (EUR)": "1250000", "Start date": "2019-03-01"})])

    page = client.get("/fr" + upload(client, sheet, senegal)).content.decode()

    assert "1\u00a0250\u00a0000 EUR" in page or "1 250 000 EUR" in page
    assert "1 mars 2019" in page


def test_changed_rows_show_their_values_too(client, focal_point, senegal):
    CampaignFactory(year=2025)
    confirm(csv_bytes([GOOD]), senegal)

    page = client.get(upload(client, csv_bytes([row(Title="Renamed")]), senegal)).content
    page = page.decode()

    assert "0 new, 1 changed, 0 unchanged." in page
    assert "Every value of row 2" in page and "<td>Renamed</td><td>Renamed</td>" in page


def test_the_preview_warns_for_each_published_entry_it_takes_off_the_public_site(
    client, focal_point, senegal
):
    CampaignFactory(year=2025)
    confirm(csv_bytes([GOOD, row(Reference="2", Title="Still submitted")]), senegal)
    JvapEntry.objects.filter(reference="1003").update(review_state="published")
    sheet = csv_bytes([row(Title="Renamed"), row(Reference="2", Title="Renamed too")])

    page = client.get(upload(client, sheet, senegal)).content.decode()

    assert "1 published entry leaves the public site until the secretariat validates it" in page
    assert "1003 – Renamed will be taken off the public site until validated again." in page
    assert "2 – Renamed too will be taken off" not in page


def test_re_uploading_an_identical_file_offers_no_confirm(client, focal_point, senegal):
    CampaignFactory(year=2025)
    confirm(csv_bytes([GOOD]), senegal)
    preview_url = upload(client, csv_bytes([GOOD]), senegal)

    page = client.get(preview_url).content.decode()
    refused = client.post(preview_url, {"confirm": "1"}, follow=True)

    assert "Nothing to confirm" in page
    assert 'name="confirm" value="1" disabled' in page
    assert "Nothing to confirm" in refused.content.decode()
    assert EntryUpload.objects.get(pk=preview_url.split("/")[-2]).state == "previewed"
    assert not JvapEntry.objects.filter(changes__upload__pk=preview_url.split("/")[-2]).exists()


def test_an_identical_file_in_a_later_campaign_can_be_confirmed_to_report_for_it(
    client, focal_point, senegal
):
    confirm(csv_bytes([GOOD]), senegal, campaign=CampaignFactory(year=2024))
    CampaignFactory(year=2025)

    preview_url = upload(client, csv_bytes([GOOD]), senegal)
    page = client.get(preview_url).content.decode()
    client.post(preview_url, {"confirm": "1"})

    assert "Confirming reports 1 of them for Campaign 2025 too." in page
    assert "disabled" not in page
    assert JvapEntry.objects.get().campaign_year == 2025


def test_without_any_campaign_the_preview_entries_and_overview_agree_on_one(
    client, focal_point, senegal
):
    year = timezone.localdate().year
    assert not DataCollectionCampaign.objects.exists()

    preview_url = upload(client, csv_bytes([GOOD]), senegal)
    page = client.get(preview_url).content.decode()
    client.post(preview_url, {"confirm": "1"})
    entries = client.get(reverse("jvap:upload_entries")).content.decode()

    campaign = DataCollectionCampaign.objects.get()
    assert campaign.year == year
    assert f"Campaign {year}" in page and "no campaign" not in page
    assert JvapEntry.objects.get().campaign_year == year
    assert f"Campaign {year}" in entries
    (overview,) = campaign_overview_context(campaign)["overview_rows"]
    assert (overview, overview.uploads_confirmed, overview.entries_reported) == (senegal, 1, 1)


def test_every_confirmed_upload_counts_in_its_campaigns_overview(senegal):
    campaign = CampaignFactory(year=timezone.localdate().year)
    for number in range(3):
        confirm(csv_bytes([row(Reference=f"R-{number}")]), senegal)

    (overview,) = campaign_overview_context(campaign)["overview_rows"]

    assert EntryUpload.objects.filter(campaign=campaign, state="confirmed").count() == 3
    assert overview.uploads_confirmed == 3


# --- Our entries ------------------------------------------------------------------------------


@pytest.fixture
def our_entries(senegal):
    mali = ReportingPartnerFactory(country="ML")
    returned = JvapEntryFactory(
        partner=senegal,
        reference="R-1",
        title="Returned pilot",
        review_state="returned",
        review_comment="Give the budget in euros.",
        campaign_year=2024,
    )
    submitted = JvapEntryFactory(
        partner=senegal, reference="S-1", title="Submitted scheme", review_state="submitted"
    )
    JvapEntryFactory(partner=senegal, reference="P-1", title="Published reintegration")
    JvapEntryFactory(partner=mali, reference="M-1", title="Malian entry", review_state="returned")
    return returned, submitted


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["entries"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Published reintegration", "Returned pilot", "Submitted scheme"]),
        (
            {"q": "", "state": "", "year": ""},  # the form sent with nothing chosen
            ["Published reintegration", "Returned pilot", "Submitted scheme"],
        ),
        ({"state": "returned"}, ["Returned pilot"]),
        ({"state": "submitted"}, ["Submitted scheme"]),
        ({"year": "2024"}, ["Returned pilot"]),
        ({"domain": "1", "q": "reintegration"}, ["Published reintegration"]),
        ({"domain": "2"}, []),
    ],
)
def test_our_entries_filter_by_review_state_domain_campaign_and_words(
    client, focal_point, our_entries, query, expected
):
    response = client.get(reverse("jvap:upload_entries"), query)

    assert response.status_code == 200 and sorted(titles(response)) == expected


def test_our_entries_show_the_comment_and_count_per_state(client, focal_point, our_entries):
    response = client.get(reverse("jvap:upload_entries"), {"state": "returned"})
    page = response.content.decode()

    assert "Give the budget in euros." in page and "Malian entry" not in page
    (state,) = [facet for facet in response.context["facets"] if facet.name == "state"]
    counts = {option.value: option.count for option in state.options}
    assert counts == {"submitted": 1, "published": 1, "returned": 1}


def test_an_unknown_review_state_shows_the_message_and_no_entries(client, focal_point, our_entries):
    response = client.get(reverse("jvap:upload_entries"), {"state": "deleted"})

    assert titles(response) == []
    assert "is not one of the values this filter accepts" in response.content.decode()


def test_our_entries_are_paginated_and_keep_the_filters(client, focal_point, senegal):
    for number in range(55):
        JvapEntryFactory(partner=senegal, reference=f"E-{number:02}", review_state="returned")

    first = client.get(reverse("jvap:upload_entries"), {"state": "returned"})
    second = client.get(reverse("jvap:upload_entries"), {"state": "returned", "page": 2})

    assert len(titles(first)) == 50 and len(titles(second)) == 5
    assert "state=returned&amp;page=2" in first.content.decode()


# --- The overview -----------------------------------------------------------------------------


def test_the_overview_shows_the_campaign_and_what_was_submitted_returned_and_published(
    client, focal_point, our_entries
):
    CampaignFactory(
        year=2025,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 6, 30),
        notes="Report every entry active since 2015.",
    )

    page = client.get(reverse("jvap:upload")).content.decode()

    assert "Campaign 2025: uploads are expected from 1 March 2025 to 30 June 2025." in page
    assert "Report every entry active since 2015." in page
    assert "1 entry submitted, awaiting validation" in page
    assert "1 entry was returned by the secretariat with a comment." in page
    assert "1 entry published" in page
    assert "Returned pilot" in page and "Give the budget in euros." in page
    assert "Malian entry" not in page
