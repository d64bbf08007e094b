"""Background tasks of the platform layer (run by `db_worker`, or RQ workers with Redis).

One worker runs one task at a time and picks the most urgent queued task first (django-tasks-db
orders by priority): a task a person waits for (reading or confirming an upload) goes before
the rest, and the full downloads, which nobody waits for, are rebuilt one file per task, so an
upload waits for one file at most, not for every file of the portal.
"""

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

# Priorities (django-tasks: -100 to 100, default 0).
PERSON_WAITING = 50
NOBODY_WAITING = -50


def prioritised(chosen_task, priority: int):
    """The task at this priority where the backend orders by priority; elsewhere (RQ) as it
    is: there, more workers keep the waiting short (deploy/README.md)."""
    if chosen_task.get_backend().supports_priority:
        return chosen_task.using(priority=priority)
    return chosen_task


def first_of_burst(pending_key: str) -> bool:
    """Whether this call is the first of a burst of changes asking for the same rebuild: true
    until the rebuild's task deletes `pending_key` as it starts, so a burst enqueues one task."""
    return cache.add(pending_key, True, timeout=settings.FULL_DOWNLOADS_PENDING_SECONDS)


def enqueue_once_per_burst(pending_key: str, chosen_task) -> None:
    """Enqueue one run of a rebuild that nobody waits for (the full downloads, precomputed
    figures), however many changes of a burst ask for it (`first_of_burst`)."""
    if first_of_burst(pending_key):
        prioritised(chosen_task, NOBODY_WAITING).enqueue()


@task()
def build_full_downloads() -> list[str]:
    """Queue the rebuild of every full download (settings.FULL_DOWNLOADS and
    FULL_DOWNLOAD_SETS) from the current data, one task per file; the files' names."""
    from .bulk_downloads import build_all

    return build_all()


@task()
def build_full_download(name: str, language: str, export_format: str) -> str:
    """Rebuild one full download's file from the current data."""
    from .bulk_downloads import build_file

    return build_file(name, language, export_format)
