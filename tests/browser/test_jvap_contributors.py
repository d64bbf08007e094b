"""In a real browser (issue 15): a focal point invites a contributor, the contributor chooses a
password from the mailed link and uploads for the partner; the secretariat returns an entry
with a comment and the focal point gets the "returned" mail."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from dialogues.roles import FOCAL_POINT, SECRETARIAT
from jvap.models import EntryUpload, JvapEntry
from tests.browser.support import axe_violations
from tests.jvap.factories import CampaignFactory, ReportingPartnerFactory, give_access, make_domains
from tests.jvap.sheets import GOOD, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def focal_point(django_user_model):
    make_domains()
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    user = django_user_model.objects.create_user(
        "focal", "focal@example.sn", password="focal-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, senegal)
    return user


def test_focal_point_invites_a_contributor_who_sets_a_password_and_uploads(
    page, focal_point, django_user_model
):
    page.goto(page.base_url + reverse("jvap:login"))
    page.get_by_label("Username").fill("focal")
    page.get_by_label("Password").fill("focal-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/jvap/upload/")

    page.get_by_role("link", name="Contributors").click()
    page.get_by_label("Your colleague's e-mail address").fill("awa.diop@example.sn")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("an invitation is on its way")).to_be_visible()
    expect(page.get_by_role("cell", name="invited, no password yet", exact=False)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log out").click()

    (invitation,) = mail.outbox
    assert invitation.to == ["awa.diop@example.sn"]
    link = re.search(r"https?://\S+/welcome/\S+/", invitation.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("Dakar-Rabat-2026!")
    page.get_by_label("New password confirmation").fill("Dakar-Rabat-2026!")
    page.get_by_role("button", name="Open my account").click()

    page.wait_for_url("**/jvap/upload/")
    expect(page.get_by_role("link", name="Contributors")).to_have_count(0)
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(
        {"name": "senegal.csv", "mimeType": "text/csv", "buffer": csv_bytes([GOOD])}
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/jvap/upload/*/")
    page.get_by_role("button", name="Confirm and submit for validation").click()
    page.wait_for_url("**/jvap/upload/entries/")

    upload = EntryUpload.objects.get()
    assert upload.state == "confirmed" and upload.uploaded_by.email == "awa.diop@example.sn"
    assert JvapEntry.objects.get().partner.code == "SN"

    # The secretariat returns the entry with a comment; the focal point hears of it by e-mail.
    page.get_by_role("button", name="Log out").click()
    officer = django_user_model.objects.create_user(
        "officer", password="officer-pass-123", is_staff=True
    )
    officer.groups.add(Group.objects.get(name=SECRETARIAT))
    page.goto(page.base_url + reverse("admin:login"))
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("officer-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(page.base_url + reverse("admin:jvap_jvapentry_changelist"))
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("return_entries")
    page.get_by_title("Run the selected action").click()
    comment = "Give the budget in euros, not thousands."
    page.get_by_label("Comment for the focal point").fill(comment)
    page.get_by_role("button", name="Return with this comment").click()
    expect(page.get_by_text("1 entry returned.")).to_be_visible()

    returned = [message for message in mail.outbox if "returned" in message.subject]
    assert sorted(message.to[0] for message in returned) == [
        "awa.diop@example.sn",
        "focal@example.sn",
    ]
    assert all(comment in message.body for message in returned)
