"""Background tasks of the dialogues app."""

from django_tasks import task


@task()
def refresh_meeting_type_counts() -> int:
    """Count every dialogue's meetings by type again from the current data."""
    from .figures import refresh

    return refresh()
