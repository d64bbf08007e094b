"""The JVAP figures other pages show (the home page): computed in the database over the
published entries only. The lead's `mmd_portal.figures` turns them into `Figure`s."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from . import public_figures
from .dashboard import cached_aggregate, money
from .models import JvapEntry


@dataclass(frozen=True)
class JvapFigures:
    """Published entries and their total investment (the sum of their budgets, in euros)."""

    entries: int
    total_investment_eur: Decimal


def jvap_figures() -> JvapFigures:
    """The home page's JVAP figures: the unfiltered dashboard's totals when they are computed
    for the current data (`jvap.public_figures`, one query), else counted now (one query over
    every published entry, cached per data version)."""
    figures = public_figures.current()
    if figures is not None:
        totals = figures.dashboard["totals"]
        return JvapFigures(totals["entries"], money(Decimal(totals["funding"])))

    def compute() -> JvapFigures:
        result = JvapEntry.objects.published().aggregate(
            entries=Count("pk"), total=Sum("budget_eur")
        )
        return JvapFigures(result["entries"], money(result["total"]))

    return cached_aggregate("jvap-figures", compute)
