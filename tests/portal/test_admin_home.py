"""The secretariat's home in the admin (issue 15): the apps grouped by task, the portal's name,
and a panel of what is waiting."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap.models import EntryUpload, JvapEntry
from tests.jvap.factories import (
    CampaignFactory,
    EntryUploadFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)

pytestmark = pytest.mark.django_db

TASKS = [
    "Dialogues and governance",
    "Meetings and documents",
    "JVAP database",
    "Grant Facility",
    "People and access",
    "Security logs",
]


@pytest.fixture
def waiting_work(settings):
    settings.JVAP_UPLOADS_ROOT = settings.MEDIA_ROOT / "jvap-test-uploads"
    make_domains()
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    mali = ReportingPartnerFactory(country="ML")
    ReportingPartnerFactory(country="NE")
    for _ in range(3):
        JvapEntryFactory(partner=senegal, review_state=JvapEntry.ReviewState.SUBMITTED)
    JvapEntryFactory(partner=mali, review_state=JvapEntry.ReviewState.PUBLISHED)
    EntryUploadFactory(partner=mali, state=EntryUpload.State.REFUSED, original_name="mali.xlsx")
    return senegal


def test_the_index_groups_the_apps_by_task_with_the_security_logs_last(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    captions = re.findall(r'<a [^>]*class="section"[^>]*>([^<]+)</a>', page)
    assert [caption.strip() for caption in captions if caption.strip() in TASKS] == TASKS
    assert "Django administration" not in page
    assert "MMD Portal – Secretariat" in page
    assert page.count(">Countries of implementation<") <= 2


def test_the_waiting_panel_lists_submitted_entries_per_partner_with_a_link_to_validate(
    secretariat_client, waiting_work
):
    senegal = waiting_work

    page = secretariat_client.get(reverse("admin:index")).content.decode()

    assert "What is waiting" in page
    assert "3 entries" in page
    link = (
        reverse("admin:jvap_jvapentry_changelist")
        + f"?review_state__exact=submitted&amp;partner__id__exact={senegal.pk}"
    )
    assert link in page
    assert "mali.xlsx" in page  # the refused upload
    assert "2 of 3 partners reported" in page  # Niger has not
    listed = secretariat_client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200 and listed.context["cl"].result_count == 3


def test_the_saved_filters_open_their_queues(secretariat_client, waiting_work):
    page = secretariat_client.get(reverse("admin:index"))

    for _label, url in page.context["waiting"]["saved_filters"]:
        response = secretariat_client.get(url)
        assert response.status_code == 200, url
        assert "?e=1" not in response.get("Location", "")


def test_a_focal_point_sees_no_waiting_panel(client, django_user_model, waiting_work):
    user = django_user_model.objects.create_user("focal", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, waiting_work)
    client.force_login(user)

    page = client.get(reverse("admin:index")).content.decode()

    assert "waiting-title" not in page
    assert "Security logs" not in page


@pytest.mark.parametrize("term", ["Senegal", "Sénégal", "senegal", "SN"])
def test_reporting_partners_are_found_by_name_in_both_languages_and_by_code(
    secretariat_client, term
):
    senegal = ReportingPartnerFactory(country="SN")
    ReportingPartnerFactory(country="ML")

    found = secretariat_client.get(reverse("admin:jvap_reportingpartner_changelist"), {"q": term})

    assert list(found.context["cl"].result_list) == [senegal]


def test_the_user_fields_of_partner_access_are_autocompletes(secretariat_client):
    page = secretariat_client.get(reverse("admin:jvap_partneraccess_add")).content.decode()

    for field in ("user", "designated_by", "partner"):
        assert re.search(rf'<select[^>]*name="{field}"[^>]*admin-autocomplete', page), field
