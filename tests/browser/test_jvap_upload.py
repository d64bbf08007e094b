"""In a real browser: a focal point uploads, previews and confirms a spreadsheet; the
secretariat validates the entries in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from dialogues.roles import FOCAL_POINT
from jvap.models import EntryUpload, JvapEntry
from tests.browser.support import axe_violations
from tests.bursts import one_burst_of_changes
from tests.jvap.factories import CampaignFactory, ReportingPartnerFactory, give_access, make_domains
from tests.jvap.sheets import GOOD, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def focal_point(django_user_model):
    with one_burst_of_changes():
        make_domains()
        CampaignFactory(year=2025)
        senegal = ReportingPartnerFactory(country="SN")
        user = django_user_model.objects.create_user(
            "focal", password="focal-pass-123", is_staff=True
        )
        user.groups.add(Group.objects.get(name=FOCAL_POINT))
        give_access(user, senegal)
    return user


def log_in(page, path, username, password):
    page.goto(page.base_url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_focal_point_uploads_previews_and_confirms(page, focal_point):
    log_in(page, reverse("jvap:login"), "focal", "focal-pass-123")
    page.wait_for_url("**/jvap/upload/")
    assert axe_violations(page) == []
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(
        {
            "name": "senegal-2025.csv",
            "mimeType": "text/csv",
            "buffer": csv_bytes([GOOD, row(Reference="1004", Title="Second project")]),
        }
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/jvap/upload/*/")
    expect(page.get_by_text("2 new, 0 changed, 0 unchanged.")).to_be_visible()
    expect(page.get_by_role("cell", name="Second project")).to_be_visible()
    assert axe_violations(page) == []
    assert JvapEntry.objects.count() == 0
    page.get_by_role("button", name="Confirm and submit for validation").click()
    page.wait_for_url("**/jvap/upload/entries/")
    expect(page.get_by_text("Upload confirmed: 2 new, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_role("cell", name="Second project")).to_be_visible()
    assert set(JvapEntry.objects.values_list("review_state", flat=True)) == {"submitted"}
    assert EntryUpload.objects.get().state == "confirmed"


def test_refused_file_shows_its_errors_in_the_browser(page, focal_point):
    log_in(page, reverse("jvap:login"), "focal", "focal-pass-123")
    page.wait_for_url("**/jvap/upload/")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": csv_bytes([row(Countries="Narnia")])}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/jvap/upload/*/")
    expect(page.get_by_text("row 2, column Countries: “Narnia”", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and submit for validation")).to_have_count(0)


def test_secretariat_validates_submitted_entries_in_the_admin(page, focal_point, django_user_model):
    from jvap import services
    from jvap.models import ReportingPartner

    services.upload_confirm(
        data=csv_bytes([GOOD]), filename="e.csv", partner=ReportingPartner.objects.get(code="SN")
    )
    staff = django_user_model.objects.create_user("sec", password="sec-pass-12345", is_staff=True)
    staff.groups.add(Group.objects.get(name="Secretariat"))
    log_in(page, reverse("admin:login"), "sec", "sec-pass-12345")
    page.goto(page.base_url + reverse("admin:jvap_jvapentry_changelist"))
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("publish_entries")
    page.get_by_title("Run the selected action").click()
    expect(page.get_by_text("1 entry published.")).to_be_visible()
    expect(page.get_by_role("cell", name="Validated and published")).to_be_visible()
    assert JvapEntry.objects.published().count() == 1
