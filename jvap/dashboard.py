"""The JVAP dashboard's figures: entries and funding by domain, year, country, donor and
implementer, for whatever set of published entries the filters selected.

Every figure is a grouped query over the read model (`jvap.read_model`: narrow tables of the
published entries, their countries and their organisations, each row with its share of the
budget); Python only adds up the few hundred grouped rows into charts. Totals never
double-count a budget:

- by domain, an entry counts under its main domain only, with its whole budget;
- by country, an entry counts as one entry in each of its countries, and its budget is split
  evenly across them (an entry of 2 countries and EUR 1 million gives EUR 500,000 to each);
- by donor and by implementer, the same: one entry for each organisation named, the budget
  split evenly across the entry's donors (or implementers); entries that name none are shown
  on a row of their own, so each chart's rows add up to the grand total;
- the funding flows split a budget evenly over each (donor, implementer) pair of the entry;
- by year, an entry counts as active in every year the `year` filter finds it in (so an entry
  of 2018-2020 counts in three years), and its budget is spread evenly over the calendar
  years from its start to its end; an entry with only one date gives its whole budget to that
  year, entries without dates are shown apart.

So the grand total of funding is the sum of the budgets, and each funding chart adds up to
it (to the cent, within rounding of the evenly split shares).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.caching import cached_aggregate
from core.country_names import country_name
from dialogues.models import Domain

from .models import EntryOrganisation
from .read_model import Selection

# Rows of the donor and implementer charts: the largest ones; the rest are summed up.
TOP_ORGANISATIONS = 15
# The year chart covers at most this many years (the most recent ones).
MAX_YEARS = 40
CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """An aggregated amount (Decimal, float or None) as euros and cents."""
    if value is None:
        return Decimal(0)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class ChartRow:
    """One bar of a chart: what it counts, how many entries, how much funding, and the filter
    (`param=value`) that lists its entries, empty when it has none."""

    key: str
    label: str
    entries: int | None
    funding: Decimal
    param: str = ""
    value: str = ""
    entries_percent: float = 0.0
    funding_percent: float = 0.0
    url: str = ""


@dataclass
class Chart:
    """A chart of the dashboard, with the sentence that says how budgets are counted."""

    slug: str
    title: str
    description: str
    counting: str
    rows: list[ChartRow] = field(default_factory=list)
    entries_label: str = _("Entries")

    def __post_init__(self):
        most_entries = max((row.entries or 0 for row in self.rows), default=0)
        most_funding = max((row.funding for row in self.rows), default=Decimal(0))
        for row in self.rows:
            row.entries_percent = (
                round(100 * (row.entries or 0) / most_entries, 2) if most_entries else 0
            )
            row.funding_percent = (
                round(float(100 * row.funding / most_funding), 2) if most_funding else 0
            )

    @property
    def funding_total(self) -> Decimal:
        return sum((row.funding for row in self.rows), Decimal(0))

    @property
    def takeaway(self) -> str:
        """The chart in one sentence, above it: which row leads in entries and in funding."""
        counted = [row for row in self.rows if row.entries]
        funded = [row for row in self.rows if row.funding]
        if not counted and not funded:
            return ""
        parts = []
        if counted:
            top = max(counted, key=lambda row: row.entries)
            parts.append(
                _("Most entries: %(label)s (%(count)s).")
                % {"label": top.label, "count": number_format(top.entries, force_grouping=True)}
            )
        if funded:
            top = max(funded, key=lambda row: row.funding)
            amount = number_format(round(top.funding), force_grouping=True)
            parts.append(
                _("Most funding: %(label)s (EUR %(amount)s).")
                % {"label": top.label, "amount": amount}
            )
        return " ".join(str(part) for part in parts)


def _sum(groups: Iterable[dict[str, Any]], column: str) -> Any:
    """The sum of a column of grouped rows (funding as an exact Decimal)."""
    if column == "funding":
        return sum((_decimal(group["funding"]) for group in groups), Decimal(0))
    return sum(group[column] for group in groups)


def _decimal(value: Any) -> Decimal:
    """An aggregated amount as a Decimal, unrounded (None: nothing)."""
    return Decimal(0) if value is None else Decimal(str(value))


def totals(selection: Selection) -> dict[str, Any]:
    """How many entries, their funding (the sum of their budgets) and how many have one."""
    groups = selection.groups
    entries, with_budget = _sum(groups, "entries"), _sum(groups, "budgets")
    return {
        "entries": entries,
        "funding": money(_sum(groups, "funding")),
        "with_budget": with_budget,
        "without_budget": entries - with_budget,
    }


def by_domain(selection: Selection) -> Chart:
    """Entries and funding by main JVAP domain (each entry once, with its whole budget)."""
    counted: dict[int, list[dict[str, Any]]] = {}
    for group in selection.groups:
        counted.setdefault(group["domain_number"], []).append(group)
    french = (get_language() or "en").startswith("fr")
    chart_rows = []
    for number, name, name_fr in Domain.objects.order_by("number").values_list(
        "number", "name", "name_fr"
    ):
        groups = counted.get(number, [])
        chart_rows.append(
            ChartRow(
                key=str(number),
                label=f"{number}. {name_fr if french and name_fr else name}",
                entries=_sum(groups, "entries"),
                funding=money(_sum(groups, "funding")),
                param="domain",
                value=str(number),
            )
        )
    return Chart(
        slug="domain",
        title=_("Entries and funding by JVAP domain"),
        description=_("How many entries and how much funding each JVAP domain has."),
        counting=_(
            "Each entry counts once, under its main domain, with its whole budget; its "
            "secondary domains are not counted, so the domains add up to the grand total."
        ),
        rows=chart_rows,
    )


def by_country(selection: Selection) -> Chart:
    """Entries and funding by country of implementation (budgets split evenly)."""
    countries, entries, funding = selection.rows("countries")
    rows = (
        countries.order_by().values("country").annotate(entries=entries, funding=funding).order_by()
    )
    chart_rows = [
        ChartRow(
            key=row["country"],
            label=country_name(row["country"]),
            entries=row["entries"],
            funding=money(row["funding"]),
            param="country",
            value=row["country"],
        )
        for row in rows
    ]
    chart_rows.sort(key=lambda row: (-row.entries, row.label))
    return Chart(
        slug="country",
        title=_("Entries and funding by country of implementation"),
        description=_("How many entries run in each country and the funding they bring there."),
        counting=_(
            "An entry counts once in each of its countries, and its budget is split evenly "
            "across them: an entry of two countries gives half its budget to each. The funding "
            "of all countries adds up to the grand total; the numbers of entries may not, "
            "since one entry can run in several countries."
        ),
        rows=chart_rows,
    )


def _top_with_remainders(
    selection: Selection, top: list[ChartRow], named: Callable[[dict], bool], chart: dict
) -> Chart:
    """A chart of the largest rows, then "others" (the rest of the funding of the entries
    that name what the chart counts: `named` of their group) and the entries that do not, so
    the rows add up to the grand total."""
    groups = selection.groups
    named_groups = [group for group in groups if named(group)]
    named_funding = _sum(named_groups, "funding")
    unnamed_entries = _sum(groups, "entries") - _sum(named_groups, "entries")
    rows = list(top)
    others = money(named_funding) - sum((row.funding for row in rows), Decimal(0))
    if others > 0:
        rows.append(
            ChartRow(key="others", label=str(chart["others"]), entries=None, funding=others)
        )
    if unnamed_entries:
        unnamed = money(_sum(groups, "funding")) - money(named_funding)
        rows.append(
            ChartRow(key="none", label=str(chart["none"]), entries=unnamed_entries, funding=unnamed)
        )
    return Chart(
        slug=chart["slug"],
        title=chart["title"],
        description=chart["description"],
        counting=chart["counting"],
        rows=rows,
    )


def _names_donor(group: dict) -> bool:
    return bool(group["names_donor"])


def _names_implementer(group: dict) -> bool:
    return bool(group["names_implementer"])


def _names_both(group: dict) -> bool:
    return bool(group["names_donor"] and group["names_implementer"])


def _by_organisation(selection: Selection, role: str, chart: dict[str, Any]) -> Chart:
    organisations, entries, funding = selection.rows("organisations")
    rows = (
        organisations.filter(role=role)
        .order_by()
        .values("name")
        .annotate(entries=entries, funding=funding)  # each name once per entry
        .order_by(F("funding").desc(nulls_last=True), "-entries", "name")[:TOP_ORGANISATIONS]
    )
    top = [
        ChartRow(
            key=row["name"],
            label=row["name"],
            entries=row["entries"],
            funding=money(row["funding"]),
        )
        for row in rows
    ]
    named = _names_donor if role == EntryOrganisation.Role.DONOR else _names_implementer
    return _top_with_remainders(selection, top, named, chart)


def flow_sums(selection: Selection, limit: int) -> list[tuple]:
    """The largest (donor, implementer, entries, funding) pairs: each entry's budget split
    evenly over its donor × implementer pairs (`PublicEntryFlow`, one row per entry and
    pair)."""
    flows, entries, funding = selection.rows("flows")
    rows = (
        flows.order_by()
        .values_list("donor", "implementer")
        .annotate(entries=entries, funding=funding)
        .order_by(F("funding").desc(nulls_last=True), "-entries", "donor", "implementer")
    )
    return list(rows[:limit])


def by_flow(selection: Selection) -> Chart:
    """Funding flows: from which donors to which implementing organisations."""
    top = [
        ChartRow(
            key=f"{donor} → {implementer}",
            label=f"{donor} → {implementer}",
            entries=count,
            funding=money(funding),
        )
        for donor, implementer, count, funding in flow_sums(selection, TOP_ORGANISATIONS)
    ]
    return _top_with_remainders(
        selection,
        top,
        _names_both,
        {
            "slug": "flow",
            "title": _("Funding flows from donors to implementing organisations"),
            "description": _("The largest flows of funding from a donor to an implementer."),
            "counting": _(
                "An entry's budget is split evenly over each pair of one of its donors and one "
                "of its implementing organisations (an entry with two donors and two "
                "implementers gives a quarter of its budget to each of four flows). The "
                "largest %(top)s flows are shown; the rest are added up as “Other flows”, "
                "and entries that do not name both a donor and an implementer have their own "
                "row, so the rows add up to the grand total."
            )
            % {"top": TOP_ORGANISATIONS},
            "others": _("Other flows"),
            "none": _("Without both a donor and an implementer named"),
        },
    )


def by_donor(selection: Selection) -> Chart:
    """Funding by donor: the largest donors, the others together, and entries naming none."""
    return _by_organisation(
        selection,
        EntryOrganisation.Role.DONOR,
        {
            "slug": "donor",
            "title": _("Funding by donor"),
            "description": _("The donors that fund the most, as the reporting partners name them."),
            "counting": _(
                "An entry counts once for each donor it names, and its budget is split evenly "
                "across its donors. The largest %(top)s donors are shown; the rest are added "
                "up as “Other donors”, and entries that name no donor have their own row, so "
                "the rows add up to the grand total."
            )
            % {"top": TOP_ORGANISATIONS},
            "others": _("Other donors"),
            "none": _("No donor named"),
        },
    )


def by_implementer(selection: Selection) -> Chart:
    """Funding by implementing organisation, counted like the donors."""
    return _by_organisation(
        selection,
        EntryOrganisation.Role.IMPLEMENTER,
        {
            "slug": "implementer",
            "title": _("Funding by implementing organisation"),
            "description": _("The organisations that implement the most funding."),
            "counting": _(
                "An entry counts once for each implementing organisation it names, and its "
                "budget is split evenly across them. The largest %(top)s are shown; the rest "
                "are added up as “Other implementers”, and entries that name none have their "
                "own row, so the rows add up to the grand total."
            )
            % {"top": TOP_ORGANISATIONS},
            "others": _("Other implementers"),
            "none": _("No implementing organisation named"),
        },
    )


def _span(group: dict[str, Any]) -> tuple[int | None, int | None]:
    """The first and last calendar year of a group's budget: from its start to its end, or
    its only date."""
    start, end = group["start_year"], group["end_year"]
    return (start if start is not None else end), (end if end is not None else start)


def chart_years(groups: list[dict[str, Any]]) -> list[int]:
    """The years the year chart shows: from the first dated entry to the last, and to this
    year when an entry is still running."""
    spans = [_span(group) for group in groups if _span(group)[0] is not None]
    if not spans:
        return []
    last = max(last for _first, last in spans)
    if any(group["end_year"] is None and group["start_year"] is not None for group in groups):
        last = max(last, timezone.localdate().year)
    first = max(min(first for first, _last in spans), last - MAX_YEARS + 1)
    return list(range(first, last + 1))


def _active_in(group: dict[str, Any], year: int) -> bool:
    """Whether the group's entries run in the year (an open end runs on)."""
    start, end = group["start_year"], group["end_year"]
    return (start is None or start <= year) and (end is None or end >= year)


