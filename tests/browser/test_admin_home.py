"""In a real browser (issue 15): a new secretariat officer logs in, finds the submitted entries
in the admin's waiting panel, validates them from there and sees them on the public site."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from dialogues.roles import SECRETARIAT
from jvap import services
from tests.browser.support import axe_violations
from tests.bursts import one_burst_of_changes
from tests.jvap.factories import CampaignFactory, ReportingPartnerFactory, make_domains
from tests.jvap.sheets import GOOD, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted_entries(settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    with one_burst_of_changes():
        make_domains()
        CampaignFactory(year=2025)
        senegal = ReportingPartnerFactory(country="SN")
        services.upload_confirm(
            data=csv_bytes([GOOD, row(Reference="1004", Title="Labour mobility pilot")]),
            filename="senegal.csv",
            partner=senegal,
        )
    return senegal


def test_a_new_officer_validates_the_waiting_entries_from_the_admin_home(
    page, submitted_entries, django_user_model
):
    officer = django_user_model.objects.create_user(
        "officer", password="officer-pass-123", is_staff=True
    )
    officer.groups.add(Group.objects.get(name=SECRETARIAT))

    page.goto(page.base_url + reverse("admin:login"))
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("officer-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    panel = page.locator("section.waiting-panel")
    expect(panel.get_by_role("heading", name="What is waiting")).to_be_visible()
    expect(panel.get_by_text("2 entries")).to_be_visible()
    assert axe_violations(page) == []
    panel.get_by_role("link", name="Validate SN's entries").click()

    expect(page.get_by_role("cell", name="Labour mobility pilot", exact=True)).to_be_visible()
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("publish_entries")
    page.get_by_title("Run the selected action").click()
    expect(page.get_by_text("2 entries published.")).to_be_visible()

    page.goto(page.base_url + reverse("admin:index"))
    expect(page.get_by_text("No entry awaits validation.")).to_be_visible()
    page.goto(page.base_url + reverse("jvap:entry_list"))
    expect(page.get_by_role("link", name="Labour mobility pilot", exact=True)).to_be_visible()
