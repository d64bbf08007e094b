"""A dialogue's meetings by type, the table of its page: counted by a task after each change
and kept with the data version they were counted at (dialogues.figures); the page shows the
kept counts only at that version and counts them itself at any other, so it never shows
counts older than the data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.caching import VERSION_KEY, data_version
from dialogues import figures
from dialogues.figures import counted_now, refresh
from dialogues.models import Meeting, MeetingTypeCounts
from tests.dialogues.factories import DialogueFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PAGE = "/dialogues/rabat-process/"


@pytest.fixture
def precomputed(settings):
    settings.PRECOMPUTED_FIGURES = True  # the test settings count every figure live
    settings.PUBLIC_CACHE_SECONDS = 0  # the page cache would hide the work


def kept(dialogue) -> dict[str, int]:
    return MeetingTypeCounts.objects.get(dialogue=dialogue).counts


def page_counts(client) -> dict[str, int]:
    response = client.get(PAGE)
    return {row["type"]: row["count"] for row in response.context["meeting_counts"]}


def test_the_refresh_keeps_every_dialogues_meetings_by_type_at_the_current_version(world):
    quiet = DialogueFactory()  # no meetings yet: kept as no counts

    assert refresh() == 3

    assert (
        kept(world.rabat)
        == counted_now(world.rabat)
        == {
            "ministerial-conference": 1,
            "thematic-meeting": 1,
            "steering-committee-meeting": 1,
        }
    )
    assert kept(world.khartoum) == {"thematic-meeting": 1, "senior-officials-meeting": 1}
    assert kept(quiet) == {}
    assert set(MeetingTypeCounts.objects.values_list("data_version", flat=True)) == {data_version()}


def test_keeping_the_counts_is_not_a_change_of_the_data(world):
    refresh()
    version = data_version()
    refresh()  # the rows exist: written again
    assert data_version() == version


def test_the_page_reads_the_kept_counts_with_the_dialogue_and_shows_the_same_page(
    client, world, precomputed, settings, django_assert_num_queries
):
    refresh()
    settings.PRECOMPUTED_FIGURES = False
    with CaptureQueriesContext(connection) as live:
        counted = client.get(PAGE).content.decode()
    settings.PRECOMPUTED_FIGURES = True
    # The counting query is gone: the kept counts come with the dialogue.
    with django_assert_num_queries(len(live) - 1):
        kept_page = client.get(PAGE).content.decode()
    assert kept_page == counted
    assert "3 meetings by type" in kept_page


def test_a_change_not_yet_counted_is_counted_live_on_the_connection_that_made_it(
    client, world, precomputed
):
    refresh()
    MeetingFactory(type=Meeting.Type.WEBINAR, dialogues=[world.rabat])  # not committed
    assert page_counts(client)["webinar"] == 1
    # Only the commit schedules a refresh: counted before it, the kept counts would not
    # include the change for the other processes.
    assert "webinar" not in kept(world.rabat)


def test_counts_of_another_version_are_not_shown_and_a_refresh_is_scheduled(
    client, world, precomputed, monkeypatch
):
    refresh()
    MeetingTypeCounts.objects.filter(dialogue=world.rabat).update(counts={"summit": 99})
    assert page_counts(client) == {"summit": 99}  # kept at the current version: shown
    cache.set(VERSION_KEY, "drawn anew: the cache lost the version", timeout=None)
    # As in a server process, where the world's rows are committed.
    monkeypatch.setattr(figures, "uncommitted_changes", lambda: False)

    assert page_counts(client) == counted_now(world.rabat)
    # The test settings run the scheduled task at once: the counts are kept again.
    assert kept(world.rabat) == counted_now(world.rabat)
    assert MeetingTypeCounts.objects.get(dialogue=world.rabat).data_version == data_version()


def test_a_change_schedules_a_refresh_that_keeps_the_new_counts(
    world, precomputed, django_capture_on_commit_callbacks
):
    refresh()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(
            type=Meeting.Type.SUMMIT, start_date=datetime.date(2020, 5, 5), dialogues=[]
        )
    with django_capture_on_commit_callbacks(execute=True):
        meeting.dialogues.add(world.khartoum)  # a link alone is a change too
    assert kept(world.khartoum) == counted_now(world.khartoum)
    assert kept(world.khartoum)["summit"] == 1
    assert MeetingTypeCounts.objects.get(dialogue=world.khartoum).data_version == data_version()


def test_without_precomputed_figures_the_page_counts_live(client, world):
    refresh()
    MeetingTypeCounts.objects.filter(dialogue=world.rabat).update(counts={"summit": 99})
    assert page_counts(client) == counted_now(world.rabat)
