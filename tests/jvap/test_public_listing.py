"""`/jvap/`: every filter alone and combined, unknown values, sorting, pagination, and only
published entries."""

import pytest
from django.urls import reverse

from jvap.models import JvapEntry
from tests.jvap.factories import (
    JvapEntryFactory,
    ReportingPartnerFactory,
    domains_by_number,
    organisation_partner,
)

pytestmark = pytest.mark.django_db

LISTING = "/jvap/"


@pytest.fixture
def entries():
    domains = domains_by_number()
    senegal = ReportingPartnerFactory(country="SN", code="SN")
    iom = organisation_partner("IOM")
    return {
        "A": JvapEntryFactory(
            title="Water for Dakar",
            domain=domains[1],
            countries=["SN"],
            type="project",
            status="ongoing",
            dialogue="rabat",
            partner=senegal,
            start="2018-03-01",
            end="2020-06-30",
            budget="1000000",
            implementers=["International Organization for Migration"],
        ),
        "B": JvapEntryFactory(
            title="Policy on mobility",
            description="Border management along the Sahel routes.",
            domain=domains[2],
            countries=["NE", "ML"],
            type="policy",
            status="planned",
            dialogue="khartoum",
            partner=iom,
            start="2022-01-01",
        ),
        "C": JvapEntryFactory(
            title="Reintegration in Lagos",
            domain=domains[3],
            countries=["NG"],
            type="project",
            status="completed",
            dialogue="both",
            partner=senegal,
            start="2015-01-01",
            end="2016-12-31",
            budget="500000",
            donors=["European Union"],
        ),
        "D": JvapEntryFactory(
            title="Submitted in Niger",
            domain=domains[1],
            countries=["NE"],
            partner=senegal,
            review_state=JvapEntry.ReviewState.SUBMITTED,
            budget="900000",
        ),
        "E": JvapEntryFactory(
            title="Returned in Senegal",
            description="Border management",
            domain=domains[2],
            countries=["SN"],
            partner=iom,
            review_state=JvapEntry.ReviewState.RETURNED,
        ),
    }


def titles(response):
    return [entry.title for entry in response.context["entries"]]


def keys_of(entries, response):
    by_title = {entry.title: key for key, entry in entries.items()}
    return {by_title[title] for title in titles(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"A", "B", "C"}),
        ("domain=1", {"A"}),
        ("domain=1&domain=2", {"A", "B"}),
        ("country=SN", {"A"}),
        ("country=sn", {"A"}),
        ("country=NE", {"B"}),
        ("country=ne&country=NG", {"B", "C"}),
        ("type=policy", {"B"}),
        ("type=project", {"A", "C"}),
        ("status=completed", {"C"}),
        ("status=planned", {"B"}),
        ("dialogue=rabat", {"A", "C"}),
        ("dialogue=khartoum", {"B", "C"}),
        ("dialogue=both", {"C"}),
        ("partner=SN", {"A", "C"}),
        ("partner=iom", {"B"}),
        ("year=2019", {"A"}),
        ("year=2016", {"C"}),
        ("year=2030", {"B"}),
        ("year=2018", {"A"}),
        ("budget_min=600000", {"A"}),
        ("budget_max=600000", {"C"}),
        ("budget_min=500000&budget_max=1000000", {"A", "C"}),
        ("q=dakar", {"A"}),
        ("q=BORDER", {"B"}),
        ("q=organization+migration", {"A"}),
        ("q=european", {"C"}),
        ("q=nothing-like-this", set()),
        ("domain=1&country=SN&type=project&status=ongoing&year=2019", {"A"}),
        ("dialogue=rabat&partner=SN&budget_max=700000", {"C"}),
        ("domain=2&domain=3&country=NG&q=lagos", {"C"}),
        ("domain=1&country=NE", set()),
    ],
)
def test_each_filter_alone_and_combined_shows_exactly_the_matching_published_entries(
    client, entries, query, expected
):
    response = client.get(f"{LISTING}?{query}")
    assert response.status_code == 200
    assert keys_of(entries, response) == expected
    assert response.context["paginator"].count == len(expected)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("domain=9", "9"),
        ("domain=one", "one"),
        ("country=XX", "XX"),
        ("country=SN&country=ZZ", "ZZ"),
        ("type=programme", "programme"),
        ("status=finished", "finished"),
        ("dialogue=budapest", "budapest"),
        ("partner=NOBODY", "NOBODY"),
        ("sort=colour", "colour"),
        ("year=last", "whole number"),
        ("year=1800", "1950"),
        ("budget_min=-5", "0"),
        ("budget_max=lots", "number"),
        ("budget_min=900&budget_max=100", "below the smallest budget"),
    ],
)
def test_an_unknown_value_gives_a_clear_message_and_no_rows(client, entries, query, named):
    response = client.get(f"{LISTING}?{query}")
    assert response.status_code == 200
    assert titles(response) == []
    content = response.content.decode()
    assert "These filters cannot be applied" in content
    assert named in content


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["B", "A", "C"]),
        ("-start", ["B", "A", "C"]),
        ("start", ["C", "A", "B"]),
        ("-budget", ["A", "C", "B"]),
        ("budget", ["C", "A", "B"]),
        ("title", ["B", "C", "A"]),
        ("-title", ["A", "C", "B"]),
        ("-end", ["A", "C", "B"]),
        ("end", ["C", "A", "B"]),
    ],
)
def test_sorting_keeps_empty_values_last(client, entries, sort, expected):
    response = client.get(f"{LISTING}?sort={sort}")
    assert titles(response) == [entries[key].title for key in expected]


