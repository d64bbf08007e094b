"""Everything findable (issue 14): the main menu and the home page lead to the JVAP database
and the Grant Facility, the sitemap index names every kind of page, the favicon answers, names
sort in French as a French reader expects, and the home page stays light."""

import re

import pytest

from core.collation import sorted_by_name
from tests.portal.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_main_menu_holds_the_jvap_database_and_the_grant_facility(client, world):  # noqa: F811
    content = client.get("/").content.decode()
    menu = content[content.index('<nav class="main-nav"') :]
    menu = menu[: menu.index("</nav>")]
    assert '<a href="/jvap/"' in menu and "JVAP database" in menu
    assert '<a href="/grants/"' in menu and "Grant Facility" in menu
    assert '<a href="/jvap/" aria-current="page"' in client.get("/jvap/").content.decode()


def test_the_home_page_leads_to_the_jvap_listing_and_dashboard_and_the_grants(client, world):  # noqa: F811
    content = client.get("/").content.decode()
    for link in ('href="/jvap/"', 'href="/jvap/dashboard/"', 'href="/grants/"'):
        assert link in content
    assert content.index('id="components-heading"') < content.index('id="upcoming-heading"')
    assert content.index('id="upcoming-heading"') < content.index('id="jvap-heading"')
    assert content.index('id="grants-heading"') < content.index('id="map-heading"')


def test_home_figures_have_plural_labels_and_no_empty_meeting_type(client, world):  # noqa: F811
    response = client.get("/")
    figures = {str(f.label): f.value for f in response.context["figures"]}
    assert figures["meetings held"] == 3
    assert "ministerial conference" in figures  # one held: singular
    assert all(value for label, value in figures.items() if "meeting" in label)
    assert "0 thematic" not in response.content.decode().lower()


def test_the_home_page_says_the_european_union_funds_the_programme(client, world):  # noqa: F811
    import datetime

    from dialogues.models import ProgrammePhase

    ProgrammePhase.objects.create(
        name="MMD III", start=datetime.date(2023, 10, 1), donor=world.organisation, is_current=True
    )
    assert "Funded by: European Union" in client.get("/").content.decode()


def test_the_home_page_is_under_60_kb_and_references_the_map_file(client, world):  # noqa: F811
    content = client.get("/").content
    assert len(content) < 60 * 1024
    assert b"<path" not in content  # the map's shapes are not written into the page
    assert b'data-map-src="/static/maps/africa-europe.svg"' in content


def test_the_map_layers_are_the_processes_and_the_c2cmmd(client, world):  # noqa: F811
    content = client.get("/").content.decode()
    assert 'value="processes"' in content and 'value="c2cmmd"' in content
    # C2CMMD: the member states of the African Union and of the European Union.
    assert 'data-layer="c2cmmd" data-iso2="SN" data-css="c2cmmd"' in content
    assert 'data-layer="c2cmmd" data-iso2="DE" data-css="c2cmmd"' in content
    assert 'data-layer="c2cmmd" data-iso2="NO"' not in content
    assert 'href="/fr/countries/sn/"' in client.get("/fr/").content.decode()


def test_the_sitemap_is_an_index_of_paginated_sitemaps_of_every_kind(client, world):  # noqa: F811
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    sections = re.findall(r"<loc>http://testserver/sitemap-([a-z]+)\.xml", index)
    assert set(sections) >= {
        "pages",
        "dialogues",
        "countries",
        "organisations",
        "meetings",
        "documents",
        "jvap",
        "grants",
        "calls",
    }
    meetings = client.get("/sitemap-meetings.xml").content.decode()
    assert "<lastmod>" in meetings
    assert 'hreflang="fr"' in meetings
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/jvap/</loc>" in pages and "http://testserver/grants/</loc>" in pages


def test_favicon_answers_everywhere(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    content = client.get("/countries/").content.decode()
    assert 'rel="apple-touch-icon"' in content


def test_french_names_sort_as_a_french_reader_expects():
    names = ["Suède", "Sénégal", "Burkina Faso", "Bénin", "Égypte", "Érythrée", "Danemark"]
    assert sorted_by_name(names) == [
        "Bénin",
        "Burkina Faso",
        "Danemark",
        "Égypte",
        "Érythrée",
        "Sénégal",
        "Suède",
    ]


def test_the_french_countries_page_sorts_with_accents(client, world):  # noqa: F811
    names = [str(row["name"]) for row in client.get("/fr/countries/").context["countries"]]
    assert names == sorted_by_name(names)
    assert names.index("Égypte") < names.index("Espagne")


def test_the_site_search_form_has_a_real_action(client, db):
    content = client.get("/search/?q=x").content.decode()
    assert 'action=""' not in content


def test_the_style_guide_shows_every_component_to_staff_only(client, secretariat_user):
    assert client.get("/style/").status_code == 302  # to the log-in page
    client.force_login(secretariat_user)
    content = client.get("/style/").content.decode()
    for component in (
        "page-header",
        "figures",
        'class="facts"',
        "cards",
        "filters-disclosure",
        "table-scroll",
        "pagination",
        "empty-state",
        "notice-error",
        "button secondary",
    ):
        assert component in content, component
