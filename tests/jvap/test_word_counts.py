"""A search of one frequent word shows facet counts kept after the last change
(`jvap.public_figures.keep_word_counts`, `PublicWordCounts`): they are the counts the listing
computes itself for that word, they follow every change of the entries, and a page uses them
only for that word alone and only while they are those of the data it reads."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from jvap import public_figures, services
from jvap.models import EntryChange, JvapEntry, PublicWordCounts
from tests.jvap.factories import JvapEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings, monkeypatch):
    """Counts kept as in production, for any word of at least two entries (a tenth of the
    sample's entries, at most five words)."""
    settings.PRECOMPUTED_FIGURES = True
    settings.PUBLIC_CACHE_SECONDS = 0
    monkeypatch.setattr(public_figures, "FREQUENT_WORD_MATCHES", 2)
    monkeypatch.setattr(public_figures, "FREQUENT_WORDS_KEPT", 5)


@pytest.fixture
def entries():
    return [
        JvapEntryFactory(title="Border management", countries=["SN", "ML"]),
        JvapEntryFactory(title="Borders of Mali", description="Border posts", countries=["ML"]),
        JvapEntryFactory(title="Water and border", countries=["NE"]),
        JvapEntryFactory(title="Gestion des frontières", countries=["SN"]),
        JvapEntryFactory(title="Frontières du Niger", countries=["NE"]),
        JvapEntryFactory(title="Water", review_state=JvapEntry.ReviewState.SUBMITTED),
    ]


def live(word: str) -> dict:
    query = QueryDict(mutable=True)
    query["q"] = word
    return public_figures.live_facet_counts(query)


def shown(response, name: str) -> dict[str, int]:
    """A facet's options with a count above zero, as the filter form shows them."""
    (facet,) = [facet for facet in response.context["facets"] if facet.name == name]
    return {option.value: option.count for option in facet.options if option.count}


def assert_kept_counts_are_the_live_ones() -> None:
    words = set(PublicWordCounts.objects.values_list("word", flat=True))
    assert words
    for word in words:
        assert public_figures.word_counts(word) == live(word), word


def test_the_frequent_words_are_counted_in_the_published_entries_most_frequent_first(kept, entries):
    # "border" is in three published entries, "water" and "frontières" in two (the submitted
    # entry does not count); "borders" and "posts" are in one; a word with a digit or a
    # punctuation mark is not kept.
    JvapEntryFactory(title="Water 2030, border!")

    assert public_figures.frequent_words() == ["border", "water", "frontières"]


def test_at_most_the_most_frequent_words_are_kept(kept, entries, monkeypatch):
    monkeypatch.setattr(public_figures, "FREQUENT_WORDS_KEPT", 1)

    assert public_figures.frequent_words() == ["border"]


def test_nothing_is_kept_when_fewer_entries_are_published_than_a_frequent_word_matches(
    kept, entries, monkeypatch
):
    monkeypatch.setattr(public_figures, "FREQUENT_WORD_MATCHES", 6)

    public_figures.refresh()

    assert public_figures.frequent_words() == []
    assert not PublicWordCounts.objects.exists()


def test_the_kept_counts_are_those_the_listing_computes_for_the_word(kept, entries):
    public_figures.refresh()

    kept_row = PublicWordCounts.objects.get(word="border")
    assert kept_row.entries == 3
    assert kept_row.facet_counts["country"] == {"SN": 1, "ML": 2, "NE": 1}
    assert_kept_counts_are_the_live_ones()


def test_the_listing_shows_the_kept_counts_without_counting_them(client, kept, entries):
    public_figures.refresh()
    border = PublicWordCounts.objects.filter(word="border")
    counts = border.get().facet_counts
    counts["country"]["NE"] = 41  # not a count the listing could compute
    border.update(facet_counts=counts)  # derived data: no change of the data's version

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/jvap/?q=border&sort=title")

    assert shown(page, "country") == {"SN": 1, "ML": 2, "NE": 41}
    assert page.context["paginator"].count == 3  # the sum of the main domains' counts
    kept_reads = [q["sql"] for q in captured if "jvap_publicwordcounts" in q["sql"]]
    assert len(kept_reads) == 1
    assert not [q["sql"] for q in captured if "jvap_publicentry" in q["sql"]]


def test_a_word_in_capitals_reads_the_same_kept_counts_but_other_searches_count_their_own(
    client, kept, entries
):
    public_figures.refresh()
    PublicWordCounts.objects.filter(word="border").update(facet_counts={"country": {"NE": 41}})
    PublicWordCounts.objects.filter(word="frontières").update(facet_counts={"country": {"NE": 42}})

    assert public_figures.word_counts("BORDER") == {"country": {"NE": 41}}
    assert public_figures.word_counts("frontières") == {"country": {"NE": 42}}
    # Accented letters are compared as written: a search of "FRONTIÈRES" counts its own.
    assert public_figures.word_counts("FRONTIÈRES") is None
    assert public_figures.word_counts("border water") is None
    assert public_figures.word_counts("borders") is None
    filtered = client.get("/jvap/?q=border&country=NE")
    assert shown(filtered, "country") == {"SN": 1, "ML": 2, "NE": 1}


def test_the_kept_counts_follow_a_publication_a_return_and_an_edit(
    kept, entries, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public_figures.refresh()
    water = entries[-1]
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=water.pk),
            user=secretariat_user,
            action=EntryChange.Action.PUBLISHED,
        )
    assert PublicWordCounts.objects.get(word="water").entries == 2
    assert_kept_counts_are_the_live_ones()

    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=entries[0].pk),
            user=secretariat_user,
            action=EntryChange.Action.RETURNED,
            comment="Check the budget",
        )
    assert PublicWordCounts.objects.get(word="border").entries == 2
    assert_kept_counts_are_the_live_ones()

    with django_capture_on_commit_callbacks(execute=True):
        entries[2].title = "Water"
        entries[2].save()
    # "border" is left in one published entry: no longer frequent, it is counted live.
    assert not PublicWordCounts.objects.filter(word="border").exists()
    assert public_figures.word_counts("border") is None
    assert PublicWordCounts.objects.get(word="water").entries == 2
    assert_kept_counts_are_the_live_ones()


def test_a_change_not_yet_refreshed_is_counted_live(kept, entries):
    public_figures.refresh()
    assert public_figures.word_counts("border") is not None

    JvapEntryFactory(title="Border crossings")  # not committed: the task has not run

    assert public_figures.word_counts("border") is None
