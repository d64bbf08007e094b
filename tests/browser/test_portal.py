"""The public portal in a real browser: the pages a visitor opens, the filters they use, the
switch to French, and axe-core finding no serious or critical accessibility violation."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_violations
from tests.portal.conftest import world  # noqa: F401  (the portal's test data)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_home_page_shows_the_programme_and_passes_axe(page, world):  # noqa: F811
    page.goto(page.base_url + "/")
    assert page.locator("h1").inner_text() == "Africa-EU Migration and Mobility Dialogue"
    assert page.locator(".figure").first.is_visible()
    # The script draws the page's states onto the static map file, as links to their pages.
    expect(page.locator("svg.country-map a path.both[data-iso2=FR]")).to_have_count(1)
    assert page.get_by_role("link", name="Rabat Process").first.is_visible()
    _shot(page, "home")
    assert axe_violations(page) == []


def test_dialogue_page_colours_its_members_on_the_map_and_passes_axe(page, world):  # noqa: F811
    page.goto(page.base_url + "/dialogues/rabat-process/")
    assert page.locator("h1").inner_text() == "Rabat Process"
    map_ = page.locator("svg.country-map")
    expect(map_.locator("path.member[data-iso2=SN]")).to_have_count(1)
    assert map_.is_visible()
    assert map_.locator("path.observer[data-iso2=DZ]").count() == 1
    assert map_.locator("path.member[data-iso2=ER]").count() == 0
    page.get_by_text("The map's information as a list").click()
    assert page.locator("details.map-list").get_by_role("link", name="Senegal").is_visible()
    _shot(page, "dialogue")
    assert axe_violations(page) == []


def test_meetings_listing_filters_through_the_form_and_passes_axe(page, world):  # noqa: F811
    page.goto(page.base_url + "/meetings/")
    assert page.locator(".meeting-list > li").count() == 4
    assert axe_violations(page) == []

    page.get_by_label("Type").select_option("thematic-meeting")
    page.get_by_role("checkbox", name=re.compile("^Khartoum")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=thematic-meeting"))
    assert "dialogue=khartoum-process" in page.url
    titles = page.locator(".meeting-list h3").all_inner_texts()
    assert titles == ["Thematic meeting on return"]
    assert page.get_by_role("heading", name="1 result").is_visible()
    _shot(page, "meetings-filtered")
    assert axe_violations(page) == []


def test_switching_to_french_keeps_the_page_and_shows_french_text(page, world):  # noqa: F811
    page.goto(page.base_url + "/dialogues/rabat-process/?")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/dialogues/rabat-process/"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Processus de Rabat"
    assert page.get_by_role("heading", name="Membres et observateurs").is_visible()
    assert "Le Dialogue euro-africain" in page.locator(".lead").inner_text()
    _shot(page, "dialogue-fr")
    assert axe_violations(page) == []
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/dialogues/rabat-process/$"))
    assert page.locator("h1").inner_text() == "Rabat Process"


@pytest.mark.parametrize(
    "path",
    [
        "/countries/",
        "/fr/countries/sn/",
        "/organisations/ecowas/",
        "/meetings/dakar-ministerial-conference/",
        "/fr/documents/?kind=novel",
        "/search/?q=senegal",
        "/fr/no-such-page/",
    ],
)
def test_other_pages_pass_axe_too(page, world, path):  # noqa: F811
    page.goto(page.base_url + path)
    _shot(page, path.strip("/").replace("/", "_").replace("?", "_") or "root")
    assert axe_violations(page) == []


def test_the_filters_work_with_the_keyboard_alone(page, world):  # noqa: F811
    page.goto(page.base_url + "/meetings/")
    page.locator("#filter-q").focus()
    page.keyboard.type("dakar")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=dakar"))
    assert page.locator(".meeting-list h3").all_inner_texts() == ["Dakar Ministerial Conference"]
