"""`/jvap/dashboard/`: totals that never double-count, charts driven by the listing's filters,
each chart's data as CSV, only published entries."""

import csv
import io
from decimal import Decimal

import pytest

from jvap import dashboard
from jvap.models import JvapEntry
from tests.jvap.factories import (
    UNPUBLISHED,
    JvapEntryFactory,
    domains_by_number,
    organisation_partner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    domains = domains_by_number()
    return {
        # Three countries, two donors, two implementers, 2018-2020: its budget is split.
        "multi": JvapEntryFactory(
            title="Sahel mobility",
            domain=domains[2],
            secondary=[domains[1], domains[3]],
            countries=["SN", "ML", "NE"],
            donors=["European Union", "Spain"],
            implementers=["IOM", "Enabel"],
            budget="900000",
            start="2018-01-01",
            end="2020-12-31",
        ),
        "single": JvapEntryFactory(
            title="Asylum in Niger",
            domain=domains[3],
            countries=["NE"],
            donors=["European Union"],
            implementers=["UNHCR"],
            budget="100000.01",
            start="2019-05-01",
        ),
        "no_budget": JvapEntryFactory(
            title="Policy", domain=domains[2], countries=["SN"], type="policy"
        ),
        "undated": JvapEntryFactory(
            title="Undated", domain=domains[5], countries=["GH"], budget="50000"
        ),
    }


@pytest.fixture
def hidden():
    domains = domains_by_number()
    return [
        JvapEntryFactory(
            title=f"Hidden {state}",
            domain=domains[1],
            countries=["SN"],
            donors=["Secret donor"],
            implementers=["Secret implementer"],
            budget="7777777",
            start="2019-01-01",
            review_state=state,
        )
        for state in UNPUBLISHED
    ]


GRAND_TOTAL = Decimal("1050000.01")


def charts_of(response):
    return {chart.slug: chart for chart in response.context["charts"]}


def test_the_grand_total_is_the_sum_of_the_published_budgets(client, entries, hidden):
    response = client.get("/jvap/dashboard/")
    totals = response.context["totals"]
    assert totals["entries"] == 4
    assert totals["funding"] == GRAND_TOTAL
    assert totals["without_budget"] == 1


@pytest.mark.parametrize("slug", list(dashboard.CHARTS))
def test_every_funding_chart_adds_up_to_the_grand_total(client, entries, hidden, slug):
    chart = charts_of(client.get("/jvap/dashboard/"))[slug]
    assert abs(chart.funding_total - GRAND_TOTAL) <= Decimal("0.05")


def test_a_multi_country_entry_is_not_double_counted(client, entries):
    chart = charts_of(client.get("/jvap/dashboard/"))["country"]
    rows = {row.key: row for row in chart.rows}
    assert rows["SN"].funding == Decimal("300000.00")
    assert rows["ML"].funding == Decimal("300000.00")
    assert rows["NE"].funding == Decimal("400000.01")
    assert rows["NE"].entries == 2
    assert sum(row.funding for row in chart.rows) == GRAND_TOTAL


def test_domains_count_each_entry_once_under_its_main_domain(client, entries):
    chart = charts_of(client.get("/jvap/dashboard/"))["domain"]
    rows = {row.key: row for row in chart.rows}
    assert [row.key for row in chart.rows] == ["1", "2", "3", "4", "5"]
    assert (rows["1"].entries, rows["1"].funding) == (0, Decimal(0))
    assert (rows["2"].entries, rows["2"].funding) == (2, Decimal("900000"))
    assert (rows["3"].entries, rows["3"].funding) == (1, Decimal("100000.01"))
    assert sum(row.entries for row in chart.rows) == 4


def test_donors_and_implementers_share_budgets_and_keep_unnamed_entries_apart(client, entries):
    charts = charts_of(client.get("/jvap/dashboard/"))
    donors = {row.key: row for row in charts["donor"].rows}
    assert donors["European Union"].funding == Decimal("550000.01")
    assert donors["European Union"].entries == 2
    assert donors["Spain"].funding == Decimal("450000.00")
    assert donors["none"].entries == 2
    assert donors["none"].funding == Decimal("50000.00")
    implementers = {row.key: row for row in charts["implementer"].rows}
    assert implementers["IOM"].funding == Decimal("450000.00")
    assert implementers["UNHCR"].funding == Decimal("100000.01")


def test_the_year_chart_counts_active_entries_and_spreads_budgets_over_years(
    client, entries, hidden
):
    rows = {row.key: row for row in charts_of(client.get("/jvap/dashboard/"))["year"].rows}
    # 2018-2020: 300,000 a year; the open-ended 2019 entry is active from 2019 on but gives
    # its budget to 2019; the undated entry is active every year and has its own row.
    assert rows["2018"].funding == Decimal("300000.00")
    assert rows["2019"].funding == Decimal("400000.01")
    assert rows["2020"].funding == Decimal("300000.00")
    assert rows["2018"].entries == 3  # multi, the policy without dates, undated
    assert rows["2019"].entries == 4
    assert rows["2021"].entries == 3
    assert rows["undated"].funding == Decimal("50000.00")
    # A year bar links to the listing of that year, whose count is the bar's.
    listing = client.get(rows["2021"].url)
    assert listing.context["paginator"].count == rows["2021"].entries


def test_the_filters_drive_the_dashboard(client, entries):
    response = client.get("/jvap/dashboard/?country=ne&domain=3")
    assert response.context["totals"]["entries"] == 1
    assert response.context["totals"]["funding"] == Decimal("100000.01")
    countries = {row.key for row in charts_of(response)["country"].rows}
    assert countries == {"NE"}


def test_an_unknown_filter_value_shows_the_message_and_empty_charts(client, entries):
    response = client.get("/jvap/dashboard/?domain=7")
    assert response.status_code == 200
    assert response.context["totals"]["entries"] == 0
    content = response.content.decode()
    assert "These filters cannot be applied" in content
    assert "“7”" in content


def test_unpublished_entries_never_reach_the_dashboard(client, entries, hidden):
    response = client.get("/jvap/dashboard/")
    content = response.content.decode()
    assert "Secret donor" not in content
    assert "Secret implementer" not in content
    assert response.context["totals"]["funding"] == GRAND_TOTAL


def test_each_chart_says_how_budgets_are_counted_and_has_a_table_and_a_csv(client, entries):
    response = client.get("/jvap/dashboard/?country=SN")
    content = response.content.decode()
    assert content.count("How budgets are counted:") == len(dashboard.CHARTS)
    for slug in dashboard.CHARTS:
        assert f"/jvap/dashboard/{slug}.csv?country=SN" in content
    assert content.count('<table class="chart-table">') == len(dashboard.CHARTS)
    # Two bar charts per chart (entries and funding), and the map of the countries.
    assert content.count('<ol class="bar-chart') == 2 * len(dashboard.CHARTS)
    assert content.count("data-map-src=") == 1
    assert "/jvap/?country=SN" in content


@pytest.mark.parametrize("slug", list(dashboard.CHARTS))
def test_a_charts_csv_holds_its_rows_under_the_same_filters(client, entries, hidden, slug):
    response = client.get(f"/jvap/dashboard/{slug}.csv?country=NE")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0:2] == ["Key", "Label"]
    total = sum(Decimal(row[3]) for row in rows[1:])
    assert abs(total - Decimal("1000000.01")) <= Decimal("0.05")
    assert "Secret" not in text


