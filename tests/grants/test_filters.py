"""Each filter of /grants/ alone and combined; unknown values show a message and no rows."""

import pytest

from dialogues.models import Organisation
from grants.models import Grant
from tests.dialogues.factories import DialogueFactory, DomainFactory
from tests.grants.factories import CO, LEAD, CallFactory, GrantFactory, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    rabat = DialogueFactory(slug="rabat-process", short_name="Rabat")
    khartoum = DialogueFactory(slug="khartoum-process", short_name="Khartoum")
    domain2, domain3 = DomainFactory(number=2), DomainFactory(number=3)
    call1, call2 = (
        CallFactory(slug="call-1", reference="Call 1"),
        CallFactory(slug="call-2", reference="Call 2"),
    )
    cso = organisation(Organisation.Type.CIVIL_SOCIETY, "SN", name="Dakar Migrants Network")
    research = organisation(Organisation.Type.RESEARCH, "FR")
    diaspora = organisation(Organisation.Type.DIASPORA, "KE")
    return {
        "labour": GrantFactory(
            title="Labour mobility corridors",
            call=call1,
            countries=["SN", "ML"],
            dialogues=[rabat],
            domains=[domain2],
            members=[(cso, LEAD), (research, CO)],
            status=Grant.Status.ONGOING,
        ),
        "protection": GrantFactory(
            title="Protection on the eastern route",
            call=call2,
            countries=["KE", "ET"],
            dialogues=[khartoum],
            domains=[domain3],
            members=[(diaspora, LEAD)],
            status=Grant.Status.COMPLETED,
        ),
        "both": GrantFactory(
            title="Joint learning",
            call=call2,
            countries=["SN", "KE"],
            dialogues=[rabat, khartoum],
            domains=[domain2, domain3],
            members=[(diaspora, LEAD), (research, CO)],
            status=Grant.Status.ONGOING,
        ),
        "draft": GrantFactory(
            title="Draft grant",
            call=call1,
            countries=["SN"],
            dialogues=[rabat],
            members=[(cso, LEAD)],
            is_published=False,
        ),
    }


def titles(client, query=""):
    response = client.get("/grants/?" + query)
    assert response.status_code == 200
    return sorted(grant.title for grant in response.context["grants"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Joint learning", "Labour mobility corridors", "Protection on the eastern route"]),
        ("call=call-1", ["Labour mobility corridors"]),
        ("dialogue=khartoum-process", ["Joint learning", "Protection on the eastern route"]),
        ("domain=2", ["Joint learning", "Labour mobility corridors"]),
        ("country=KE", ["Joint learning", "Protection on the eastern route"]),
        ("country=ml", ["Labour mobility corridors"]),
        ("organisation_type=research", ["Joint learning", "Labour mobility corridors"]),
        ("status=completed", ["Protection on the eastern route"]),
        ("q=eastern", ["Protection on the eastern route"]),
        ("q=dakar migrants", ["Labour mobility corridors"]),
    ],
)
def test_each_filter_alone(client, grants, query, expected):
    assert titles(client, query) == expected


def test_filters_combine(client, grants):
    assert titles(client, "dialogue=rabat-process&country=KE&organisation_type=diaspora") == [
        "Joint learning"
    ]
    assert titles(client, "call=call-2&status=ongoing&domain=3") == ["Joint learning"]
    assert titles(client, "call=call-1&country=KE") == []


def test_a_grant_matching_twice_is_listed_once(client, grants):
    assert titles(client, "organisation_type=diaspora") == [
        "Joint learning",
        "Protection on the eastern route",
    ]


def test_drafts_never_appear(client, grants):
    assert "Draft grant" not in titles(client, "call=call-1")


@pytest.mark.parametrize(
    "query",
    [
        "call=no-such-call",
        "dialogue=nowhere",
        "domain=9",
        "country=XX",
        "organisation_type=club",
        "status=dreaming",
        "sort=colour",
    ],
)
def test_unknown_values_show_a_message_and_no_rows(client, grants, query):
    response = client.get("/grants/?" + query)
    assert response.status_code == 200
    assert list(response.context["grants"]) == []
    assert "Some filters could not be used" in response.content.decode()


def test_sort_by_amount_and_title(client, grants):
    grants["labour"].amount_eur = 500_000
    grants["labour"].save()
    response = client.get("/grants/?sort=-amount")
    assert [g.title for g in response.context["grants"]][0] == "Labour mobility corridors"
    response = client.get("/grants/?sort=title")
    assert [g.title for g in response.context["grants"]] == [
        "Joint learning",
        "Labour mobility corridors",
        "Protection on the eastern route",
    ]


def test_listing_is_paginated(client, settings):
    for _ in range(27):
        GrantFactory()
    first = client.get("/grants/")
    second = client.get("/grants/?page=2")
    assert len(first.context["grants"]) == 25
    assert len(second.context["grants"]) == 2


def test_country_choices_are_the_countries_of_implementation(client, grants):
    form = client.get("/grants/").context["filter"].form
    offered = [code for code, _name in form.fields["country"].choices if code]
    assert offered == ["ET", "KE", "ML", "SN"]


def test_a_valid_country_without_grants_finds_nothing_without_an_error(client, grants):
    response = client.get("/grants/?country=FR")
    assert list(response.context["grants"]) == []
    assert not response.context["filter"].errors
    assert "No grant matches these filters." in response.content.decode()


def test_the_dialogue_filter_offers_only_linked_dialogues_in_the_visitors_language(client):
    linked = DialogueFactory(
        slug="rabat-process", name="Rabat Process", name_fr="Processus de Rabat"
    )
    DialogueFactory(slug="prague-process", name="Prague Process")
    grant = GrantFactory(title="Linked grant")
    grant.dialogues.add(linked)
    content = client.get("/fr/grants/").content.decode()
    assert '<option value="rabat-process">Processus de Rabat</option>' in content
    assert "prague-process" not in content
