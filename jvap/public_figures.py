"""The unfiltered JVAP dashboard and facet counts, computed once per data change.

After each change of the data (`core.caching.data_changed`, the moment the full downloads are
rebuilt too) a background task rebuilds the read model (`jvap.read_model`) and, in the same
transaction, computes from it the figures of the unfiltered dashboard (totals and every
chart) and the unfiltered listing's facet counts, in every language, and keeps them in
`PublicFigures`. The unfiltered pages read them: they are the figures of the last completed
refresh, as every filtered figure is (the read model's tables), and they stay valid when the
cache is emptied (they are kept in the database, not keyed by the cache's data version). A
connection with changes of its own not yet committed computes its figures from the read
model, which it rebuilds for itself (`read_model.ensure_current`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from core.caching import data_version, uncommitted_changes

from . import dashboard as dashboard_figures
from . import read_model
from .filters import JvapEntryFilter
from .models import JvapEntry, PublicFigures

PENDING_KEY = "mmd:jvap-public-figures:pending"


def schedule_refresh(**kwargs: Any) -> None:
    """Enqueue one refresh of the read model and the figures (a burst of changes enqueues one
    task)."""
    from core.tasks import first_of_burst

    from .tasks import refresh_public_figures

    if first_of_burst(PENDING_KEY):
        refresh_public_figures.enqueue()


def refresh() -> list[str]:
    """Rebuild the read model and compute the unfiltered figures in every language from it,
    in one transaction (the task)."""
    cache.delete(PENDING_KEY)
    with transaction.atomic():
        # Read before rebuilding: a change during the rebuild draws a new version, which the
        # task it schedules refreshes again.
        version = data_version()
        read_model.refresh_tables(version)
        everything = read_model.everything()
        counts = live_facet_counts()
        rows = []
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                rows.append(
                    PublicFigures(
                        language=language,
                        data_version=version,
                        computed_at=timezone.now(),
                        dashboard=dashboard_payload(dashboard_figures.figures(everything)),
                        facet_counts=counts,
                    )
                )
        # bulk_create sends no post_save: keeping derived figures is not a change of the data.
        PublicFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["language"],
            update_fields=["data_version", "computed_at", "dashboard", "facet_counts"],
        )
    return [row.language for row in rows]


def live_facet_counts() -> dict[str, dict[str, int] | None]:
    """The unfiltered listing's facet counts, computed now by the listing itself."""
    from .views.public import EntryListView

    request = HttpRequest()
    request.method = "GET"
    view = EntryListView()
    view.setup(request)
    published = JvapEntry.objects.published()
    return view.live_facet_counts(JvapEntryFilter(QueryDict(), queryset=published))


def current() -> PublicFigures | None:
    """The figures of the visitor's language from the last completed refresh (one query), or
    None: when there are none yet (a refresh is scheduled), and on a connection whose own
    uncommitted changes they do not include."""
    if not settings.PRECOMPUTED_FIGURES:
        return None
    read_model.ensure_current()
    figures = PublicFigures.objects.filter(
        language=translation.get_language() or settings.LANGUAGE_CODE
    ).first()
    if figures is None:
        schedule_refresh()
    elif uncommitted_changes() and figures.data_version != read_model.built_for():
        return None
    return figures


def dashboard_payload(data: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's totals and charts as JSON (amounts as strings, to the cent)."""
    totals = data["totals"]
    return {
        "totals": {**totals, "funding": str(totals["funding"])},
        "charts": [
            {
                "slug": chart.slug,
                "title": str(chart.title),
                "description": str(chart.description),
                "counting": str(chart.counting),
                "entries_label": str(chart.entries_label),
                "rows": [
                    [row.key, row.label, row.entries, str(row.funding), row.param, row.value]
                    for row in chart.rows
                ],
            }
            for chart in data["charts"]
        ],
    }


def dashboard_data(figures: PublicFigures) -> dict[str, Any]:
    """The dashboard's totals and charts as `jvap.dashboard.dashboard` gives them."""
    payload = figures.dashboard
    totals = payload["totals"]
    return {
        "totals": {**totals, "funding": Decimal(totals["funding"])},
        "charts": [
            dashboard_figures.Chart(
                slug=chart["slug"],
                title=chart["title"],
                description=chart["description"],
                counting=chart["counting"],
                entries_label=chart["entries_label"],
                rows=[
                    dashboard_figures.ChartRow(
                        key=key,
                        label=label,
                        entries=entries,
                        funding=Decimal(funding),
                        param=param,
                        value=value,
                    )
                    for key, label, entries, funding, param, value in chart["rows"]
                ],
            )
            for chart in payload["charts"]
        ],
        "computed_at": figures.computed_at,
    }
