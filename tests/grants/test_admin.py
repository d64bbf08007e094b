"""The grants admin: every page a secretariat member opens renders, with its inlines."""

import pytest

from grants.search import search_grants
from tests.grants.factories import LEAD, CallFactory, GrantFactory, OutputFactory, organisation

pytestmark = pytest.mark.django_db


def test_admin_pages_render(secretariat_client):
    grant = GrantFactory(countries=["SN"], members=[(organisation(), LEAD)])
    OutputFactory(grant=grant)
    call = grant.call
    call.documents.create(title="Guidelines", url="https://example.org/guidelines.pdf")
    for url in [
        "/admin/grants/grant/",
        "/admin/grants/grant/add/",
        f"/admin/grants/grant/{grant.pk}/change/",
        "/admin/grants/grant/?q=Test",
        "/admin/grants/call/",
        "/admin/grants/call/add/",
        f"/admin/grants/call/{call.pk}/change/",
        "/admin/grants/consortiummember/",
        "/admin/grants/output/",
        "/admin/grants/calldocument/",
        "/admin/grants/grantcountry/",
        "/admin/grants/grantcountry/?q=SN",
    ]:
        assert secretariat_client.get(url).status_code == 200, url


def test_grant_change_page_has_consortium_countries_and_outputs_inlines(secretariat_client):
    grant = GrantFactory()
    content = secretariat_client.get(f"/admin/grants/grant/{grant.pk}/change/").content.decode()
    for prefix in ["consortium-TOTAL_FORMS", "countries-TOTAL_FORMS", "outputs-TOTAL_FORMS"]:
        assert prefix in content


def test_call_applicant_types_are_chosen_from_the_organisation_types(secretariat_client):
    call = CallFactory()
    content = secretariat_client.get(f"/admin/grants/call/{call.pk}/change/").content.decode()
    assert 'value="diaspora"' in content and 'value="local-authority"' in content


def test_search_grants_finds_published_grants_by_organisation():
    member = organisation(name="Nouakchott Youth Network")
    found = GrantFactory(members=[(member, LEAD)])
    GrantFactory(title="Hidden", is_published=False, members=[(organisation(), LEAD)])
    assert list(search_grants("nouakchott")) == [found]
    assert list(search_grants("hidden")) == []
    assert list(search_grants("  ")) == []


def _grant_form(grant, members):
    data = {
        "reference": grant.reference,
        "title": grant.title,
        "slug": grant.slug,
        "call": grant.call.pk,
        "status": grant.status,
        "is_published": "on",
        "summary": grant.summary,
        "amount_eur": "1000",
        "co_financing_eur": "0",
        "start": "2025-03-01",
        "end": "2025-09-01",
        "source_note": "",
        "consortium-TOTAL_FORMS": str(len(members)),
        "consortium-INITIAL_FORMS": "0",
        "countries-TOTAL_FORMS": "0",
        "countries-INITIAL_FORMS": "0",
        "outputs-TOTAL_FORMS": "0",
        "outputs-INITIAL_FORMS": "0",
    }
    for index, (organisation_pk, role) in enumerate(members):
        data[f"consortium-{index}-organisation"] = organisation_pk
        data[f"consortium-{index}-role"] = role
    return data


def test_two_lead_applicants_are_refused_with_a_message(secretariat_client):
    grant = GrantFactory()
    data = _grant_form(grant, [(organisation().pk, "lead"), (organisation().pk, "lead")])
    response = secretariat_client.post(f"/admin/grants/grant/{grant.pk}/change/", data)
    assert response.status_code == 200
    assert "A consortium has one lead applicant; 2 are marked." in response.content.decode()
    assert grant.consortium.count() == 0


def test_one_lead_and_a_co_applicant_are_saved(secretariat_client):
    grant = GrantFactory()
    data = _grant_form(grant, [(organisation().pk, "lead"), (organisation().pk, "co-applicant")])
    response = secretariat_client.post(f"/admin/grants/grant/{grant.pk}/change/", data)
    assert response.status_code == 302
    assert sorted(grant.consortium.values_list("role", flat=True)) == ["co-applicant", "lead"]
