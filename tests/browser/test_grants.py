"""In a real browser: open /grants/, filter by country, open a grant; no serious or critical
accessibility violations on those pages."""

import pytest

from dialogues.models import Organisation
from tests.browser.support import axe_violations
from tests.bursts import one_burst_of_changes
from tests.grants.factories import CO, LEAD, CallFactory, GrantFactory, OutputFactory, organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def grants():
    with one_burst_of_changes():
        call = CallFactory(reference="Call 2", slug="call-2", title="Second call for proposals")
        lead = organisation(Organisation.Type.CIVIL_SOCIETY, "ML", name="Bamako Migrants Network")
        partner = organisation(Organisation.Type.RESEARCH, "BE", name="Brussels Mobility Institute")
        in_mali = GrantFactory(
            title="Safe journeys through the Sahel",
            call=call,
            countries=["ML", "NE"],
            members=[(lead, LEAD), (partner, CO)],
        )
        OutputFactory(grant=in_mali, title="Policy brief on safe journeys")
        GrantFactory(title="Reintegration in Kenya", call=call, countries=["KE"])
    return in_mali


def test_open_grants_filter_by_country_and_open_a_grant(page, grants):
    page.goto(page.base_url + "/grants/")
    assert page.get_by_role("heading", name="MMD Grant Facility", level=1).is_visible()
    assert page.get_by_role("link", name="Reintegration in Kenya").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Country of implementation").select_option("ML")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/grants/?**country=ML**")
    assert page.get_by_role("link", name="Safe journeys through the Sahel").is_visible()
    assert page.get_by_role("link", name="Reintegration in Kenya").count() == 0
    assert axe_violations(page) == []

    page.get_by_role("link", name="Safe journeys through the Sahel").click()
    page.wait_for_url(f"**/grants/{grants.slug}/")
    assert page.get_by_role("heading", name="Safe journeys through the Sahel", level=1).is_visible()
    assert page.get_by_role("rowheader", name="Brussels Mobility Institute").is_visible()
    assert page.get_by_text("Bamako Migrants Network").is_visible()
    assert page.get_by_text("Policy brief on safe journeys").is_visible()
    assert axe_violations(page) == []


def test_calls_pages_have_no_serious_accessibility_violations(page, grants):
    page.goto(page.base_url + "/grants/calls/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Second call for proposals").click()
    page.wait_for_url("**/grants/calls/call-2/")
    assert axe_violations(page) == []
