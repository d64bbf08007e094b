"""Background tasks of the platform layer (run by `db_worker`, or RQ workers with Redis)."""

from django_tasks import task


@task()
def build_full_downloads() -> list[str]:
    """Rebuild every full download (settings.FULL_DOWNLOADS) from the current data."""
    from .bulk_downloads import build_all

    return build_all()
