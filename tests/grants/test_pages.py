"""The public pages of the Grant Facility: what they show, what they hide, and a query count
that does not grow with the number of grants."""

import datetime

import pytest
from django.urls import reverse

from core import page_sections
from dialogues.models import Organisation
from tests.dialogues.factories import DialogueFactory, DomainFactory
from tests.grants.factories import (
    AFFILIATED,
    CO,
    LEAD,
    CallFactory,
    GrantFactory,
    OutputFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

# Listing: the filter's dialogue lookup, the count, the figures' members of the published
# grants (counted in Python), the countries of implementation (the figures' and the country
# filter's options: read once), the three other filter choice lists (calls, dialogues,
# domains), the page of grants and its two prefetches (lead applicants with their
# organisations, countries: a row shows neither dialogues nor domains, which only the
# downloads read).
LISTING_QUERIES = 10
# Detail: the grant with its call, then consortium, countries, dialogues, domains, outputs.
DETAIL_QUERIES = 6


def make_grants(count):
    dialogue = DialogueFactory(slug="rabat-process")
    domain = DomainFactory(number=1)
    grants = []
    for _ in range(count):
        members = [
            (organisation(Organisation.Type.CIVIL_SOCIETY, "SN"), LEAD),
            (organisation(Organisation.Type.RESEARCH, "FR"), CO),
            (organisation(Organisation.Type.DIASPORA, "BE"), AFFILIATED),
        ]
        grant = GrantFactory(
            countries=["SN", "ML", "NE"], dialogues=[dialogue], domains=[domain], members=members
        )
        OutputFactory(grant=grant)
        OutputFactory(grant=grant)
        grants.append(grant)
    return grants


@pytest.mark.parametrize("count", [2, 20])
def test_listing_query_count_does_not_grow_with_grants(client, django_assert_num_queries, count):
    make_grants(count)
    with django_assert_num_queries(LISTING_QUERIES):
        response = client.get("/grants/?dialogue=rabat-process&sort=title")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_detail_query_count_does_not_grow_with_the_consortium(
    client, django_assert_num_queries, count
):
    grant = GrantFactory(
        countries=["SN", "ML", "NE", "KE"][: max(1, count // 2)],
        dialogues=[DialogueFactory() for _ in range(max(1, count // 4))],
        members=[(organisation(), LEAD if n == 0 else CO) for n in range(count)],
    )
    for _ in range(count):
        OutputFactory(grant=grant)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(grant.get_absolute_url())
    assert response.status_code == 200


def test_detail_shows_consortium_roles_types_countries_dialogues_domains_outputs(client):
    rabat = DialogueFactory(name="Rabat Process", slug="rabat-process")
    lead = organisation(Organisation.Type.DIASPORA, "SN", name="Senegalese Diaspora Forum")
    partner = organisation(Organisation.Type.RESEARCH, "FR", name="Institute of Mobility Studies")
    grant = GrantFactory(
        title="Diaspora skills for local development",
        countries=["SN", "GM"],
        dialogues=[rabat],
        domains=[DomainFactory(number=1, name="Development benefits of migration")],
        members=[(lead, LEAD), (partner, CO)],
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        amount_eur=140_000,
    )
    OutputFactory(grant=grant, title="Policy brief on skills transfer")
    content = client.get(grant.get_absolute_url()).content.decode()
    for text in [
        "Diaspora skills for local development",
        "Senegalese Diaspora Forum",
        "Lead applicant",
        "Diaspora organisation",
        "Institute of Mobility Studies",
        "Co-applicant",
        "Research institute or university",
        "France",
        "Gambia",
        "Senegal",
        "Rabat Process",
        "Development benefits of migration",
        "Policy brief on skills transfer",
        "EUR 140,000",
        "1 April 2025",
        "31 March 2026",
    ]:
        assert text in content, text


def test_draft_grant_page_is_not_found(client):
    grant = GrantFactory(is_published=False)
    assert client.get(grant.get_absolute_url()).status_code == 404


def test_calls_page_lists_open_calls_first_with_deadlines_and_documents(client):
    today = datetime.date.today()
    CallFactory(title="Closed call", concept_note_deadline=today - datetime.timedelta(days=30))
    open_call = CallFactory(
        title="Open call",
        opens_on=today - datetime.timedelta(days=5),
        concept_note_deadline=today + datetime.timedelta(days=20),
    )
    open_call.documents.create(title="Guidelines for applicants", url="https://example.org/g.pdf")
    CallFactory(title="Coming call", opens_on=today + datetime.timedelta(days=10))
    response = client.get(reverse("grants:call_list"))
    assert [c.title for c in response.context["calls"]] == [
        "Open call",
        "Coming call",
        "Closed call",
    ]
    content = response.content.decode()
    assert "Guidelines for applicants" in content
    assert "Concept notes due" in content


def test_call_page_shows_eligibility_and_its_grants(client):
    call = CallFactory(
        title="Second call",
        slug="call-2",
        max_countries=3,
        min_au_member_states=1,
        max_co_applicants=1,
        duration_months_min=6,
        duration_months_max=6,
    )
    GrantFactory(call=call, title="A small grant")
    GrantFactory(call=call, title="A hidden grant", is_published=False)
    content = client.get("/grants/calls/call-2/").content.decode()
    assert "At most 3 countries of implementation" in content
    assert "at least 1 African Union member state" in content
    assert "at most 1 co-applicant" in content
    assert "Projects of 6 months" in content
    assert "A small grant" in content
    assert "A hidden grant" not in content


def test_calls_address_is_not_read_as_a_grant_slug(client):
    assert reverse("grants:call_list") == "/grants/calls/"
    assert client.get("/grants/calls/").status_code == 200


def test_organisation_page_section_lists_grants_led_or_joined():
    member = organisation()
    led = GrantFactory(title="Led", members=[(member, LEAD)])
    joined = GrantFactory(title="Joined", members=[(organisation(), LEAD), (member, CO)])
    GrantFactory(title="Draft", is_published=False, members=[(member, LEAD)])
    [section] = page_sections.sections_for("organisation", member)
    assert [m.grant for m in section.context["memberships"]] == [led, joined]
    assert page_sections.sections_for("organisation", organisation()) == []


def test_country_page_section_lists_grants_implemented_there():
    here = GrantFactory(countries=["ML"])
    GrantFactory(countries=["SN"])
    [section] = page_sections.sections_for("country", "ML")
    assert section.context["grants"] == [here]
    assert page_sections.sections_for("country", "TN") == []


def test_dialogue_page_section_lists_linked_grants():
    rabat = DialogueFactory()
    linked = GrantFactory(dialogues=[rabat])
    GrantFactory()
    [section] = page_sections.sections_for("dialogue", rabat)
    assert section.context["grants"] == [linked]


def test_the_dialogue_country_and_organisation_pages_list_their_grants(client):
    """The sections' templates read `section.context`, which is all the page gives them: each
    page lists its grant and links to the listing filtered as the section says."""
    member = organisation(name="Member NGO")
    rabat = DialogueFactory(slug="rabat-process")
    GrantFactory(
        title="Rendered grant",
        countries=["ML"],
        dialogues=[rabat],
        members=[(member, LEAD)],
        start=datetime.date(2021, 1, 1),
        end=datetime.date(2023, 6, 30),
    )
    pages = {
        rabat.get_absolute_url(): "/grants/?dialogue=rabat-process",
        reverse("country_detail", args=["ml"]): "/grants/?country=ML",
        member.get_absolute_url(): None,
    }
    for address, listing in pages.items():
        page = client.get(address).content.decode()
        assert "Rendered grant</a>" in page, address
        assert "(2021–2023)" in page, address
        if listing:
            assert f'href="{listing}"' in page, address
    assert "Lead applicant" in client.get(member.get_absolute_url()).content.decode()


def make_calls(count):
    today = datetime.date.today()
    calls = []
    for n in range(count):
        call = CallFactory(concept_note_deadline=today + datetime.timedelta(days=n))
        call.documents.create(title="Guidelines", url="https://example.org/g.pdf")
        call.documents.create(title="Form", url="https://example.org/f.docx")
        GrantFactory(call=call)
        calls.append(call)
    return calls


@pytest.mark.parametrize("count", [1, 10])
def test_calls_page_query_count_does_not_grow_with_calls(client, django_assert_num_queries, count):
    make_calls(count)
    # The calls with their status, then their documents.
    with django_assert_num_queries(2):
        assert client.get("/grants/calls/").status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_call_page_query_count_does_not_grow_with_its_grants(
    client, django_assert_num_queries, count
):
    call = make_calls(1)[0]
    for _ in range(count):
        GrantFactory(call=call)
    # The call with its status, then its documents, then its published grants.
    with django_assert_num_queries(3):
        assert client.get(call.get_absolute_url()).status_code == 200


def test_empty_listing_says_nothing_is_published_yet(client):
    content = client.get("/grants/").content.decode()
    assert "No grant has been published yet." in content
    assert "No country of implementation yet." in content


def test_filtered_listing_without_results_offers_to_show_all(client):
    GrantFactory(countries=["SN"])
    content = client.get("/grants/?country=KE").content.decode()
    assert "No grant matches these filters." in content
    assert "Show all grants" in content


def test_the_french_listing_gives_the_grants_periods_in_french(client):
    GrantFactory(start=datetime.date(2025, 7, 1), end=datetime.date(2026, 2, 28))
    content = client.get("/fr/grants/").content.decode()
    assert "juillet 2025 – février 2026" in content
    assert "July 2025 – February 2026" in client.get("/grants/").content.decode()