def by_year(selection: Selection) -> Chart:
    """Active entries and funding by year, from the entries grouped by their years."""
    groups = selection.groups
    years = chart_years(groups)
    funding = dict.fromkeys(years, Decimal(0))
    for group in groups:
        first, last = _span(group)
        if first is None or group["funding"] is None:
            continue
        share = _decimal(group["funding"]) / (last - first + 1)
        for year in range(max(first, years[0]), last + 1):
            funding[year] += share
    rows = [
        ChartRow(
            key=str(year),
            label=str(year),
            entries=sum(group["entries"] for group in groups if _active_in(group, year)),
            funding=money(funding[year]),
            param="year",
            value=str(year),
        )
        for year in years
    ]
    undated = [group for group in groups if _span(group)[0] is None]
    undated_funding = money(_sum(undated, "funding"))
    remainder = (
        money(_sum(groups, "funding"))
        - undated_funding
        - sum((row.funding for row in rows), Decimal(0))
    )
    if remainder >= CENT:  # budgets of years before the chart's first (MAX_YEARS)
        rows.insert(
            0,
            ChartRow(key="earlier", label=str(_("Earlier years")), entries=None, funding=remainder),
        )
    if undated_entries := _sum(undated, "entries"):
        rows.append(
            ChartRow(
                key="undated",
                label=str(_("Without dates")),
                entries=undated_entries,
                funding=undated_funding,
            )
        )
    return Chart(
        slug="year",
        title=_("Active entries and funding by year"),
        description=_("The trend of the entries running each year and of the funding they spend."),
        counting=_(
            "An entry counts as active in every year it runs (an entry of 2018 to 2020 counts "
            "in three years; one without an end date in every year from its start), and its "
            "budget is spread evenly over the calendar years from its start to its end, or "
            "given whole to its only date. Entries without dates count as active in every "
            "year and have their own funding row, so the funding adds up to the grand total."
        ),
        rows=rows,
        entries_label=_("Active entries"),
    )


CHARTS: dict[str, Callable[[Selection], Chart]] = {
    "domain": by_domain,
    "year": by_year,
    "country": by_country,
    "donor": by_donor,
    "implementer": by_implementer,
    "flow": by_flow,
}


def canonical_query(params: Iterable[tuple[str, str]]) -> tuple:
    """The filter parameters in a stable order, for cache keys."""
    return tuple(sorted((name, value) for name, value in params if name not in ("page", "sort")))


def figures(selection: Selection) -> dict[str, Any]:
    """The grand totals and every chart of the selected entries."""
    return {
        "totals": totals(selection),
        "charts": [build(selection) for build in CHARTS.values()],
    }


def dashboard(selection: Selection, query: tuple = ()) -> dict[str, Any]:
    """The grand totals and every chart for the filtered entries (cached per filter set and
    data version, core.caching)."""

    def compute():
        return {**figures(selection), "computed_at": timezone.now()}

    return cached_aggregate(f"jvap-dashboard-{get_language()}", compute, query)


def chart(slug: str, selection: Selection, query: tuple = ()) -> Chart:
    """One chart (for its CSV download)."""
    return cached_aggregate(
        f"jvap-chart-{slug}-{get_language()}", lambda: CHARTS[slug](selection), query
    )
