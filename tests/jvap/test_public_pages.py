"""The public entry page, the exports of a filtered listing, the country-page section, the
search and figures other pages call, and the pinned query counts of the public pages."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core import page_sections
from jvap import read_model
from jvap.figures import jvap_figures
from jvap.models import JvapEntry
from jvap.search import search_entries
from jvap.spreadsheet import DERIVED_COLUMNS, HEADERS
from tests.jvap.factories import (
    UNPUBLISHED,
    JvapEntryFactory,
    ReportingPartnerFactory,
    domains_by_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def domains():
    return domains_by_number()


@pytest.fixture
def published(domains):
    return [
        JvapEntryFactory(
            title='=HYPERLINK("http://evil")',
            reference="1003",
            domain=domains[1],
            countries=["SN", "ML"],
            budget="1250000.50",
            start="2019-01-01",
            end="2021-12-31",
            status="ongoing",
            implementers=["IOM", "Enabel"],
            donors=["European Union"],
            secondary=[domains[3]],
        ),
        JvapEntryFactory(
            title="Legal pathways", domain=domains[2], countries=["NE"], type="policy"
        ),
        JvapEntryFactory(title="Asylum in Chad", domain=domains[3], countries=["TD"], budget="300"),
    ]


@pytest.fixture
def unpublished(domains):
    return [
        JvapEntryFactory(
            title=f"Hidden {state}",
            domain=domains[1],
            countries=["SN"],
            review_state=state,
            budget="999",
        )
        for state in UNPUBLISHED
    ]


# --- The entry page --------------------------------------------------------------------------


def test_an_entry_page_shows_the_entry(client, published):
    entry = published[0]
    response = client.get(f"/jvap/{entry.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Senegal", "Mali", "IOM", "Enabel", "European Union", "1003", "2019"):
        assert text in content
    assert "/jvap/?country=SN" in content


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_an_unpublished_entry_page_is_not_found(client, domains, state):
    entry = JvapEntryFactory(title="Not yet", domain=domains[1], review_state=state)
    assert client.get(f"/jvap/{entry.pk}/").status_code == 404
    assert client.get("/jvap/999999/").status_code == 404


# --- Exports ---------------------------------------------------------------------------------


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _json_rows(response):
    return json.loads(b"".join(response.streaming_content))


READERS = {"csv": _csv_rows, "xlsx": _xlsx_rows, "json": _json_rows}


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {'=HYPERLINK("http://evil")', "Legal pathways", "Asylum in Chad"}),
        ("country=sn", {'=HYPERLINK("http://evil")'}),
        ("domain=2&domain=3", {"Legal pathways", "Asylum in Chad"}),
        ("budget_min=100&sort=budget", {"Asylum in Chad", '=HYPERLINK("http://evil")'}),
        ("type=programme", set()),
    ],
)
def test_the_export_of_a_filtered_listing_holds_exactly_its_rows(
    client, published, unpublished, export_format, query, expected
):
    listing = client.get(f"/jvap/?{query}")
    listed = {entry.title for entry in listing.context["entries"]}
    response = client.get(f"/jvap/export.{export_format}?{query}")
    assert response.status_code == 200
    rows = READERS[export_format](response)
    exported = {row["Title"].removeprefix("'") for row in rows}
    assert exported == listed == expected
    if rows:
        # The template's columns, then the codes and names beside its labels and numbers.
        assert list(rows[0]) == [*HEADERS, *(column.header for column in DERIVED_COLUMNS)]


def test_exports_escape_formulas_and_keep_the_templates_cells(client, published):
    csv_rows = _csv_rows(client.get("/jvap/export.csv?country=SN"))
    assert csv_rows[0]["Title"] == '\'=HYPERLINK("http://evil")'
    assert csv_rows[0]["Reference"] == "1003"
    assert csv_rows[0]["Countries"] == "Mali; Senegal"
    assert csv_rows[0]["Budget (EUR)"] == "1250000.5"
    assert csv_rows[0]["Secondary domains"] == "3"
    json_rows = _json_rows(client.get("/jvap/export.json?country=SN"))
    assert json_rows[0]["Countries"] == ["Mali", "Senegal"]
    assert json_rows[0]["Implementing organisations"] == ["IOM", "Enabel"]


def test_exports_never_hold_unpublished_entries(client, published, unpublished):
    for export_format, read in READERS.items():
        rows = read(client.get(f"/jvap/export.{export_format}?q=hidden"))
        assert rows == []
        titles = {row["Title"] for row in read(client.get(f"/jvap/export.{export_format}"))}
        assert not {title for title in titles if title.startswith("Hidden")}


def test_an_unknown_export_format_is_not_found(client, published):
    assert client.get("/jvap/export.pdf").status_code == 404


# --- The country page's section, the search and the home figures ---------------------------


@pytest.fixture(params=[False, True], ids=["counted-now", "read-model"])
def precomputed(request, settings):
    """Both ways the country section counts: from the entries now, and (with the precomputed
    figures, as in production) from the read model."""
    settings.PRECOMPUTED_FIGURES = request.param
    return request.param


def test_the_country_section_counts_only_the_published_entries_of_the_country(
    published, unpublished, precomputed
):
    sections = [s for s in page_sections.sections_for("country", "sn") if "jvap" in s.template]
    assert len(sections) == 1
    context = sections[0].context
    assert context["count"] == 1
    assert context["total_eur"] == Decimal("1250000.50")
    assert [entry.title for entry in context["latest"]] == ['=HYPERLINK("http://evil")']
    assert context["listing_url"] == "/jvap/?country=SN"


def test_a_country_without_published_entries_gets_no_section(published, unpublished, precomputed):
    assert not [s for s in page_sections.sections_for("country", "FR") if "jvap" in s.template]


def test_the_country_section_renders(published):
    from django.template.loader import render_to_string

    section = page_sections.sections_for("country", "SN")[0]
    html = render_to_string(section.template, {"section": section})
    assert "1 published JVAP entry runs in this country" in html
    assert "/jvap/?country=SN" in html


def test_search_entries_finds_published_entries_by_title_description_or_organisation(
    published, unpublished
):
    assert [e.title for e in search_entries("pathways")] == ["Legal pathways"]
    assert [e.title for e in search_entries("enabel")] == ['=HYPERLINK("http://evil")']
    assert list(search_entries("hidden")) == []
    assert list(search_entries("   ")) == []
    assert len(search_entries("a", limit=1)) == 1


def test_the_home_figures_count_published_entries_and_their_investment(published, unpublished):
    figures = jvap_figures()
    assert figures.entries == 3
    assert figures.total_investment_eur == Decimal("1250300.50")


# --- Query counts do not grow with the data --------------------------------------------------


def _seed(domains, count):
    partner = ReportingPartnerFactory(country="SN", code="SN")
    entries = []
    for number in range(count):
        entries.append(
            JvapEntryFactory(
                title=f"Entry {number:03}",
                domain=domains[number % 5 + 1],
                countries=["SN", "ML", "NE"][: number % 3 + 1],
                implementers=[f"Implementer {number % 7}"],
                donors=[f"Donor {number % 4}"] if number % 2 else [],
                secondary=[domains[(number + 1) % 5 + 1]],
                budget=str(1000 * (number + 1)),
                start=f"{2015 + number % 8}-01-01",
                end=f"{2017 + number % 8}-12-31",
                partner=partner,
            )
        )
    JvapEntryFactory(
        title="Hidden", domain=domains[1], review_state=JvapEntry.ReviewState.SUBMITTED
    )
    return entries


# Page -> its queries (SQLite, PostgreSQL). The listing: 6 facet counts and the domains' and
# partners' names (the filter form), the count (none of its own: the sum of the domain facet's
# counts over the chosen main domains, or all of them), the page's rows with their countries
# (one query, `jvap.listing_rows`), and 1 to check a `partner=`. On PostgreSQL the facets of the
# entries whose own filter is not chosen are counted in one query (GROUPING SETS): 2 to 4 facet
# queries instead of 6; with words, every facet in one query over the matching entries. The entry:
# itself and 3 prefetches. The dashboard: its 6 grouped queries over the read model (the entries
# by domain and years, countries, donors, implementers, flows) and the same 8 for the form, but
# the country facet's when no country is chosen (the country chart's counts); a chart's CSV:
# its one grouped query.
PAGES = {
    "/jvap/": (9, 5),
    "/jvap/?domain=1&domain=2&country=SN&type=project&year=2018&q=entry&sort=-budget": (9, 4),
    "/jvap/?partner=sn&page=1": (10, 7),
    "/jvap/{pk}/": (4, 4),
    "/jvap/dashboard/": (13, 9),
    "/jvap/dashboard/?country=SN&domain=1&budget_min=10": (14, 11),
    "/jvap/dashboard/year.csv?country=SN": (1, 1),
}


def _queries(client, url):
    # The read model is rebuilt after a change (a task, once committed); the seeded rows are
    # not committed, so it is rebuilt before counting the page's own queries.
    read_model.ensure_current()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(("url", "expected"), PAGES.items())
def test_public_pages_make_the_same_number_of_queries_at_10_and_200_entries(
    client, domains, url, expected
):
    small = _seed(domains, 10)
    at_10 = _queries(client, url.format(pk=small[0].pk))
    JvapEntry.objects.all().delete()
    large = _seed(domains, 200)
    at_200 = _queries(client, url.format(pk=large[0].pk))
    expected = expected[connection.vendor == "postgresql"]
    assert (at_10, at_200) == (expected, expected)


def test_the_public_pages_speak_french(client, published):
    listing = client.get("/fr/jvap/?domain=9").content.decode()
    assert "Base de données du PAVC" in listing
    assert "« 9 » ne fait pas partie des valeurs que ce filtre accepte." in listing
    dashboard_page = client.get("/fr/jvap/dashboard/").content.decode()
    assert "Comment les budgets sont comptés :" in dashboard_page


def test_the_country_section_makes_the_same_two_queries_at_10_and_200_entries(domains, precomputed):
    def queries():
        from jvap.sections import country_section

        assert country_section in page_sections._providers["country"]
        read_model.ensure_current()  # a task after each change, as for the pages above
        with CaptureQueriesContext(connection) as captured:
            section = country_section("SN")  # only this app's section: grants adds its own
        assert section is not None
        return len(captured)

    _seed(domains, 10)
    at_10 = queries()
    JvapEntry.objects.all().delete()
    _seed(domains, 200)
    assert (at_10, queries()) == (2, 2)
