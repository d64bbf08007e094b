"""In a real browser: open /jvap/, filter by domain and country through the form, open an
entry and the dashboard; no serious or critical accessibility violations on those pages."""

import pytest

from tests.browser.support import axe_violations
from tests.bursts import one_burst_of_changes
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries():
    with one_burst_of_changes():
        domains = domains_by_number()
        return [
            JvapEntryFactory(
                title="Safe journeys through the Sahel",
                domain=domains[3],
                countries=["ML", "NE"],
                donors=["European Union"],
                implementers=["IOM"],
                budget="800000",
                start="2019-01-01",
                end="2021-12-31",
            ),
            JvapEntryFactory(
                title="Labour mobility with Senegal",
                domain=domains[2],
                countries=["SN"],
                budget="250000",
                start="2020-01-01",
            ),
            JvapEntryFactory(
                title="Return counselling in Mali", domain=domains[5], countries=["ML"]
            ),
        ]


def test_filter_the_jvap_database_by_domain_and_country_then_open_the_dashboard(page, entries):
    page.goto(page.base_url + "/jvap/")
    assert page.get_by_role("heading", name="JVAP database", level=1).is_visible()
    assert page.get_by_role("link", name="Labour mobility with Senegal").is_visible()
    assert page.get_by_role("heading", name="3 entries").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("checkbox", name="3. Protection and asylum").check()
    page.get_by_role("checkbox", name="Mali").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/jvap/?**domain=3**")
    assert "country=ML" in page.url
    assert page.get_by_role("heading", name="1 entry").is_visible()
    assert page.get_by_role("link", name="Safe journeys through the Sahel").is_visible()
    assert page.get_by_role("link", name="Labour mobility with Senegal").count() == 0
    assert page.get_by_role("link", name="Return counselling in Mali").count() == 0
    assert axe_violations(page) == []

    page.get_by_role("link", name="Safe journeys through the Sahel").click()
    page.wait_for_url(f"**/jvap/{entries[0].pk}/")
    assert page.get_by_role("heading", name="Safe journeys through the Sahel").is_visible()
    assert axe_violations(page) == []

    page.go_back()
    page.get_by_role("link", name="See these entries as charts in the dashboard").click()
    page.wait_for_url("**/jvap/dashboard/?**country=ML**")
    assert page.get_by_role("heading", name="JVAP dashboard", level=1).is_visible()
    funding_by_domain = page.get_by_role(
        "list", name="Funding (EUR) – Entries and funding by JVAP domain"
    )
    assert funding_by_domain.is_visible()
    protection = funding_by_domain.get_by_role("listitem").filter(has_text="3. Protection")
    assert protection.inner_text().split()[-1] == "800,000"
    assert page.get_by_role("rowheader", name="Mali").first.is_visible()
    assert axe_violations(page) == []

    page.goto(page.base_url + "/jvap/dashboard/")
    page.get_by_text("The chart's data as a table").first.click()
    assert axe_violations(page) == []