def test_an_unknown_chart_is_not_found(client, entries):
    assert client.get("/jvap/dashboard/colour.csv").status_code == 404


def test_an_empty_database_gives_an_empty_dashboard(client, db):
    response = client.get("/jvap/dashboard/")
    assert response.status_code == 200
    assert response.context["totals"]["entries"] == 0
    assert JvapEntry.objects.count() == 0


def test_funding_flows_split_a_budget_over_its_donor_and_implementer_pairs(client, entries):
    rows = {row.key: row for row in charts_of(client.get("/jvap/dashboard/"))["flow"].rows}
    assert rows["European Union → UNHCR"].funding == Decimal("100000.01")
    for pair in (
        "European Union → IOM",
        "European Union → Enabel",
        "Spain → IOM",
        "Spain → Enabel",
    ):
        assert rows[pair].funding == Decimal("225000.00")
        assert rows[pair].entries == 1
    assert rows["none"].entries == 2
    assert rows["none"].funding == Decimal("50000.00")


# --- The unfiltered figures, precomputed after each change (jvap.public_figures) -------------


@pytest.fixture
def precomputed(settings):
    settings.PRECOMPUTED_FIGURES = True


def _chart_rows(chart):
    return [(r.key, r.label, r.entries, r.funding, r.param, r.value) for r in chart.rows]


