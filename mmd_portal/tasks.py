"""Background tasks of the project package."""

from django_tasks import task


@task()
def refresh_home_figures() -> str:
    """Count the home page's figures and map again from the current data."""
    from .figures import refresh

    return refresh()