def test_unpublished_entries_never_appear_even_when_their_words_are_searched(client, entries):
    response = client.get(f"{LISTING}?q=border&country=SN&country=NE")
    assert keys_of(entries, response) == {"B"}
    content = response.content.decode()
    assert "Submitted in Niger" not in content
    assert "Returned in Senegal" not in content


def test_the_filter_form_counts_each_option_under_the_other_filters(client, entries):
    response = client.get(f"{LISTING}?domain=1")
    facets = {facet.name: facet for facet in response.context["facets"]}
    domain_counts = {option.value: option.count for option in facets["domain"].options}
    assert domain_counts == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}
    assert [o.value for o in facets["domain"].options if o.selected] == ["1"]
    country_counts = {option.value: option.count for option in facets["country"].options}
    assert country_counts == {"SN": 1}
    dialogue_counts = {option.value: option.count for option in facets["dialogue"].options}
    assert dialogue_counts == {"rabat": 1, "khartoum": 0, "both": 0}


def test_pages_follow_each_other_without_overlap(client, entries, settings):
    domain = entries["A"].domain
    for number in range(30):
        JvapEntryFactory(title=f"Filler {number:02}", domain=domain, start="2019-01-01")
    first = client.get(f"{LISTING}?sort=title")
    second = client.get(f"{LISTING}?sort=title&page=2")
    assert first.context["paginator"].count == 33
    assert not set(titles(first)) & set(titles(second))
    assert len(titles(first)) + len(titles(second)) == 33
    assert "sort=title&amp;page=2" in first.content.decode()


def test_the_listing_links_each_entry_and_offers_the_three_downloads(client, entries):
    response = client.get(f"{LISTING}?country=SN")
    content = response.content.decode()
    assert reverse("jvap:entry_detail", kwargs={"pk": entries["A"].pk}) in content
    for export_format in ("csv", "xlsx", "json"):
        assert f"/jvap/export.{export_format}?country=SN" in content
    assert "/jvap/dashboard/?country=SN" in content


def _row_of(content: str, title: str) -> str:
    """The table row whose heading links the entry's title."""
    start = content.rindex("<tr>", 0, content.index(f">{title}</a>"))
    return content[start : content.index("</tr>", start)]


def test_each_row_shows_the_entrys_cells_in_the_visitors_language(client, entries):
    domain = entries["B"].domain
    row = _row_of(client.get(LISTING).content.decode(), "Policy on mobility")
    assert f'href="/jvap/{entries["B"].pk}/"' in row
    assert "Policy · Khartoum Process" in row
    assert "<td>Partner organisation IOM (IOM)</td>" in row
    assert f"<td>2. {domain.name}</td>" in row
    assert "<td>Mali, Niger</td>" in row  # in the codes' order, ML before NE
    assert "<td>Planned</td>" in row
    assert '<td class="number">–</td>' in row  # no budget
    assert "<td>2022–…</td>" in row  # no end date
    row = _row_of(client.get(LISTING).content.decode(), "Water for Dakar")
    assert '<td class="number">1,000,000</td>' in row
    assert "<td>2018–2020</td>" in row
    french = _row_of(client.get(f"/fr{LISTING}").content.decode(), "Policy on mobility")
    assert f'href="/fr/jvap/{entries["B"].pk}/"' in french
    assert f"<td>2. {domain.name_fr or domain.name}</td>" in french
    assert "<td>Mali, Niger</td>" in french
    assert "Politique · Processus de Khartoum" in french
    french = _row_of(client.get(f"/fr{LISTING}").content.decode(), "Water for Dakar")
    assert '<td class="number">1\xa0000\xa0000</td>' in french
    assert "<td>Sénégal</td>" in french


