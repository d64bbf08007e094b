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


def test_home_figures_are_in_french_on_the_french_home_page(client, world):  # noqa: F811
    response = client.get("/fr/")
    figures = {str(f.label): f.value for f in response.context["figures"]}
    assert figures["réunions tenues"] == 3
    assert figures["conférence ministérielle"] == 1
    assert not [label for label in figures if "meeting" in label or "conference" in label]


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


@pytest.mark.parametrize("path", ["/meetings/", "/jvap/", "/grants/", "/documents/"])
def test_a_page_past_the_end_shows_the_last_page_rather_than_a_404(client, world, path):  # noqa: F811
    response = client.get(f"{path}?page=9999")
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages
    assert client.get(f"{path}?page=abc").status_code == 200


def test_search_finds_strategic_frameworks_and_their_actions(client, world):  # noqa: F811
    import datetime

    from dialogues.models import FrameworkElement, StrategicFramework

    framework = StrategicFramework.objects.create(
        dialogue=world.rabat,
        name="Cadiz Political Declaration and Action Plan",
        name_fr="Déclaration politique et plan d'action de Cadix",
        slug="cadiz-action-plan",
        kind=StrategicFramework.Kind.ACTION_PLAN,
        adopted_on=datetime.date(2022, 12, 14),
    )
    FrameworkElement.objects.create(
        framework=framework, level="action", number="2.1.3", title="Facilitate visa réintégration"
    )
    response = client.get("/search/?q=cadiz")
    groups = {group.kind.key: group for group in response.context["groups"]}
    titles = [result.title for result in groups["frameworks"].results]
    assert titles[0] == "Cadiz Political Declaration and Action Plan"
    assert (
        groups["frameworks"].results[0].url
        == "/dialogues/rabat-process/#framework-cadiz-action-plan"
    )
    actions = client.get("/search/?q=reintegration").context["groups"]
    assert "2.1.3 Facilitate visa réintégration" in [r.title for g in actions for r in g.results]
    french = client.get("/fr/search/?q=cadix").content.decode()
    assert "Déclaration politique et plan d&#x27;action de Cadix" in french
    assert (
        'id="framework-cadiz-action-plan"'
        in client.get("/dialogues/rabat-process/").content.decode()
    )


def test_the_search_total_says_when_it_is_a_lower_bound(client, world, monkeypatch):  # noqa: F811
    from mmd_portal import search

    monkeypatch.setattr(search, "RESULTS_PER_KIND", 1)
    content = client.get("/search/?q=meeting").content.decode()
    assert "More than 1 result" in content or "More than" in content
    assert "(1+)" in content
