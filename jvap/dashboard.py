"""The JVAP dashboard's figures: entries and funding by domain, year, country, donor and
implementer, for whatever set of published entries the filters selected.

Every figure is an aggregate computed by the database (`annotate`/`aggregate`); Python only
shapes the handful of aggregated rows into charts. Totals never double-count a budget:

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

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.caching import cached_aggregate
from dialogues.models import Domain

from .models import EntryCountry, EntryOrganisation, JvapEntry

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


def _share(budget: str, count_expression) -> Any:
    """A budget split evenly over `count_expression` parts (as a float: SQLite would divide
    integers as integers)."""
    return Cast(F(budget), FloatField()) / count_expression


def totals(entries) -> dict[str, Any]:
    """How many entries, their funding (the sum of their budgets) and how many have one."""
    result = entries.order_by().aggregate(
        entries=Count("pk"), funding=Sum("budget_eur"), with_budget=Count("budget_eur")
    )
    return {
        "entries": result["entries"],
        "funding": money(result["funding"]),
        "with_budget": result["with_budget"],
        "without_budget": result["entries"] - result["with_budget"],
    }


def by_domain(entries) -> Chart:
    """Entries and funding by main JVAP domain (each entry once, with its whole budget)."""
    # Grouped by the domain's key, without joining the domains: their names come next.
    rows = (
        entries.order_by()
        .values("domain_id")
        .annotate(entries=Count("pk"), funding=Sum("budget_eur"))
    )
    counted = {row["domain_id"]: row for row in rows}
    french = (get_language() or "en").startswith("fr")
    chart_rows = []
    for pk, number, name, name_fr in Domain.objects.order_by("number").values_list(
        "pk", "number", "name", "name_fr"
    ):
        row = counted.get(pk, {"entries": 0, "funding": None})
        chart_rows.append(
            ChartRow(
                key=str(number),
                label=f"{number}. {name_fr if french and name_fr else name}",
                entries=row["entries"],
                funding=money(row["funding"]),
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


def split_sums(entries, model, group: str, *, role: str = "", limit: int | None = None):
    """Rows of (group value, entries, funding) where each entry's budget is split evenly over
    its rows in `model` (its countries, or its organisations of one role).

    One grouped query. The number of parts of each entry comes from a grouped derived table
    joined once, which the ORM cannot express: a correlated subquery per row took seconds at
    100,000 entries. The filtered entries stay an ORM queryset, compiled into the query.
    """
    try:
        entry_sql, entry_params = entries.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # `.none()`: an invalid filter value
        return []
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(group)
    role_sql, role_params = ("AND role = %s", [role]) if role else ("", [])
    order = ""
    if limit:
        order = f"ORDER BY 3 DESC NULLS LAST, 2 DESC, 1 LIMIT {int(limit)}"
    # The chosen entries are computed once (MATERIALIZED): inlined, PostgreSQL may re-run
    # their filter for every row when the tables' statistics are unknown (seconds at 200 rows).
    sql = f"""
        WITH chosen(id) AS MATERIALIZED ({entry_sql})
        SELECT part.{column}, COUNT(DISTINCT part.entry_id) AS entries,
               SUM(CAST(entry.budget_eur AS DOUBLE PRECISION) / parts.n) AS funding
        FROM {table} part
        JOIN (
            SELECT entry_id, COUNT(*) AS n FROM {table}
            WHERE entry_id IN (SELECT id FROM chosen) {role_sql} GROUP BY entry_id
        ) parts ON parts.entry_id = part.entry_id
        JOIN {quote(JvapEntry._meta.db_table)} entry ON entry.id = part.entry_id
        WHERE 1 = 1 {role_sql.replace("role", "part.role")}
        GROUP BY part.{column}
        {order}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*entry_params, *role_params, *role_params])
        return cursor.fetchall()


