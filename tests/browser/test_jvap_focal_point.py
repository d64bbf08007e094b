"""In a real browser (issue 15): the focal point's overview, the preview that shows how each
cell was read and warns before a published entry leaves the public site, no Confirm for a file
that changes nothing, and "Our entries" filtered by review state; every page passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jvap import services
from jvap.models import JvapEntry
from tests.browser.support import axe_violations
from tests.jvap.factories import (
    CampaignFactory,
    ReportingPartnerFactory,
    make_domains,
    make_focal_point,
)
from tests.jvap.sheets import GOOD, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_entry(django_user_model, settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "uploads"
    make_domains()
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    make_focal_point(senegal)
    services.upload_confirm(
        data=csv_bytes([GOOD, row(Reference="2", Title="Returned scheme")]),
        filename="first.csv",
        partner=senegal,
    )
    JvapEntry.objects.filter(reference="1003").update(review_state="published")
    JvapEntry.objects.filter(reference="2").update(
        review_state="returned", review_comment="Give the budget in euros."
    )
    return senegal


def upload(page, rows, name):
    page.goto(page.base_url + reverse("jvap:upload"))
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/jvap/upload/*/")


def test_the_focal_point_checks_every_value_and_sees_what_leaves_the_public_site(
    page, published_entry
):
    page.goto(page.base_url + reverse("jvap:login"))
    page.get_by_label("Username").fill("focal")
    page.get_by_label("Password").fill("focal-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/jvap/upload/")
    overview = page.locator("section.partner-overview")
    expect(overview.get_by_text("1 entry was returned by the secretariat")).to_be_visible()
    expect(overview.get_by_role("cell", name="Give the budget in euros.")).to_be_visible()
    assert axe_violations(page) == []

    changed = row(**{"Title": "Border training, second phase", "Budget (EUR)": "€ 1,500,000"})
    upload(page, [changed, row(Reference="2", Title="Returned scheme")], "second.csv")
    expect(
        page.get_by_text("1003 – Border training, second phase will be taken off")
    ).to_be_visible()
    page.get_by_text("Every value of row 2").click()
    values = page.get_by_role("table", name="Row 2: each cell in the file and how it was read")
    budget = values.get_by_role("row", name="Budget (EUR)")
    expect(budget.get_by_role("cell").nth(0)).to_have_text("€ 1,500,000")
    expect(budget.get_by_role("cell").nth(1)).to_have_text("1,500,000 EUR")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cancel").click()

    upload(page, [GOOD, row(Reference="2", Title="Returned scheme")], "same-again.csv")
    expect(page.get_by_text("Nothing to confirm")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and submit for validation")).to_be_disabled()

    page.goto(page.base_url + reverse("jvap:upload_entries"))
    page.get_by_label("Review").select_option("returned")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 entry")).to_be_visible()
    expect(page.get_by_role("cell", name="Returned scheme")).to_be_visible()
    expect(page.get_by_role("cell", name="Border management training")).to_have_count(0)
    assert axe_violations(page) == []
