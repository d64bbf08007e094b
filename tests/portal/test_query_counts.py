"""Each public page makes a fixed number of queries, whatever the number of rows it shows."""

import datetime

import pytest

from tests.dialogues.factories import (
    DocumentFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

# The pinned counts. A change here is a decision: say why in the commit. The home page adds
# the JVAP and Grant Facility figures (two queries: the JVAP totals and the members of the
# published grants; it shows no countries of implementation); dialogue, organisation and
# country pages add the grants section (one query) and country pages the JVAP section (one);
# search adds one query each for JVAP entries and grants.
PAGES = {
    # The home page's chairs come from one prefetch of the components' chair terms (issue 10);
    # the dialogues of its upcoming and recent meetings from one query, the member states and
    # the components counted in one (issue 13).
    "/": 12,
    # A listing's facets are counted in one statement (core.facets.count_facets), which also
    # counts its rows when a facet's filter has no value: no COUNT query of its own.
    "/dialogues/": 3,
    # Upcoming and latest meetings are two lists since issue 10; the dialogues continuing it
    # come with the dialogue (issue 13).
    "/dialogues/rabat-process/": 11,
    "/organisations/": 3,
    "/organisations/ecowas/": 5,
    "/meetings/": 4,
    # The listing checks the dialogue slugs once; it and each of the four facets whose filter
    # is chosen read the text columns for `q` once (the facets reuse the checked values; the
    # others count the listing's own rows): six more, whatever the rows.
    "/meetings/?dialogue=rabat-process&type=thematic-meeting&year=2023&country=it&q=return": 10,
    # An unknown value: no rows are read, only the options of the one facet it leaves valid.
    "/meetings/?type=garden-party": 2,
    "/meetings/dakar-ministerial-conference/": 5,
    "/documents/": 4,
    "/documents/dakar-declaration/": 2,
    "/countries/": 2,
    # Issue 10: the chairs' terms set in their dialogues' histories (one query) and upcoming
    # and past hosted meetings as two lists.
    "/countries/sn/": 10,
    # Two per kind (the bounded scan, then the rows found); "e" finds rows of every kind but
    # the strategic frameworks and their elements (none here: their two scans only).
    "/search/?q=e": 14,
    "/meetings/export.csv": 2,
    "/meetings.ics": 2,
    # The sitemap index: per kind of page, its count (for the pages) and its latest change.
    "/sitemap.xml": 18,
    "/sitemap-meetings.xml": 1,
    # Open data (issue 16): /open-data/ reads each dataset's row count and latest change
    # (the code lists only their count); a dialogue's feed and calendar look the dialogue up.
    "/open-data/": 20,
    "/feeds/meetings.atom": 2,
    "/feeds/dialogues/rabat-process/documents.atom": 3,
    "/dialogues/rabat-process/meetings.ics": 3,
    "/api/v1/meetings/": 2,
    "/api/v1/memberships/?dialogue=rabat-process": 2,
    # Built live here (the test settings build no files): the meetings and their dialogues.
    "/open-data/meetings.csv": 2,
}


def add_many_rows(world, count: int = 30) -> None:
    for number in range(count):
        meeting = MeetingFactory(
            title=f"Extra meeting {number} dakar return",
            start_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=number),
            country="SN" if number % 2 else "IT",
            dialogues=[world.rabat, world.khartoum],
        )
        DocumentFactory(
            title=f"Extra document {number} dakar", meeting=meeting, dialogues=[world.rabat]
        )
        organisation = OrganisationFactory(name=f"Extra organisation {number} dakar")
        MembershipFactory(dialogue=world.rabat, country="", organisation=organisation)
    for code in ("GM", "GN", "ML", "NE", "BF", "CI", "GH", "TG", "BJ", "NG"):
        MembershipFactory(dialogue=world.rabat, country=code)


def consume(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize(("path", "queries"), PAGES.items())
def test_query_count_is_pinned_and_does_not_grow_with_rows(
    client, world, django_assert_num_queries, path, queries
):
    with django_assert_num_queries(queries):
        response = client.get(path)
        consume(response)
    assert response.status_code == 200
    add_many_rows(world)
    with django_assert_num_queries(queries):
        response = client.get(path)
        consume(response)
    assert response.status_code == 200


def test_a_prebuilt_bulk_file_is_served_without_a_query(
    client, world, settings, tmp_path, django_assert_num_queries
):
    """As in production: the file the task built from the current data, read from storage."""
    from core.tasks import build_full_downloads

    settings.FULL_DOWNLOADS_PREBUILT = True
    settings.STORAGES = {
        **settings.STORAGES,
        "full_downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    build_full_downloads.enqueue()
    with django_assert_num_queries(0):
        response = client.get("/open-data/meetings.csv")
        consume(response)
    assert response.status_code == 200
    assert response["X-Download"] == "prebuilt"