def sums_from_the_entries() -> dict[str, dict[str, tuple[int, Decimal]]]:
    """Each chart's (entries, funding) per row, computed here in Python straight from the
    published entries and the counting rules (jvap.dashboard's docstring), exactly."""
    charts: dict[str, dict[str, list]] = {slug: {} for slug in dashboard.CHARTS}

    def add(slug, key, entry, amount):
        row = charts[slug].setdefault(key, [set(), Decimal(0)])
        row[0].add(entry.pk)
        row[1] += amount

    for entry in JvapEntry.objects.published().prefetch_related("countries", "organisations"):
        budget = entry.budget_eur or Decimal(0)
        add("domain", str(entry.domain.number), entry, budget)
        codes = [country.country.code for country in entry.countries.all()]
        for code in codes:
            add("country", code, entry, budget / len(codes))
        named = {}
        for role in ("donor", "implementer"):
            named[role] = [o.name for o in entry.organisations.all() if o.role == role]
            for name in named[role]:
                add(role, name, entry, budget / len(named[role]))
            if not named[role]:
                add(role, "none", entry, budget)
        pairs = [(d, i) for d in named["donor"] for i in named["implementer"]]
        for donor, implementer in pairs:
            add("flow", f"{donor} → {implementer}", entry, budget / len(pairs))
        if not pairs:
            add("flow", "none", entry, budget)
        first = entry.start_date or entry.end_date
        last = entry.end_date or entry.start_date
        if first is None:
            add("year", "undated", entry, budget)
        else:
            for year in range(first.year, last.year + 1):
                add("year", str(year), entry, budget / (last.year - first.year + 1))
    return {
        slug: {key: (len(pks), amount) for key, (pks, amount) in rows.items()}
        for slug, rows in charts.items()
    }


def assert_the_charts_are_the_sums_of_the_entries(charts, totals) -> None:
    """Every row of every chart is its sum computed from the entries (to the cent), and each
    funding chart adds up to the grand total: no double counting."""
    published = list(JvapEntry.objects.published())
    budgets = sum((e.budget_eur or Decimal(0) for e in published), Decimal(0))
    assert totals["funding"] == budgets
    assert totals["entries"] == len(published)
    expected = sums_from_the_entries()
    cent = Decimal("0.01")
    for chart in charts:
        assert abs(chart.funding_total - budgets) <= cent * max(1, len(chart.rows)), chart.slug
        for row in chart.rows:
            if row.key in ("others", "earlier"):
                continue
            count, amount = expected[chart.slug].get(row.key, (0, Decimal(0)))
            assert abs(row.funding - amount) <= cent, (chart.slug, row.key, row.funding, amount)
            if chart.slug != "year":  # a year's entries are those active in it
                assert row.entries == count, (chart.slug, row.key)
        shown = {row.key for row in chart.rows}
        if chart.slug in ("domain", "country"):  # every row shown, none left out
            assert {key for key, (n, _a) in expected[chart.slug].items() if n} <= shown


