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
