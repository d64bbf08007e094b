"""In a real browser: the API's documentation page (Swagger UI from our own static files)
draws every collection, an operation opens and can be tried, and axe finds no serious or
critical violation, closed and open."""

import pytest

from tests.browser.support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_is_complete_and_accessible(page):
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if m.type == "error" else None)
    page.goto(page.base_url + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()

    assert page.title() == "MMD Portal API"
    assert page.locator("html").get_attribute("lang") == "en"
    for collection in ("countries", "jvap-entries", "meetings", "grants"):
        assert page.locator(f'[data-path="/api/v1/{collection}/"]').count() >= 1
    assert axe_violations(page) == []

    page.locator('.opblock-summary-control:has([data-path="/api/v1/meetings/"])').first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status").first.wait_for()
    assert axe_violations(page) == []
    assert blocked == []
