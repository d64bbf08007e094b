"""The unfiltered JVAP dashboard and facet counts, computed once per data change.

After each change of the data (`core.caching.data_changed`, the moment the full downloads are
rebuilt too) a background task computes the figures of the unfiltered dashboard (totals and
every chart) and the unfiltered listing's facet counts, in every language, and keeps them in
`PublicFigures` with the data version they were computed from. The unfiltered pages read them
while that version is the current one and compute the figures themselves otherwise, so the
figures are never wrong, only sometimes slower.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from core.caching import data_version

from . import dashboard as dashboard_figures
from .filters import JvapEntryFilter
from .models import JvapEntry, PublicFigures

PENDING_KEY = "mmd:jvap-public-figures:pending"


def schedule_refresh(**kwargs: Any) -> None:
    """Enqueue one refresh of the figures (a burst of changes enqueues one task)."""
    if not settings.JVAP_PRECOMPUTED_FIGURES:
        return
    if cache.add(PENDING_KEY, True, timeout=settings.FULL_DOWNLOADS_PENDING_SECONDS):
        from .tasks import refresh_public_figures

        refresh_public_figures.enqueue()


def refresh() -> list[str]:
    """Compute the unfiltered figures in every language and keep them (the task)."""
    cache.delete(PENDING_KEY)
    # Read before computing: a change during the computation draws a new version, and these
    # figures are then never used.
    version = data_version()
    published = JvapEntry.objects.published()
    counts = live_facet_counts()
    rows = []
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            data = {
                "totals": dashboard_figures.totals(published),
                "charts": [build(published) for build in dashboard_figures.CHARTS.values()],
            }
            rows.append(
                PublicFigures(
                    language=language,
                    data_version=version,
                    computed_at=timezone.now(),
                    dashboard=dashboard_payload(data),
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
    """The figures of the visitor's language, if computed from the current data (one query);
    otherwise None, and a refresh is scheduled."""
    if not settings.JVAP_PRECOMPUTED_FIGURES:
        return None
    figures = PublicFigures.objects.filter(
        language=translation.get_language() or settings.LANGUAGE_CODE,
        data_version=data_version(),
    ).first()
    if figures is None:
        schedule_refresh()
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
