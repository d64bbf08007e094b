"""Background tasks of the JVAP database (run by `db_worker`, or RQ workers with Redis)."""

from django_tasks import task


@task()
def refresh_public_figures() -> list[str]:
    """Recompute the unfiltered dashboard and facet counts from the current data."""
    from .public_figures import refresh

    return refresh()