def test_an_empty_database_says_so(client, db):
    response = client.get(LISTING)
    assert response.status_code == 200
    assert "No entry has been published yet." in response.content.decode()


def test_column_headers_sort_the_table_and_keep_the_filters(client, entries):
    content = client.get(f"{LISTING}?country=SN&sort=title&page=1").content.decode()
    assert 'aria-sort="ascending"><a href="?country=SN&amp;sort=-title">Title' in content
    assert '<a href="?country=SN&amp;sort=budget">Budget (EUR)' in content
    assert 'aria-sort="descending"' not in content
    default = client.get(LISTING).content.decode()
    assert 'aria-sort="descending"><a href="?sort=start">Dates' in default


@pytest.mark.parametrize("sort", ["-start", "start", "-budget", "budget", "title", "-title", "end"])
def test_every_page_read_from_either_end_shows_the_rows_of_the_whole_sorted_listing(
    client, entries, sort, monkeypatch
):
    """Pages in the second half are read backwards over the sort index (core.pagination): they
    hold exactly the rows a plain OFFSET would give, with ties and empty values in place."""
    from jvap.views.public import EntryListView

    monkeypatch.setattr(EntryListView, "paginate_by", 4)
    domain = entries["A"].domain
    for number in range(11):
        JvapEntryFactory(
            title=f"Filler {number % 3}",
            domain=domain,
            start="2019-01-01" if number % 2 else None,
            budget=None if number % 3 else "250000",
        )
    whole = client.get(f"{LISTING}?sort={sort}").context["paginator"].object_list
    expected = [entry.title for entry in whole]
    pages = [titles(client.get(f"{LISTING}?sort={sort}&page={n}")) for n in range(1, 5)]
    assert [len(page) for page in pages] == [4, 4, 4, 2]
    assert [title for page in pages for title in page] == expected
    assert titles(client.get(f"{LISTING}?sort={sort}&page=99")) == pages[-1]


@pytest.mark.parametrize("sort", ["-start", "start", "-end", "end", "-budget", "budget", "title"])
def test_the_pages_of_one_country_are_the_rows_of_the_whole_sorted_listing(
    client, entries, sort, monkeypatch
):
    """With one country chosen, a page's entries are sorted in the read model's rows of that
    country (`PublicEntryCountry` carries the dates and budget): each page holds exactly the
    rows the filtered, sorted entries give, ties and empty values in place."""
    from jvap.filters import JvapEntryFilter, sort_ordering
    from jvap.views.public import EntryListView

    monkeypatch.setattr(EntryListView, "paginate_by", 4)
    domain = entries["A"].domain
    for number in range(11):
        JvapEntryFactory(
            title=f"Filler {number % 3}",
            domain=domain,
            countries=["SN", "ML"] if number % 2 else ["SN"],
            start="2019-01-01" if number % 2 else None,
            end=f"202{number % 4}-06-30" if number % 3 else None,
            budget=None if number % 3 else "250000",
        )
    query = f"country=sn&domain={domain.number}&sort={sort}"
    listed = JvapEntryFilter(
        {"country": "sn", "domain": str(domain.number)}, queryset=JvapEntry.objects.published()
    ).qs.order_by(*sort_ordering(sort))
    expected = [entry.title for entry in listed]
    assert len(expected) == 12
    responses = [client.get(f"{LISTING}?{query}&page={n}") for n in range(1, 4)]
    assert [title for response in responses for title in titles(response)] == expected
    read_model_sorts = sort != "title"  # the title is not in the read model
    assert (responses[0].context["view"].sorted_keys is not None) == read_model_sorts
