"""/meetings/ filters: each query parameter alone, combined, and with values that do not exist."""

from urllib.parse import parse_qsl, urlencode

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"dakar", "rome", "asmara", "future"}),
        ("dialogue=rabat-process", {"dakar", "rome", "future"}),
        ("dialogue=khartoum-process", {"rome", "asmara"}),
        ("dialogue=rabat-process&dialogue=khartoum-process", {"dakar", "rome", "asmara", "future"}),
        ("type=ministerial-conference", {"dakar"}),
        ("type=thematic-meeting", {"rome"}),
        ("year=2023", {"rome"}),
        ("country=sn", {"dakar"}),
        ("country=SN", {"dakar"}),
        ("status=planned", {"future"}),
        ("status=held", {"dakar", "rome", "asmara"}),
        ("q=dakar", {"dakar"}),
        ("q=RETURN", {"rome"}),
        ("dialogue=rabat-process&year=2024", {"dakar"}),
        ("dialogue=khartoum-process&type=thematic-meeting&country=it", {"rome"}),
        ("dialogue=rabat-process&status=held&q=meeting", {"rome"}),
        ("type=ministerial-conference&year=2023", set()),
    ],
)
def test_each_filter_alone_and_combined_gives_exactly_the_matching_meetings(
    client, world, query, expected
):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == {world.meetings[key].title for key in expected}


