"""The JVAP admin: the secretariat validates and returns entries and follows the campaign;
focal points only reach their partner's entries and uploads, and cannot publish."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap.models import EntryChange, JvapEntry

from .factories import (
    CampaignFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:jvap_jvapentry_changelist"


@pytest.fixture
def partners():
    make_domains()
    return ReportingPartnerFactory(country="SN"), ReportingPartnerFactory(country="ML")


@pytest.fixture
def focal_client(client, django_user_model, partners):
    user = django_user_model.objects.create_user("focal", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, partners[0])
    client.force_login(user)
    return client


def test_secretariat_validates_and_publishes_in_bulk(secretariat_client, partners):
    entries = [JvapEntryFactory(partner=partners[0], review_state="submitted") for _ in range(2)]
    response = secretariat_client.post(
        reverse(CHANGELIST),
        {"action": "publish_entries", "_selected_action": [e.pk for e in entries]},
    )
    assert response.status_code == 302
    assert JvapEntry.objects.published().count() == 2
    assert EntryChange.objects.filter(action="published").count() == 2


def test_secretariat_returns_entries_with_a_comment(secretariat_client, partners):
    entry = JvapEntryFactory(partner=partners[0], review_state="submitted")
    url = reverse(CHANGELIST)
    form = secretariat_client.post(
        url, {"action": "return_entries", "_selected_action": [entry.pk]}
    )
    assert "Comment for the focal point" in form.content.decode()
    secretariat_client.post(
        url,
        {
            "action": "return_entries",
            "_selected_action": [entry.pk],
            "apply": "1",
            "comment": "Dates?",
        },
    )
    entry.refresh_from_db()
    assert (entry.review_state, entry.review_comment) == ("returned", "Dates?")


def test_focal_point_sees_only_their_partners_entries_in_the_admin(focal_client, partners):
    JvapEntryFactory(partner=partners[0], title="Senegal entry")
    other = JvapEntryFactory(partner=partners[1], title="Mali entry")
    page = focal_client.get(reverse(CHANGELIST)).content.decode()
    assert "Senegal entry" in page and "Mali entry" not in page
    response = focal_client.get(reverse("admin:jvap_jvapentry_change", args=[other.pk]))
    assert response.status_code == 302  # "does not exist", back to the admin index


def test_focal_point_cannot_publish(focal_client, partners):
    entry = JvapEntryFactory(partner=partners[0], review_state="submitted")
    page = focal_client.get(reverse(CHANGELIST)).content.decode()
    assert "publish_entries" not in page
    focal_client.post(
        reverse(CHANGELIST), {"action": "publish_entries", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.review_state == "submitted"


def test_focal_point_cannot_change_entries_in_the_admin(focal_client, partners):
    entry = JvapEntryFactory(partner=partners[0], title="Before")
    focal_client.post(reverse("admin:jvap_jvapentry_change", args=[entry.pk]), {"title": "After"})
    entry.refresh_from_db()
    assert entry.title == "Before"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:dialogues_organisation_changelist",
        "admin:jvap_partneraccess_changelist",
        "admin:jvap_datacollectioncampaign_changelist",
        "admin:jvap_reportingpartner_changelist",
        "admin:auth_user_changelist",
    ],
)
def test_focal_point_cannot_reach_other_admin_models(focal_client, url_name):
    assert focal_client.get(reverse(url_name)).status_code == 403


def test_campaign_overview_shows_partners_counts_and_pending_validation(
    secretariat_client, partners
):
    CampaignFactory(year=2025)
    JvapEntryFactory(partner=partners[0], campaign_year=2025, review_state="submitted")
    JvapEntryFactory(partner=partners[0], campaign_year=2025, review_state="published")
    page = secretariat_client.get(
        reverse("admin:jvap_datacollectioncampaign_changelist")
    ).content.decode()
    assert "Campaign 2025: who has submitted" in page
    assert "review_state__exact=submitted" in page


def test_history_of_an_entry_is_readable_by_staff(secretariat_client, partners):
    entry = JvapEntryFactory(partner=partners[0])
    EntryChange.objects.create(entry=entry, action="updated", changes={"Title": ["Old", "New"]})
    page = secretariat_client.get(
        reverse("admin:jvap_jvapentry_change", args=[entry.pk])
    ).content.decode()
    assert "Old" in page and "New" in page


def test_admin_edit_is_kept_in_the_history(secretariat_client, secretariat_user, partners):
    entry = JvapEntryFactory(partner=partners[0], title="Before")
    url = reverse("admin:jvap_jvapentry_change", args=[entry.pk])
    page = secretariat_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "After",
            "domain": entry.domain_id,
            "partner": entry.partner_id,
            "secondary_domains": [],
            "countries-TOTAL_FORMS": "1",
            "countries-INITIAL_FORMS": "1",
            "countries-0-id": entry.countries.get().pk,
            "countries-0-entry": entry.pk,
            "countries-0-country": "SN",
            "organisations-TOTAL_FORMS": "0",
            "organisations-INITIAL_FORMS": "0",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = EntryChange.objects.get(action="edited")
    assert (
        change.changes == {"Title": ["Before", "After"]} and change.changed_by == secretariat_user
    )


def test_focal_point_sees_only_their_partners_uploads(focal_client, partners):
    from jvap import services

    for partner in partners:
        services.upload_store(
            data=b"x", filename=f"{partner.code}.csv", partner=partner, user=None, campaign=None
        )
    page = focal_client.get(reverse("admin:jvap_entryupload_changelist")).content.decode()
    assert "SN.csv" in page and "ML.csv" not in page


@pytest.mark.parametrize(
    "model_name",
    [
        "jvapentry",
        "entrycountry",
        "entryorganisation",
        "entryupload",
        "entrychange",
        "datacollectioncampaign",
        "reportingpartner",
        "partneraccess",
    ],
)
def test_every_jvap_admin_page_renders_for_the_secretariat(
    secretariat_client, secretariat_user, partners, model_name
):
    from django.apps import apps

    from jvap import services

    entry = JvapEntryFactory(partner=partners[0])
    CampaignFactory(year=2025)
    services.upload_store(
        data=b"x", filename="a.csv", partner=partners[0], user=None, campaign=None
    )
    EntryChange.objects.create(entry=entry, action="created")
    give_access(secretariat_user, partners[0])
    entry.organisations.create(role="donor", name="EU")
    model = apps.get_model("jvap", model_name)
    base = f"admin:jvap_{model_name}"
    assert secretariat_client.get(reverse(f"{base}_changelist")).status_code == 200
    assert secretariat_client.get(reverse(f"{base}_changelist"), {"q": "a"}).status_code == 200
    obj = model.objects.first()
    assert secretariat_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200
    add = secretariat_client.get(reverse(f"{base}_add")).status_code
    assert add == (403 if model_name in {"entryupload", "entrychange"} else 200)
