"""Test data written as one burst of changes, as a server's task queue sees it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_burst_of_changes() -> Iterator[None]:
    """The JVAP figures are refreshed once after the block, if its writes changed the data.

    On a server a burst of changes enqueues one refresh (`jvap.public_figures.schedule_refresh`
    holds its pending key until the worker runs it). The tests' immediate task backend runs
    the refresh within the enqueue, which frees the key at once, so in a transactional test
    each committed row of a fixture's data rebuilt the read model and the figures (about 85
    refreshes, 0.1 s each, for the portal's small world). Inside the block the key stays
    taken; the one refresh after it sees the same data as the last of those did.
    """
    from django.conf import settings
    from django.core.cache import cache

    from core.caching import data_changed
    from jvap.public_figures import PENDING_KEY, schedule_refresh

    changed = []

    def note_change(**kwargs) -> None:
        changed.append(True)

    took_key = cache.add(PENDING_KEY, True, timeout=settings.FULL_DOWNLOADS_PENDING_SECONDS)
    data_changed.connect(note_change, weak=False, dispatch_uid="tests_one_burst_of_changes")
    try:
        yield
    finally:
        data_changed.disconnect(dispatch_uid="tests_one_burst_of_changes")
        if took_key:
            cache.delete(PENDING_KEY)
    if changed:
        schedule_refresh()