def by_country(entries) -> Chart:
    """Entries and funding by country of implementation (budgets split evenly)."""
    chart_rows = [
        ChartRow(
            key=code,
            label=str(countries.name(code)),
            entries=count,
            funding=money(funding),
            param="country",
            value=code,
        )
        for code, count, funding in split_sums(entries, EntryCountry, "country")
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


def _top_with_remainders(entries, top: list[ChartRow], named: Q, chart: dict[str, Any]) -> Chart:
    """A chart of the largest rows, then "others" (the rest of the funding of the entries
    that `named` selects) and the entries it does not select, so the rows add up to the
    grand total."""
    overall = entries.order_by().aggregate(
        funding=Sum("budget_eur"),
        named_funding=Sum("budget_eur", filter=named),
        unnamed_entries=Count("pk", filter=~named),
    )
    rows = list(top)
    others = money(overall["named_funding"]) - sum((row.funding for row in rows), Decimal(0))
    if others > 0:
        rows.append(
            ChartRow(key="others", label=str(chart["others"]), entries=None, funding=others)
        )
    unnamed = money(overall["funding"]) - money(overall["named_funding"])
    if overall["unnamed_entries"]:
        rows.append(
            ChartRow(
                key="none",
                label=str(chart["none"]),
                entries=overall["unnamed_entries"],
                funding=unnamed,
            )
        )
    return Chart(
        slug=chart["slug"],
        title=chart["title"],
        description=chart["description"],
        counting=chart["counting"],
        rows=rows,
    )


def _naming(role: str) -> Q:
    """Entries that name at least one organisation in the role (`IN (subquery)`, not a
    correlated EXISTS: PostgreSQL hashes the subquery once)."""
    return Q(pk__in=EntryOrganisation.objects.filter(role=role).order_by().values("entry_id"))


def _by_organisation(entries, role: str, chart: dict[str, Any]) -> Chart:
    top = [
        ChartRow(key=name, label=name, entries=count, funding=money(funding))
        for name, count, funding in split_sums(
            entries, EntryOrganisation, "name", role=role, limit=TOP_ORGANISATIONS
        )
    ]
    return _top_with_remainders(entries, top, _naming(role), chart)


def flow_sums(entries, limit: int) -> list[tuple]:
    """The largest (donor, implementer, entries, funding) pairs: each entry's budget split
    evenly over its donor × implementer pairs, in one grouped query (see `split_sums`)."""
    try:
        entry_sql, entry_params = entries.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return []
    table = connection.ops.quote_name(EntryOrganisation._meta.db_table)
    entry_table = connection.ops.quote_name(JvapEntry._meta.db_table)
    parts = (
        f"SELECT entry_id, COUNT(*) AS n FROM {table} "
        f"WHERE role = %s AND entry_id IN ({entry_sql}) GROUP BY entry_id"
    )
    sql = f"""
        SELECT donor.name, implementer.name, COUNT(DISTINCT donor.entry_id),
               SUM(CAST(entry.budget_eur AS DOUBLE PRECISION) / (donors.n * implementers.n))
        FROM {table} donor
        JOIN {table} implementer
            ON implementer.entry_id = donor.entry_id AND implementer.role = %s
        JOIN ({parts}) donors ON donors.entry_id = donor.entry_id
        JOIN ({parts}) implementers ON implementers.entry_id = donor.entry_id
        JOIN {entry_table} entry ON entry.id = donor.entry_id
        WHERE donor.role = %s
        GROUP BY donor.name, implementer.name
        ORDER BY 4 DESC NULLS LAST, 3 DESC, 1, 2 LIMIT {int(limit)}
    """
    donor, implementer = EntryOrganisation.Role.DONOR, EntryOrganisation.Role.IMPLEMENTER
    params = [implementer, donor, *entry_params, implementer, *entry_params, donor]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def by_flow(entries) -> Chart:
    """Funding flows: from which donors to which implementing organisations."""
    top = [
        ChartRow(
            key=f"{donor} → {implementer}",
            label=f"{donor} → {implementer}",
            entries=count,
            funding=money(funding),
        )
        for donor, implementer, count, funding in flow_sums(entries, TOP_ORGANISATIONS)
    ]
    named = _naming(EntryOrganisation.Role.DONOR) & _naming(EntryOrganisation.Role.IMPLEMENTER)
    return _top_with_remainders(
        entries,
        top,
        named,
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


def by_donor(entries) -> Chart:
    """Funding by donor: the largest donors, the others together, and entries naming none."""
    return _by_organisation(
        entries,
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


def by_implementer(entries) -> Chart:
    """Funding by implementing organisation, counted like the donors."""
    return _by_organisation(
        entries,
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


def _year_span(entries):
    """Entries with the first and last calendar year of their budget's span."""
    return entries.order_by().annotate(
        first_year=ExtractYear(Coalesce("start_date", "end_date")),
        last_year=ExtractYear(Coalesce("end_date", "start_date")),
    )


def chart_years(entries) -> list[int]:
    """The years the year chart shows: from the first dated entry to the last, and to this
    year when an entry is still running."""
    span = _year_span(entries).aggregate(
        first=Min("first_year"),
        last=Max("last_year"),
        open_ended=Count("pk", filter=Q(end_date__isnull=True, start_date__isnull=False)),
    )
    if span["first"] is None:
        return []
    last = span["last"]
    if span["open_ended"]:
        last = max(last, timezone.localdate().year)
    first = max(span["first"], last - MAX_YEARS + 1)
    return list(range(first, last + 1))


def by_year(entries) -> Chart:
    """Active entries and funding by year, in one query over all the chart's years."""
    years = chart_years(entries)
    spanned = _year_span(entries).annotate(
        share=Cast(F("budget_eur"), FloatField())
        / (F("last_year") - F("first_year") + Value(1, output_field=IntegerField()))
    )
    aggregates: dict[str, Any] = {
        "undated_entries": Count("pk", filter=Q(start_date__isnull=True, end_date__isnull=True)),
        "undated_funding": Sum(
            "budget_eur", filter=Q(start_date__isnull=True, end_date__isnull=True)
        ),
        "funding": Sum("budget_eur"),
    }
    for year in years:
        aggregates[f"active_{year}"] = Count(
            "pk",
            filter=(Q(start_date__isnull=True) | Q(start_date__year__lte=year))
            & (Q(end_date__isnull=True) | Q(end_date__year__gte=year)),
        )
        aggregates[f"funding_{year}"] = Sum(
            Case(When(first_year__lte=year, last_year__gte=year, then=F("share")), default=None)
        )
    result = spanned.aggregate(**aggregates)
    rows = [
        ChartRow(
            key=str(year),
            label=str(year),
            entries=result[f"active_{year}"],
            funding=money(result[f"funding_{year}"]),
            param="year",
            value=str(year),
        )
        for year in years
    ]
    remainder = (
        money(result["funding"])
        - money(result["undated_funding"])
        - sum((row.funding for row in rows), Decimal(0))
    )
    if remainder >= CENT:  # budgets of years before the chart's first (MAX_YEARS)
        rows.insert(
            0,
            ChartRow(key="earlier", label=str(_("Earlier years")), entries=None, funding=remainder),
        )
    if result["undated_entries"]:
        rows.append(
            ChartRow(
                key="undated",
                label=str(_("Without dates")),
                entries=result["undated_entries"],
                funding=money(result["undated_funding"]),
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


CHARTS: dict[str, Callable[[Any], Chart]] = {
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


def dashboard(entries, query: tuple = ()) -> dict[str, Any]:
    """The grand totals and every chart for the filtered entries (cached per filter set and
    data version, core.caching)."""

    def compute():
        return {
            "totals": totals(entries),
            "charts": [build(entries) for build in CHARTS.values()],
            "computed_at": timezone.now(),
        }

    return cached_aggregate(f"jvap-dashboard-{get_language()}", compute, query)


def chart(slug: str, entries, query: tuple = ()) -> Chart:
    """One chart (for its CSV download)."""
    return cached_aggregate(
        f"jvap-chart-{slug}-{get_language()}", lambda: CHARTS[slug](entries), query
    )
