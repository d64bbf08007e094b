"""Anonymous public pages come from the cache, and any change to the data shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from core.caching import bump_data_version, cached_aggregate, data_version
from tests.dialogues.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(client):
    MeetingFactory(title="Cached meeting")
    first = client.get("/meetings/")
    assert first.status_code == 200 and "X-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/meetings/")
    assert second["X-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content


def test_a_new_meeting_shows_at_once_on_a_cached_page(client):
    client.get("/meetings/")
    MeetingFactory(title="Meeting added after the page was cached")
    assert "Meeting added after the page was cached" in client.get("/meetings/").content.decode()


def test_english_and_french_pages_are_cached_apart(client):
    english = client.get("/meetings/").content
    french = client.get("/fr/meetings/").content
    assert english != french
    assert client.get("/fr/meetings/").content == french


def test_logged_in_staff_never_get_a_cached_page(client, secretariat_user):
    client.get("/meetings/")
    client.force_login(secretariat_user)
    response = client.get("/meetings/")
    assert "X-Cache" not in response


def test_downloads_are_never_cached(client):
    client.get("/meetings/export.csv")
    assert "X-Cache" not in client.get("/meetings/export.csv")


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_caching_can_be_turned_off(client):
    client.get("/meetings/")
    assert "X-Cache" not in client.get("/meetings/")


def test_an_aggregate_is_computed_once_per_data_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached_aggregate("test-figure", compute) == 1
    assert cached_aggregate("test-figure", compute) == 1
    bump_data_version()
    assert cached_aggregate("test-figure", compute) == 2


def test_keeping_derived_figures_is_not_a_change_of_the_data():
    """A task that keeps figures derived from the data (`core.derived`) runs after a change;
    if keeping them changed the data version, every page would be counted again and the task
    scheduled once more, without end."""
    from jvap.models import PublicWordCounts

    before = data_version()
    kept = PublicWordCounts.objects.create(
        word="border", data_version=before, entries=1, facet_counts={}
    )
    kept.delete()
    assert data_version() == before
    MeetingFactory()
    assert data_version() != before


def test_a_validated_jvap_entry_is_visible_at_once_on_cached_pages(client, secretariat_user):
    from jvap.models import EntryChange, JvapEntry
    from jvap.services import entries_review
    from tests.jvap.factories import JvapEntryFactory, domains_by_number

    entry = JvapEntryFactory(
        domain=domains_by_number()[3],
        title="Entry awaiting validation",
        review_state=JvapEntry.ReviewState.SUBMITTED,
    )
    assert "Entry awaiting validation" not in client.get("/jvap/").content.decode()
    assert client.get("/jvap/")["X-Cache"] == "hit"

    entries_review(
        entries=JvapEntry.objects.filter(pk=entry.pk),
        user=secretariat_user,
        action=EntryChange.Action.PUBLISHED,
    )

    listing = client.get("/jvap/")
    assert "X-Cache" not in listing
    assert "Entry awaiting validation" in listing.content.decode()