def test_a_joint_meeting_is_listed_once_when_both_its_dialogues_are_chosen(client, world):
    response = client.get("/meetings/?dialogue=rabat-process&dialogue=khartoum-process")
    assert titles(response).count("Thematic meeting on return") == 1


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["asmara", "rome", "dakar", "future"]),
        ("-date", ["future", "dakar", "rome", "asmara"]),
        ("title", ["dakar", "asmara", "future", "rome"]),
    ],
)
def test_sort_orders_by_date_either_way_or_by_title(client, world, sort, expected):
    response = client.get(f"/meetings/?sort={sort}")
    assert titles(response) == [world.meetings[key].title for key in expected]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=garden-party", "There is no such meeting type: “garden-party”."),
        ("dialogue=tea-process", "There is no dialogue “tea-process”."),
        ("country=zz", "There is no country with the code “zz”"),
        ("year=twenty", "The year must be four digits, such as 2024."),
        ("status=imagined", "There is no such meeting status: “imagined”."),
        ("sort=colour", "Sort by date, -date or title, not “colour”."),
    ],
)
def test_an_unknown_value_shows_a_message_naming_it_and_no_rows(client, world, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    assert titles(response) == []
    content = response.content.decode()
    assert message in content
    assert "These filters cannot be applied" in content


def test_an_unknown_type_is_explained_in_french_on_the_french_page(client, world):
    response = client.get("/fr/meetings/?type=garden-party")
    assert "Ce type de réunion n’existe pas : « garden-party »." in response.content.decode()
    assert titles(response) == []


def test_the_form_shows_counts_per_option_from_the_other_filters(client, world):
    response = client.get("/meetings/?dialogue=khartoum-process")
    facets = {facet.name: facet for facet in response.context["facets"]}
    types = {option.value: option.count for option in facets["type"].options}
    assert types == {"thematic-meeting": 1, "senior-officials-meeting": 1}
    dialogues = {
        option.value: (option.count, option.selected) for option in facets["dialogue"].options
    }
    # The dialogue facet ignores its own choice: it says what choosing the other would add.
    assert dialogues == {"rabat-process": (3, False), "khartoum-process": (2, True)}
    countries = {option.value: option.label for option in facets["country"].options}
    assert countries == {"it": "Italy", "et": "Ethiopia"}
    content = response.content.decode()
    assert "Thematic meeting (1)" in content


@pytest.mark.parametrize("others", ["", "type=thematic-meeting", "status=held&q=meeting"])
def test_each_dialogue_count_is_how_many_meetings_choosing_it_lists(client, world, others):
    """Counted without DISTINCT (a meeting meets each dialogue once): a joint meeting counts
    once for each of its dialogues, never twice for one."""
    response = client.get(f"/meetings/?{others}")
    facets = {facet.name: facet for facet in response.context["facets"]}
    for option in facets["dialogue"].options:
        listed = client.get(f"/meetings/?{others}&dialogue={option.value}")
        assert option.count == listed.context["paginator"].count


@pytest.mark.parametrize(
    "others",
    [
        "",
        "type=thematic-meeting",
        "dialogue=rabat-process&status=held",
        "dialogue=rabat-process&dialogue=khartoum-process&year=2024",
        "country=it&q=meeting",
    ],
)
def test_every_facet_count_is_how_many_meetings_choosing_that_option_lists(client, world, others):
    """The facets counted together (GROUPING SETS on PostgreSQL, one UNION ALL on both)
    give, for every option, the count of the listing that chooses it instead."""
    response = client.get(f"/meetings/?{others}")
    for facet in response.context["facets"]:
        kept = [(name, value) for name, value in parse_qsl(others) if name != facet.name]
        for option in facet.options:
            query = urlencode([*kept, (facet.name, option.value)])
            cache.clear()  # the page itself, not the page cache's copy, with its context
            listed = client.get(f"/meetings/?{query}")
            assert option.count == listed.context["paginator"].count, (facet.name, option)


def test_the_form_keeps_the_parameters_so_that_the_filtered_address_can_be_shared(client, world):
    response = client.get("/meetings/?type=thematic-meeting&country=it&q=return")
    content = response.content.decode()
    assert '<option value="thematic-meeting" selected>' in content
    assert '<option value="it" selected>' in content
    assert 'name="q" value="return"' in content
    assert response.context["query_without_page"] == "type=thematic-meeting&country=it&q=return"


def test_pages_keep_the_filters(client, world, settings):
    from dialogues.views import MeetingListView

    MeetingListView.paginate_by, original = 2, MeetingListView.paginate_by
    try:
        response = client.get("/meetings/?status=held")
        assert len(titles(response)) == 2
        assert "?status=held&amp;page=2" in response.content.decode()
        second = client.get("/meetings/?status=held&page=2")
        assert len(titles(second)) == 1
    finally:
        MeetingListView.paginate_by = original


def test_words_ignore_case_and_accents_in_both_languages(client, world):
    assert titles(client.get("/meetings/?q=CONFERENCE ministerielle")) == [
        "Dakar Ministerial Conference"
    ]
    assert titles(client.get("/fr/meetings/?q=conférence")) == ["Dakar Ministerial Conference"]
    assert titles(client.get("/meetings/?q=dakar nowhere")) == []


def test_empty_parameters_from_the_form_mean_no_filter(client, world):
    response = client.get("/meetings/?q=&type=&year=&country=&status=&sort=-date")
    assert len(titles(response)) == 4
    assert response.context["has_errors"] is False


@pytest.mark.parametrize("query", ["", "status=held", "sort=title", "sort=-date", "sort=date"])
def test_every_page_holds_the_rows_of_the_whole_listing_in_its_order(client, query, monkeypatch):
    """Pages read their keys first (core.pagination), the later half from the other end, also
    in the meetings' reading order (upcoming first, soonest first, then the most recent)."""
    import datetime

    from dialogues.models import Meeting
    from dialogues.views import MeetingListView
    from tests.dialogues.factories import MeetingFactory

    monkeypatch.setattr(MeetingListView, "paginate_by", 4)
    today = datetime.date.today()
    for number in range(14):
        upcoming = number % 3 == 0
        days = (number % 4) * 30
        MeetingFactory(
            title=f"Meeting {number % 5}",
            start_date=today + datetime.timedelta(days=days + 1 if upcoming else -days - 1),
            status=Meeting.Status.PLANNED if upcoming else Meeting.Status.HELD,
        )
    whole = client.get(f"/meetings/?{query}").context["paginator"].object_list
    expected = [meeting.pk for meeting in whole]
    assert (
        len(expected)
        == Meeting.objects.filter(**({"status": "held"} if "status" in query else {})).count()
    )
    pages = [
        [m.pk for m in client.get(f"/meetings/?{query}&page={n}").context["object_list"]]
        for n in range(1, (len(expected) + 3) // 4 + 1)
    ]
    assert [pk for page in pages for pk in page] == expected
    if not query:
        first = Meeting.objects.get(pk=expected[0])
        assert first.start_date >= today  # upcoming first


@pytest.mark.parametrize(
    "query",
    [
        "",
        "dialogue=rabat-process&dialogue=khartoum-process",
        "dialogue=khartoum-process&year=2024",
        "type=garden-party",
        "dialogue=rabat-process&type=ministerial-conference&year=2024&country=sn&status=held",
    ],
)
def test_the_total_is_how_many_meetings_are_listed(client, world, query):
    """Counted with the facets (core.facets.count_facets): a meeting of two chosen dialogues
    counts once, an invalid value gives none."""
    response = client.get(f"/meetings/?{query}")
    meetings = response.context["object_list"]
    assert response.context["paginator"].count == len(meetings) == len({m.pk for m in meetings})
