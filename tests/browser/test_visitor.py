"""What a visitor sees, in a real browser (issue 14): every public page of the URL walk
(tests/security/urlwalk.py, one record of each kind) at 360 and 1366 px wide, in English and
French, is never wider than the screen, logs no console error and has no chart text below
12 px; axe finds no serious or critical violation on any of them. Screenshots of the main
pages at both widths go to test-artifacts/screenshots/ (`make test` prints the folder).

Budget: the walk loads about 70 pages four times, on each database.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from tests.browser.support import axe_violations
from tests.bursts import one_burst_of_changes
from tests.grants.factories import CallFactory, GrantFactory
from tests.jvap.factories import (
    CampaignFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)
from tests.portal.conftest import world  # noqa: F401  (the portal's test data)
from tests.security.urlwalk import every_reachable_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (360, 1366)

# Not pages: downloads, feeds, the sitemaps, files; and the areas behind a log-in.
NOT_PAGES = (".csv", ".xlsx", ".json", ".ics", ".xml", ".txt", ".ico", ".atom", "/media/", "/i18n/")
PRIVATE = ("/jvap/upload", "/jvap/login", "/jvap/logout", "/accounts/", "/style/")
# For programs, not for reading: the open API answers JSON (tests/opendata check it), the
# health check answers the load balancer (tests/core/test_health.py).
MACHINE = ("/api/", "/health/")

# The smallest text a chart may show, in CSS pixels, as rendered (not as written in the SVG).
MIN_CHART_TEXT_PX = 12

CHART_TEXT_SIZES = """() => {
  const small = [];
  for (const el of document.querySelectorAll(".chart *, svg text")) {
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3)
      .map(n => n.textContent).join("").trim();
    if (!text || !el.getClientRects().length) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest("svg");
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    if (size < MIN) small.push(text.slice(0, 40) + " (" + size.toFixed(1) + "px)");
  }
  return small;
}""".replace("MIN", str(MIN_CHART_TEXT_PX))


@pytest.fixture
def site(world, django_user_model):  # noqa: F811
    """The portal's test world, with a JVAP entry, a call, a grant and a focal point."""
    from django.contrib.auth.models import Group

    from dialogues.roles import FOCAL_POINT

    with one_burst_of_changes(), transaction.atomic():  # one commit (see `world`)
        domains = {domain.number: domain for domain in make_domains()}
        senegal = ReportingPartnerFactory(country="SN")
        entry = JvapEntryFactory(
            partner=senegal,
            title="Legal pathways for young professionals between Senegal and Spain",
            domain=domains[2],
            countries=["SN", "ES"],
            budget_eur=Decimal("2191000"),
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2024, 12, 31),
        )
        call = CallFactory(reference="Call 2", slug="call-2", title="Second call for proposals")
        grant = GrantFactory(title="Safe journeys through the Sahel", call=call, countries=["ML"])
        CampaignFactory(year=2025)
        user = django_user_model.objects.create_user(
            "focal", password="focal-pass-123", is_staff=True
        )
        user.groups.add(Group.objects.get(name=FOCAL_POINT))
        give_access(user, senegal)
    return {"entry": entry, "grant": grant, "focal_point": user}


# True once every map of the page has its drawing (static/js/portal.js puts it in the block).
MAPS_DRAWN = """() => Array.from(document.querySelectorAll("[data-map]"))
  .every(block => block.querySelector("svg.country-map"))"""


def public_pages(client) -> list[str]:
    """The walk's pages, each once, without the language prefix (the sitemap lists both)."""
    admin = "/" + reverse("admin:index").strip("/")
    paths = {path.removeprefix("/fr") or "/" for path in every_reachable_path(client)}
    return sorted(
        path
        for path in paths
        if not path.startswith(admin)
        and not path.endswith(NOT_PAGES)
        and not any(part in path for part in NOT_PAGES + PRIVATE + MACHINE)
    )


def open_page(browser, base_url, width, language="en"):
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": 800},
        locale="fr-FR" if language == "fr" else "en-GB",
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    return context, tab


