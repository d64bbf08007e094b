"""The counts of a dialogue's meetings by type, kept for its page.

A background task counts them for every dialogue after each change of the data
(`core.caching.data_changed`) and keeps them in `MeetingTypeCounts` with the data version they
were counted at; the page reads them with the dialogue (`select_related`), and counts them
itself when they were counted at another version: a change the task has not counted yet, or
its own uncommitted changes (a test, a service). So the page never shows counts older than
the data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count

from core.caching import data_version, uncommitted_changes

from .models import Dialogue, Meeting, MeetingTypeCounts

PENDING_KEY = "mmd:dialogue-meeting-counts:pending"


def meeting_type_counts(dialogue: Dialogue) -> dict[str, int]:
    """{type: count} of the dialogue's meetings: the kept ones when they were counted at the
    current data version (read with the dialogue: `select_related("meeting_type_counts")`),
    else counted now, one query (and a refresh scheduled, for a version the cache drew anew).
    Off with the other precomputed figures (`settings.PRECOMPUTED_FIGURES`)."""
    kept = getattr(dialogue, "meeting_type_counts", None)
    if settings.PRECOMPUTED_FIGURES:
        if kept is not None and kept.data_version == data_version():
            return kept.counts
        if not uncommitted_changes():  # else its commit schedules one
            schedule_refresh()
    return counted_now(dialogue)


def counted_now(dialogue: Dialogue) -> dict[str, int]:
    """{type: count} of the dialogue's meetings, counted now. A meeting is linked to a dialogue
    once (the link table is unique), so its rows are counted without DISTINCT (which made
    PostgreSQL sort every row of the join)."""
    rows = dialogue.meetings.order_by().values_list("type").annotate(count=Count("pk"))
    return dict(rows)


def schedule_refresh(**kwargs: Any) -> None:
    """Enqueue one refresh of the counts (a burst of changes enqueues one task)."""
    from core.tasks import enqueue_once_per_burst

    from .tasks import refresh_meeting_type_counts

    if settings.PRECOMPUTED_FIGURES:
        enqueue_once_per_burst(PENDING_KEY, refresh_meeting_type_counts)


def refresh() -> int:
    """Count every dialogue's meetings by type now and keep the counts (the task): one grouped
    query, one write. The number of dialogues counted."""
    cache.delete(PENDING_KEY)
    # Read before counting: a change meanwhile draws a new version, and schedules a refresh.
    version = data_version()
    counts: dict[int, dict[str, int]] = {
        pk: {} for pk in Dialogue.objects.values_list("pk", flat=True)
    }
    links = Meeting.dialogues.through.objects.order_by().values_list("dialogue", "meeting__type")
    for dialogue, meeting_type, count in links.annotate(count=Count("pk")):
        counts[dialogue][meeting_type] = count
    # One write for every dialogue (writing derived data is no change of the data:
    # core.caching).
    MeetingTypeCounts.objects.bulk_create(
        [
            MeetingTypeCounts(dialogue_id=pk, data_version=version, counts=by_type)
            for pk, by_type in counts.items()
        ],
        update_conflicts=True,
        unique_fields=["dialogue"],
        update_fields=["data_version", "counts"],
    )
    return len(counts)
