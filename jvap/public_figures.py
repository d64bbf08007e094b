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

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.functions import Mod
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from core.caching import data_version, uncommitted_changes

from . import dashboard as dashboard_figures
from . import read_model
from .filters import JvapEntryFilter, search_words
from .models import JvapEntry, PublicFigures, PublicWordCounts

PENDING_KEY = "mmd:jvap-public-figures:pending"

# The words whose search's facet counts are kept (`PublicWordCounts`): those estimated to match
# at least FREQUENT_WORD_MATCHES published entries (below that, counting a search's facets
# takes a few ms), the FREQUENT_WORDS_KEPT most frequent at most (each costs the refresh one
# count of its facets), estimated from about WORD_SAMPLE entries.
FREQUENT_WORD_MATCHES = 2_000
FREQUENT_WORDS_KEPT = 50
WORD_SAMPLE = 2_000
# A kept word is letters only; typed in any letter case it searches the same entries only when
# its letters are ASCII (both databases fold ASCII letters the same way), so other words are
# kept and looked up exactly as written.
ASCII_LETTERS = re.compile(r"[A-Za-z]+")


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
        # One write for both languages (writing derived data is no change of the data:
        # core.caching).
        PublicFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["language"],
            update_fields=["data_version", "computed_at", "dashboard", "facet_counts"],
        )
        keep_word_counts(version)
    return [row.language for row in rows]


def keep_word_counts(version: str) -> None:
    """Count the facets of a search of each frequent word (`frequent_words`) with the listing's
    own code, and keep them in place of the previous ones."""
    PublicWordCounts.objects.all().delete()
    kept = []
    for word in frequent_words():
        query = QueryDict(mutable=True)
        query["q"] = word
        counts = live_facet_counts(query)
        domains = counts.get("domain") or {}
        kept.append(
            PublicWordCounts(
                word=word,
                data_version=version,
                entries=sum(domains.values()),
                facet_counts=counts,
            )
        )
    PublicWordCounts.objects.bulk_create(kept)


def frequent_words() -> list[str]:
    """The words estimated to match at least `FREQUENT_WORD_MATCHES` published entries, most
    frequent first, at most `FREQUENT_WORDS_KEPT`: the words (letters only, lower case) of the
    titles and descriptions of about `WORD_SAMPLE` published entries, every n-th by id. The
    estimate only chooses which counts to keep; each kept count is exact."""
    published = JvapEntry.objects.published()
    total = published.count()
    if total < FREQUENT_WORD_MATCHES:
        return []
    step = max(1, total // WORD_SAMPLE)
    sample = published.alias(slot=Mod("pk", step)).filter(slot=0).order_by("pk")
    sampled = 0
    entries_with = Counter()
    for title, description in sample.values_list("title", "description").iterator():
        sampled += 1
        words = f"{title or ''} {description or ''}".split()
        entries_with.update({word.lower() for word in words if word.isalpha()})
    if not sampled:
        return []
    least = FREQUENT_WORD_MATCHES * sampled / total
    frequent = [word for word, n in entries_with.most_common() if n >= least]
    return frequent[:FREQUENT_WORDS_KEPT]


def live_facet_counts(query: QueryDict | None = None) -> dict[str, dict[str, int] | None]:
    """The listing's facet counts for the filters of `query` (none: the unfiltered listing's),
    computed now by the listing itself."""
    from .views.public import EntryListView

    request = HttpRequest()
    request.method = "GET"
    view = EntryListView()
    view.setup(request)
    published = JvapEntry.objects.published()
    return view.live_facet_counts(
        JvapEntryFilter(query if query is not None else QueryDict(), queryset=published)
    )


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
    elif not _of_the_read_model(figures.data_version):
        return None
    return figures


def word_counts(text: str) -> dict[str, dict[str, int] | None] | None:
    """The facet counts kept for a search of `text` when it is one frequent word (one query;
    `PublicWordCounts`), or None: the page counts them itself."""
    words = search_words(text)
    if not settings.PRECOMPUTED_FIGURES or len(words) != 1:
        return None
    word = words[0].lower() if ASCII_LETTERS.fullmatch(words[0]) else words[0]
    read_model.ensure_current()
    kept = PublicWordCounts.objects.filter(word=word).values_list("data_version", "facet_counts")
    for version, counts in kept:
        if _of_the_read_model(version):
            return counts
    return None


def _of_the_read_model(version: str) -> bool:
    """Whether figures computed at `version` are those of the read model this connection reads:
    always, but on a connection whose own uncommitted changes it has rebuilt the read model
    for (`read_model.ensure_current`)."""
    return not uncommitted_changes() or version == read_model.built_for()


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