def check(tab, url, width) -> list[str]:
    """Load a page and return what is wrong with it at this width."""
    tab.errors.clear()
    response = tab.goto(url)
    # The map file is fetched after the load and drawn into each map's block: the page is
    # checked once every map is drawn (not after a network-idle wait of 500 ms or more).
    tab.wait_for_function(MAPS_DRAWN)
    problems = []
    if response.status != 200:
        problems.append(f"status {response.status}")
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{scroll_width} px wide")
    problems += [f"console: {error}" for error in tab.errors]
    problems += [f"chart text {text}" for text in tab.evaluate(CHART_TEXT_SIZES)]
    return problems


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_fits_the_screen_without_errors_and_passes_axe(
    browser, live_server, client, site, language
):
    paths = public_pages(client)
    assert "/jvap/" in paths and site["grant"].get_absolute_url() in paths
    assert len(paths) < 80, "the walk is meant to hold one record of each kind"
    prefix = "/fr" if language == "fr" else ""
    problems = []
    for width in WIDTHS:
        context, tab = open_page(browser, live_server.url, width, language)
        for path in paths:
            url = live_server.url + prefix + path
            problems += [f"{prefix}{path} at {width}: {p}" for p in check(tab, url, width)]
            if width == 1366:
                problems += [f"{prefix}{path}: axe {v}" for v in axe_violations(tab)]
        context.close()
    assert problems == []


def test_screenshots_of_the_main_pages_at_both_widths(browser, live_server, site, world):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": "/",
        "dialogue": world.rabat.get_absolute_url(),
        "country": "/countries/sn/",
        "jvap": "/jvap/",
        "dashboard": "/jvap/dashboard/",
        "grants": "/grants/",
        "grant": site["grant"].get_absolute_url(),
    }
    problems = []
    for width in WIDTHS:
        context, tab = open_page(browser, live_server.url, width)
        for name, path in pages.items():
            problems += [
                f"{path} at {width}: {p}" for p in check(tab, live_server.url + path, width)
            ]
            tab.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            if width == 360:
                problems += [f"{path} at 360: axe {v}" for v in axe_violations(tab)]
        # The focal points' upload page, after logging in.
        tab.goto(live_server.url + reverse("jvap:login"))
        tab.get_by_label("Username").fill("focal")
        tab.get_by_label("Password").fill("focal-pass-123")
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url("**/jvap/upload/")
        problems += [f"upload at {width}: {p}" for p in check(tab, tab.url, width)]
        problems += [f"upload at {width}: axe {v}" for v in axe_violations(tab)]
        tab.screenshot(path=SCREENSHOTS / f"upload-{width}.png", full_page=True)
        context.close()
    assert problems == []
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 16


def test_on_a_phone_the_filters_fold_and_the_results_come_first(browser, live_server, site):
    context, tab = open_page(browser, live_server.url, 360)
    tab.goto(live_server.url + "/jvap/")
    disclosure = tab.locator("details.filters-disclosure")
    assert disclosure.get_attribute("open") is None
    assert tab.get_by_text("Filters", exact=True).is_visible()
    # The folded filters take one line, so the results start on the first screen and a
    # quarter (before, 3.6 screens down, after every filter).
    assert disclosure.bounding_box()["height"] < 60
    assert tab.locator("#results-heading").bounding_box()["y"] < 1000
    tab.get_by_text("Filters", exact=True).click()
    assert disclosure.get_attribute("open") is not None
    context.close()
    context, tab = open_page(browser, live_server.url, 1366)
    tab.goto(live_server.url + "/jvap/")
    assert tab.locator("details.filters-disclosure").get_attribute("open") is not None
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_small_phone_every_listing_starts_its_results_on_the_first_screen(
    browser, live_server, site, language
):
    """At 360 x 640 px, the smallest common phone screen, the menu and the filters are folded
    into one line each and the results begin before the bottom of the screen."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 640}, locale="en-GB"
    )
    tab = context.new_page()
    prefix = "/fr" if language == "fr" else ""
    below = {}
    for path in ("/jvap/", "/grants/", "/meetings/", "/documents/"):
        tab.goto(live_server.url + prefix + path)
        assert tab.locator("details.menu-disclosure").get_attribute("open") is None, path
        assert tab.locator("details.filters-disclosure").get_attribute("open") is None, path
        top = tab.locator("#results-heading").bounding_box()["y"]
        if top >= 640:
            below[path] = top
    assert below == {}
    # The folded menu opens with a tap and still leads everywhere; the compact header
    # passes axe, folded and open.
    assert axe_violations(tab) == []
    tab.locator("details.menu-disclosure > summary").click()
    assert tab.locator("nav.main-nav a[href$='/grants/']").is_visible()
    assert axe_violations(tab) == []
    context.close()


def test_the_map_countries_are_keyboard_links_to_their_pages(browser, live_server, site):
    context, tab = open_page(browser, live_server.url, 1366)
    tab.goto(live_server.url + "/")
    link = tab.locator("svg.country-map a[aria-label^='Senegal']")
    link.wait_for()
    link.focus()
    assert tab.evaluate("document.activeElement.getAttribute('href')") == "/countries/sn/"
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/countries/sn/")
    tab.go_back()
    tab.get_by_role("radio", name="C2CMMD").check()
    tab.locator("svg.country-map a path.c2cmmd[data-iso2=DE]").wait_for()
    context.close()
