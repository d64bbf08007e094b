"""The JVAP block of the country pages (registered in `JvapConfig.ready()`)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.page_sections import PageSection

from . import read_model
from .dashboard import money
from .filters import sort_ordering
from .models import EntryCountry, JvapEntry, PublicEntryCountry

LATEST_ON_COUNTRY_PAGE = 5
# What the latest entries show: title, partner, year and budget (not the description).
_LATEST_ENTRY = (
    *("title", "start_date", "budget_eur", "partner__country"),
    *("partner__organisation__name", "partner__organisation__name_fr"),
    *("partner__organisation__acronym", "partner__organisation__acronym_fr"),
)


def country_section(iso2: str) -> PageSection | None:
    """The country's published JVAP entries: how many, their total budget, the latest few
    and a link to all of them; nothing when the country has none."""
    code = str(iso2).upper()
    entries = JvapEntry.objects.published().filter(
        Exists(EntryCountry.objects.filter(entry=OuterRef("pk"), country=code))
    )
    figures = _country_totals(code, entries)
    if not figures["count"]:
        return None
    latest = list(
        entries.select_related("partner__organisation")
        .only(*_LATEST_ENTRY)
        .order_by(*sort_ordering("-start"))[:LATEST_ON_COUNTRY_PAGE]
    )
    return PageSection(
        heading=_("JVAP projects and policies"),
        template="jvap/includes/country_section.html",
        context={
            "count": figures["count"],
            "total_eur": money(figures["total"]),
            "latest": latest,
            "listing_url": f"{reverse('jvap:entry_list')}?country={code}",
            "dashboard_url": f"{reverse('jvap:dashboard')}?country={code}",
        },
        order=50,
    )


def _country_totals(code: str, entries) -> dict:
    """How many published entries run in the country and the total of their budgets (each
    counted whole, not its share among the entry's countries).

    With the precomputed figures (`settings.PRECOMPUTED_FIGURES`, as the home page's)
    they are the read model's, from the last completed refresh: the country's rows of
    `PublicEntryCountry` (one per entry, read through the country's index: ~3 ms at 100,000
    entries, where a scan of the published entries for the country took ~21 ms). Otherwise
    they are counted from the entries now."""
    totals = {"count": Count("pk"), "total": Sum("budget_eur")}
    if not settings.PRECOMPUTED_FIGURES:
        return entries.aggregate(**totals)
    read_model.ensure_current()
    return PublicEntryCountry.objects.filter(country=code).aggregate(**totals)