def assert_precomputed_figures_are_the_live_ones():
    """The kept figures are current, equal the figures computed now from the read model, and
    every chart is the sum computed directly from the published entries."""
    from jvap import read_model
    from jvap.public_figures import current, dashboard_data, live_facet_counts

    figures = current()
    assert figures is not None, "the task kept figures of the current data"
    kept = dashboard_data(figures)
    live = dashboard.figures(read_model.everything())
    assert kept["totals"] == live["totals"]
    assert [chart.slug for chart in kept["charts"]] == list(dashboard.CHARTS)
    for chart, live_chart in zip(kept["charts"], live["charts"], strict=True):
        assert _chart_rows(chart) == _chart_rows(live_chart)
        assert str(chart.title) == str(live_chart.title)
    assert_the_charts_are_the_sums_of_the_entries(kept["charts"], kept["totals"])
    assert figures.facet_counts == live_facet_counts()


def test_the_precomputed_figures_follow_a_publication_a_return_and_an_edit(
    precomputed, entries, hidden, secretariat_user, django_capture_on_commit_callbacks
):
    from jvap import services
    from jvap.models import EntryChange

    submitted = hidden[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=submitted.pk),
            user=secretariat_user,
            action=EntryChange.Action.PUBLISHED,
        )
    assert JvapEntry.objects.published().filter(pk=submitted.pk).exists()
    assert_precomputed_figures_are_the_live_ones()

    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=entries["multi"].pk),
            user=secretariat_user,
            action=EntryChange.Action.RETURNED,
            comment="Check the budget",
        )
    assert not JvapEntry.objects.published().filter(pk=entries["multi"].pk).exists()
    assert_precomputed_figures_are_the_live_ones()

    single = entries["single"]
    with django_capture_on_commit_callbacks(execute=True):
        single.budget_eur = Decimal("250000.50")
        single.end_date = single.start_date.replace(year=2022)
        single.save()
    assert_precomputed_figures_are_the_live_ones()


def test_a_change_makes_the_kept_figures_stale_until_the_task_runs(precomputed, entries):
    from jvap.public_figures import current, refresh

    refresh()
    assert current() is not None
    JvapEntryFactory(title="Later", domain=domains_by_number()[1], budget="10")  # not committed yet
    assert current() is None


def test_the_unfiltered_pages_show_the_precomputed_figures_and_their_time(
    client, precomputed, entries, hidden
):
    from jvap.models import PublicFigures
    from jvap.public_figures import refresh

    refresh()
    kept = PublicFigures.objects.get(language="en")
    response = client.get("/jvap/dashboard/")
    assert response.context["figures_computed_at"] == kept.computed_at
    assert response.context["totals"]["funding"] == Decimal("1050000.01")
    assert "Figures computed on" in response.content.decode()
    listing = client.get("/jvap/")
    assert listing.context["figures_computed_at"] == kept.computed_at
    assert listing.context["paginator"].count == 4
    assert "Filter counts computed on" in listing.content.decode()
    # Filtered pages compute their own figures.
    filtered = client.get("/jvap/?domain=2")
    assert "figures_computed_at" not in filtered.context


def test_the_precomputed_facet_counts_are_the_listings_counts(client, precomputed, entries, hidden):
    from jvap.public_figures import refresh

    refresh()
    listing = client.get("/jvap/")
    assert "figures_computed_at" in listing.context
    checked = 0
    for facet in listing.context["facets"]:
        for option in facet.options:
            filtered = client.get("/jvap/", {facet.name: option.value})
            assert filtered.context["paginator"].count == option.count, (facet.name, option)
            checked += 1
    assert checked > 10


def test_stale_figures_are_never_shown(client, precomputed, entries, monkeypatch):
    from jvap import public_figures

    public_figures.refresh()
    monkeypatch.setattr(public_figures, "schedule_refresh", lambda: None)
    JvapEntryFactory(title="Published after", domain=domains_by_number()[1], budget="10")
    response = client.get("/jvap/dashboard/")
    assert response.context["totals"]["entries"] == 5
    assert response.context["totals"]["funding"] == Decimal("1050010.01")


@pytest.mark.parametrize(("path", "saved"), [("/jvap/", 6), ("/jvap/dashboard/", 15)])
def test_the_unfiltered_pages_make_fewer_queries_with_precomputed_figures(
    client, settings, entries, path, saved, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jvap.models import PublicFigures
    from jvap.public_figures import refresh

    settings.PUBLIC_CACHE_SECONDS = 0  # the page cache would hide the work
    with CaptureQueriesContext(connection) as live:
        client.get(path)
    cache.clear()  # the cached aggregates too
    settings.PRECOMPUTED_FIGURES = True
    refresh()
    with django_assert_max_num_queries(len(live) - saved):
        response = client.get(path)
    kept = PublicFigures.objects.get(language="en")
    assert response.context["figures_computed_at"] == kept.computed_at


# --- Charts readable at every width (issue 14) ------------------------------------------------


def test_charts_write_full_labels_as_html_text_with_a_takeaway_above(client, entries):
    response = client.get("/jvap/dashboard/")
    content = response.content.decode()
    domain = domains_by_number()[2]
    # The whole label, not cut at 32 characters, and as page text rather than SVG text that
    # would be scaled down with the chart.
    assert f'<span class="bar-label">2. {domain.name}</span>' in content
    assert "<text" not in content
    chart = charts_of(response)["domain"]
    assert chart.takeaway.startswith("Most entries: ")
    assert f'<p class="chart-takeaway">{chart.takeaway}</p>' in content


def test_bar_widths_stay_numbers_on_french_pages(client, entries):
    content = client.get("/fr/jvap/dashboard/").content.decode()
    assert 'width="100%"' in content and ',5%"' not in content
    assert "Le plus d’entrées" in content


@pytest.mark.parametrize(
    ("query", "tallied"),
    [
        ("", {"entries", "countries", "organisations", "flows"}),
        ("domain=2&dialogue=rabat", {"entries", "countries", "organisations", "flows"}),
        (
            "domain=3&domain=2&type=project&status=ongoing",
            {"entries", "countries", "organisations"},
        ),
        ("partner=IOM", {"countries"}),
        ("country=ne", set()),
        ("year=2019&domain=2", set()),
    ],
)
def test_the_tallies_give_the_figures_of_the_rows(entries, hidden, query, tallied):
    """Under filters that read only a tally's columns, the charts are sums over the tallies
    (a table bounded by the combinations of its columns), and they equal the charts computed
    from the read model's rows, to the cent."""
    from dataclasses import replace

    from django.http import QueryDict

    from jvap import read_model
    from jvap.filters import JvapEntryFilter

    JvapEntryFactory(
        domain=domains_by_number()[2],
        countries=["SN", "ML"],
        donors=["Spain", "Spain", "Italy"],
        implementers=["IOM"],
        budget="300000",
        start="2019-01-01",
        end="2021-06-30",
        dialogue="both",
        status="ongoing",
        partner=organisation_partner("IOM"),
    )
    filterset = JvapEntryFilter(QueryDict(query), queryset=JvapEntry.objects.published())
    selection = read_model.select(filterset)
    assert set(selection.tallies) == tallied
    from_tallies = dashboard.figures(selection)
    from_rows = dashboard.figures(replace(selection, tallies={}))
    assert from_tallies["totals"] == from_rows["totals"]
    assert from_tallies["totals"]["entries"] > 0
    for chart, row_chart in zip(from_tallies["charts"], from_rows["charts"], strict=True):
        assert _chart_rows(chart) == _chart_rows(row_chart), chart.slug
