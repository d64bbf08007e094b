"""The read model of the public JVAP figures: narrow tables derived from the published entries.

The dashboard's charts and the listing's facet counts are grouped queries over these tables,
never over the entries themselves (a scan of the wide entry table costs ~60 ms at 100,000
entries; these tables are a fraction of it, and a filter cuts them down by an index):

- `PublicEntry`: one row per published entry, with the columns the public filters read
  (`PublishedFacts`) and how many countries, donors and implementers it names (on
  PostgreSQL also its search vector and its countries' codes, `SEARCHED_COLUMNS`);
- `PublicEntryCountry`: one row per country of a published entry, with its even share of the
  entry's budget;
- `PublicEntryOrganisation`: one row per donor or implementer (each name once per entry and
  role), with its share of the budget among the organisations of its role;
- `PublicEntryFlow`: one row per (donor, implementer) pair of names of an entry, with the
  share of the budget that flows between them (the funding-flows chart);
- `PublicEntryTally`: how many entries have each combination of the choice columns (main
  domain, type, status, dialogue, partner), for counts whose filters read only those
  (`entry_rows`); its ids are the combinations' numbers that `PublicEntry.combination` names.

Every row (but the tallies') carries the filterable columns, so any filter applies to any
table without a join (`jvap.filters.PublishedFactsFilter`). There is no table of entry-years:
an entry's budget is spread evenly over the years from its first to its last, which is linear
in the budget, so the year chart is exact from the entries grouped by their (start, end)
years (about 130 groups at 100,000 entries) and needs no row per year, nor any for
open-ended entries.

The tables are rebuilt whole with set-based SQL (`INSERT … SELECT`, the same on SQLite and
PostgreSQL) by `refresh_tables`, which the background task `jvap.tasks.refresh_public_figures`
runs after each change of the data (`core.caching.data_changed`), together with the
unfiltered figures (`jvap.public_figures`). Until it has run, pages show the figures of the
last completed refresh. A connection that has changed the data in a transaction not yet
committed (a test, a service that reads what it wrote) sees its own changes at once:
`ensure_current` rebuilds the tables inside that transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    When,
)
from django.db.models.expressions import RawSQL

from core.caching import data_version, uncommitted_changes
from core.facets import count_values
from dialogues.models import Domain

from .filters import PublishedFactsFilter
from .models import (
    EntryCountry,
    EntryOrganisation,
    JvapEntry,
    PublicCountryTally,
    PublicEntry,
    PublicEntryCountry,
    PublicEntryFlow,
    PublicEntryOrganisation,
    PublicEntryTally,
    PublicFlowTally,
    PublicOrganisationTally,
    PublicYearTally,
    PublishedCategories,
    PublishedFacts,
)

# The filterable columns every table of the read model carries (`PublishedFacts`).
FACTS = [
    field.column
    for field in PublishedFacts._meta.get_fields()
    if getattr(field, "concrete", False) and not field.primary_key
]
# The columns of `PublicEntryTally` it counts the entries by, and the filters that read only them.
CHOICES = [
    field.column
    for field in PublicEntryTally._meta.get_fields()
    if getattr(field, "concrete", False) and not field.primary_key and field.name != "entries"
]
TALLIED_FILTERS = PublicEntryTally.answers
# The columns of the tallies by category (`PublishedCategories`).
CATEGORIES = [
    field.column
    for field in PublishedCategories._meta.get_fields()
    if getattr(field, "concrete", False) and not field.primary_key
]
# PostgreSQL only: the columns of `PublicEntry` that its model does not declare (migration
# 0019): the entry's search vector (`jvap.indexes`, stripped of the word positions, which no
# search of words reads), under a full-text GIN index, and its countries' codes, so that the
# facet counts of a search are one pass over this narrow table (`_counts_of_search`).
SEARCHED_COLUMNS = ("search_vector", "country_codes")
# The data version the tables were last rebuilt for on a connection (its own changes).
BUILT_FOR = "mmd_jvap_read_model_version"


def _published_facts_sql() -> tuple[str, list]:
    """The SELECT of `PublicEntry`'s rows (its columns in order, then on PostgreSQL
    `SEARCHED_COLUMNS`): the published entries with their countries and organisations counted
    in grouped tables joined once (a count per entry in a correlated subquery took minutes at
    100,000 entries), and their combinations of the choice columns numbered from 1."""
    quote = connection.ops.quote_name
    start, start_params = connection.ops.date_extract_sql("year", "e.start_date", ())
    end, end_params = connection.ops.date_extract_sql("year", "e.end_date", ())
    donor, implementer = EntryOrganisation.Role.DONOR, EntryOrganisation.Role.IMPLEMENTER
    searched, codes = "", ""
    if connection.vendor == "postgresql":
        searched = ", strip(e.search_vector), COALESCE(c.codes, '{}')"
        codes = ", array_agg(country ORDER BY country) AS codes"
    sql = f"""
        SELECT e.id, d.number, e.type, e.status, e.dialogue, e.partner_id, e.budget_eur,
               {start}, {end}, COALESCE(c.n, 0), COALESCE(o.donors, 0),
               COALESCE(o.implementers, 0),
               DENSE_RANK() OVER (ORDER BY d.number, e.type, e.status, e.dialogue, e.partner_id)
               {searched}
        FROM {quote(JvapEntry._meta.db_table)} e
        JOIN {quote(Domain._meta.db_table)} d ON d.id = e.domain_id
        LEFT JOIN (
            SELECT entry_id, COUNT(*) AS n{codes} FROM {quote(EntryCountry._meta.db_table)}
            GROUP BY entry_id
        ) c ON c.entry_id = e.id
        LEFT JOIN (
            SELECT entry_id, SUM(CASE role WHEN %s THEN 1 ELSE 0 END) AS donors,
                   SUM(CASE role WHEN %s THEN 1 ELSE 0 END) AS implementers
            FROM {quote(EntryOrganisation._meta.db_table)} GROUP BY entry_id
        ) o ON o.entry_id = e.id
        WHERE e.review_state = %s
    """  # noqa: S608
    params = [*start_params, *end_params, donor, implementer, JvapEntry.ReviewState.PUBLISHED]
    return sql, params


def refresh_tables(version: str | None = None) -> None:
    """Rebuild the read model from the published entries, in one transaction (visitors read
    the previous tables until it commits).

    The rows are written in the order of the filters most pages use (the main domain, then
    the dialogue), so that the rows such a filter selects sit together on few pages of the
    table, which its index reads rather than the whole table."""
    quote = connection.ops.quote_name
    tables = [
        quote(model._meta.db_table)
        for model in (
            PublicFlowTally,
            PublicOrganisationTally,
            PublicYearTally,
            PublicCountryTally,
            PublicEntryTally,
            PublicEntryFlow,
            PublicEntryOrganisation,
            PublicEntryCountry,
            PublicEntry,
        )
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One rebuild at a time (two workers after two quick changes).
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_413_013])
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        for sql, params in _inserts():
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            # The planner's statistics of the new rows, for the pages' first queries.
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    setattr(connection, BUILT_FOR, version if version is not None else data_version())


def _inserts() -> list[tuple[str, list]]:
    """The INSERT … SELECT of each table of the read model, `PublicEntry` first (the others
    read it)."""
    quote = connection.ops.quote_name
    entry_table = quote(PublicEntry._meta.db_table)
    organisations = quote(EntryOrganisation._meta.db_table)
    facts = ", ".join(quote(column) for column in FACTS)
    choices = ", ".join(quote(column) for column in CHOICES)
    entry_facts = ", ".join(f"p.{quote(column)}" for column in FACTS)
    order = f"p.{quote('domain_number')}, p.{quote('dialogue')}"
    select_sql, select_params = _published_facts_sql()
    budget = "CAST(p.budget_eur AS DOUBLE PRECISION)"
    donor, implementer = EntryOrganisation.Role.DONOR, EntryOrganisation.Role.IMPLEMENTER
    searched = ""
    if connection.vendor == "postgresql":
        searched = "".join(f", {column}" for column in SEARCHED_COLUMNS)
    # The organisations of the row's role in the entry: its budget's parts.
    parts = "(CASE o.role WHEN %s THEN p.donors ELSE p.implementers END)"

    def named(role_condition: str) -> str:
        # Each organisation once per entry and role, with how many times the entry names it.
        return (
            f"(SELECT entry_id, role, name, COUNT(*) AS times FROM {organisations} "  # noqa: S608
            f"{role_condition} GROUP BY entry_id, role, name)"
        )

    return [
        (
            f"INSERT INTO {entry_table} (entry_id, {facts}, countries, donors, implementers, "  # noqa: S608
            f"combination{searched}) {select_sql} ORDER BY 2, 5, 1",
            select_params,
        ),
        (
            # Each combination's row takes the combination's number as its id.
            f"""INSERT INTO {quote(PublicEntryTally._meta.db_table)}
                (id, {choices}, entries)
            SELECT combination, {choices}, COUNT(*) FROM {entry_table}
            GROUP BY combination, {choices}
            ORDER BY {quote("domain_number")}, {quote("dialogue")}""",  # noqa: S608
            [],
        ),
        (
            f"""INSERT INTO {quote(PublicEntryCountry._meta.db_table)}
                (entry_id, country, share, start_date, end_date, {facts})
            SELECT c.entry_id, c.country, {budget} / p.countries, e.start_date, e.end_date,
                   {entry_facts}
            FROM {quote(EntryCountry._meta.db_table)} c
            JOIN {entry_table} p ON p.entry_id = c.entry_id
            JOIN {quote(JvapEntry._meta.db_table)} e ON e.id = c.entry_id
            ORDER BY {order}, c.country""",  # noqa: S608
            [],
        ),
        (
            f"""INSERT INTO {quote(PublicEntryOrganisation._meta.db_table)}
                (entry_id, role, name, parts, share, {facts})
            SELECT o.entry_id, o.role, o.name, {parts}, {budget} / {parts} * o.times,
                   {entry_facts}
            FROM {named("")} o
            JOIN {entry_table} p ON p.entry_id = o.entry_id
            ORDER BY o.role, {order}""",  # noqa: S608
            [donor, donor],
        ),
        (
            f"""INSERT INTO {quote(PublicEntryFlow._meta.db_table)}
                (entry_id, donor, implementer, share, {facts})
            SELECT d.entry_id, d.name, i.name,
                   {budget} / p.donors / p.implementers * d.times * i.times, {entry_facts}
            FROM {named("WHERE role = %s")} d
            JOIN {named("WHERE role = %s")} i ON i.entry_id = d.entry_id
            JOIN {entry_table} p ON p.entry_id = d.entry_id
            ORDER BY {order}""",  # noqa: S608
            [donor, implementer],
        ),
        *_tally_inserts(),
    ]


def _tally_inserts() -> list[tuple[str, list]]:
    """The INSERT … SELECT of the tallies, grouped from the read model's other tables (which
    `_inserts` fills first), in the order of their indexes."""
    quote = connection.ops.quote_name
    choices = ", ".join(quote(column) for column in CHOICES)
    categories = ", ".join(quote(column) for column in CATEGORIES)
    domain, dialogue = quote("domain_number"), quote("dialogue")

    def table(model) -> str:
        return quote(model._meta.db_table)

    return [
        (
            f"""INSERT INTO {table(PublicCountryTally)} (country, {choices}, entries, funding)
            SELECT country, {choices}, COUNT(*), SUM(share) FROM {table(PublicEntryCountry)}
            GROUP BY country, {choices} ORDER BY country, {domain}""",  # noqa: S608
            [],
        ),
        (
            f"""INSERT INTO {table(PublicYearTally)} ({categories}, start_year, end_year,
                names_donor, names_implementer, entries, funding, budgets)
            SELECT {categories}, start_year, end_year, donors > 0, implementers > 0,
                   COUNT(*), SUM(budget_eur), COUNT(budget_eur)
            FROM {table(PublicEntry)}
            GROUP BY {categories}, start_year, end_year, donors > 0, implementers > 0
            ORDER BY {domain}, {dialogue}""",  # noqa: S608
            [],
        ),
        (
            f"""INSERT INTO {table(PublicOrganisationTally)} (role, name, {categories},
                entries, funding)
            SELECT role, name, {categories}, COUNT(*), SUM(share)
            FROM {table(PublicEntryOrganisation)}
            GROUP BY role, name, {categories} ORDER BY role, {domain}, {dialogue}""",  # noqa: S608
            [],
        ),
        (
            f"""INSERT INTO {table(PublicFlowTally)} ({domain}, {dialogue}, donor, implementer,
                entries, funding)
            SELECT {domain}, {dialogue}, donor, implementer, COUNT(*), SUM(share)
            FROM {table(PublicEntryFlow)}
            GROUP BY {domain}, {dialogue}, donor, implementer
            ORDER BY {domain}, {dialogue}""",  # noqa: S608
            [],
        ),
    ]


def ensure_current() -> None:
    """Rebuild the tables now when this connection has changed the data in a transaction not
    yet committed (only it can see those changes, and the rebuild goes with a rollback);
    otherwise the tables are those of the last completed refresh."""
    if not uncommitted_changes():
        return
    version = data_version()
    if getattr(connection, BUILT_FOR, None) != version:
        refresh_tables(version)


def built_for() -> str | None:
    """The data version this connection last rebuilt the tables for, if any."""
    return getattr(connection, BUILT_FOR, None)


@dataclass
class Selection:
    """The published entries that a request's filters select, as rows of each table of the
    read model."""

    entries: QuerySet[PublicEntry]
    countries: QuerySet[PublicEntryCountry]
    organisations: QuerySet[PublicEntryOrganisation]
    flows: QuerySet[PublicEntryFlow]
    # The tallies that answer the filters, by the table whose rows they group (`TALLIES`).
    tallies: dict[str, QuerySet] = field(default_factory=dict)

    def rows(self, table: str) -> tuple[QuerySet, Aggregate, Aggregate]:
        """The selected rows of a table ("countries", "organisations" or "flows"), with how
        many entries and how much funding a group of them stands for: the table's tally when
        one answers the filters (its size bounded by the combinations of its columns, not by
        the number of entries), otherwise the table's own rows."""
        tally = self.tallies.get(table)
        if tally is not None:
            return tally, Sum("entries"), Sum("funding")
        return getattr(self, table), Count("pk"), Sum("share")

    @cached_property
    def groups(self) -> list[dict[str, Any]]:
        """The entries grouped by main domain, start and end year, and whether they name a
        donor and an implementer: how many, their funding and how many have a budget (one
        query; a few hundred groups at 100,000 entries). The totals, the domain and year
        charts and the rows for unnamed organisations are sums of these groups."""
        columns = ("domain_number", "start_year", "end_year", "names_donor", "names_implementer")
        tally = self.tallies.get("entries")
        if tally is not None:  # `PublicYearTally`: the same groups, summed
            return list(
                tally.order_by()
                .values(*columns)
                .annotate(entries=Sum("entries"), funding=Sum("funding"), budgets=Sum("budgets"))
                .order_by()
            )
        named = {
            "names_donor": Case(When(donors__gt=0, then=1), default=0),
            "names_implementer": Case(When(implementers__gt=0, then=1), default=0),
        }
        return list(
            self.entries.order_by()
            .annotate(**named)
            .values("domain_number", "start_year", "end_year", *named)
            .annotate(entries=Count("pk"), funding=Sum("budget_eur"), budgets=Count("budget_eur"))
            .order_by()
        )


# The tally of each table of a `Selection`, for the dashboard's charts.
TALLIES = {
    "entries": PublicYearTally,
    "countries": PublicCountryTally,
    "organisations": PublicOrganisationTally,
    "flows": PublicFlowTally,
}


def everything() -> Selection:
    """Every published entry (the unfiltered figures)."""
    ensure_current()
    return Selection(
        PublicEntry.objects.all(),
        PublicEntryCountry.objects.all(),
        PublicEntryOrganisation.objects.all(),
        PublicEntryFlow.objects.all(),
        {table: model.objects.all() for table, model in TALLIES.items()},
    )


def select(filterset) -> Selection:
    """The rows the filters of a bound JVAP filter set select (`JvapEntryFilter` or a
    subclass), none when a value is invalid. The filter set's form is validated once and
    shared. Each table's tally stands for it when the filters read only the tally's columns
    (`answers`); the countries' tally never when countries are chosen (the chart then counts
    every country of the entries in the chosen ones)."""
    facts = facts_filter(filterset)
    tables = everything()
    chosen = [
        facts.queryset_without("", table)
        for table in (tables.entries, tables.countries, tables.organisations, tables.flows)
    ]
    if chosen[0] is None:
        return Selection(
            PublicEntry.objects.none(),
            PublicEntryCountry.objects.none(),
            PublicEntryOrganisation.objects.none(),
            PublicEntryFlow.objects.none(),
        )
    filters = _chosen_filters(facts)
    tallies = {
        table: facts.queryset_without("", tally)
        for table, tally in tables.tallies.items()
        if filters <= tally.model.answers - {"country"}
    }
    return Selection(*chosen, tallies)


def facts_filter(filterset) -> PublishedFactsFilter:
    """The same filters and values as `filterset`, for the read model's tables (made once per
    filter set: a filter set copies its filters and fields, ~1 ms)."""
    if isinstance(filterset, PublishedFactsFilter):
        return filterset
    facts = getattr(filterset, "_published_facts", None)
    if facts is None:
        facts = PublishedFactsFilter(filterset.data, queryset=PublicEntry.objects.all())
        facts._form = filterset.form  # the same fields: validated once
        filterset._published_facts = facts
    return facts


# What each facet of the public listing groups by in the read model (default: its name).
FACET_COLUMNS = {"domain": "domain_number", "partner": "partner__code"}


def facet_counts(filterset, facets, known=None) -> dict[str, dict[str, int] | None]:
    """Each facet's counts under the other filters of the request (None when another filter's
    value is invalid): a grouped query per facet over the read model, the countries over
    `PublicEntryCountry` (an entry counts once in each of its countries). The other facets
    count entries (`EntryRows`). On PostgreSQL the facets whose own filter is not chosen see
    the same rows (every filter of the request) and are counted in one pass, with GROUPING
    SETS. `known` gives the counts of some facets that the caller has already (by name)."""
    facts = facts_filter(filterset)
    ensure_current()
    known = known or {}
    counts: dict[str, dict[str, int] | None] = {
        facet.name: {facet.normalise(value): n for value, n in known[facet.name].items()}
        for facet in facets
        if facet.name in known
    }
    if connection.vendor == "postgresql" and facts.chosen("q"):
        searched = [facet for facet in facets if facet.name not in counts]
        if searched:
            counts.update(_counts_of_search(facts, searched))
    together = []
    if connection.vendor == "postgresql":
        together = [
            facet
            for facet in facets
            if facet.name not in ("country", *counts) and not facts.chosen(facet.name)
        ]
    if len(together) > 1:
        counts.update(_counts_together(entry_rows(facts, ""), together))
    for facet in facets:
        if facet.name in counts:
            continue
        column = FACET_COLUMNS.get(facet.name, facet.name)
        if facet.name == "country":
            rows = country_rows(facts)
        else:
            rows = entry_rows(facts, facet.name)
        if rows.rows is None:
            counts[facet.name] = None
            continue
        counts[facet.name] = count_values(
            rows.rows, replace(facet, field=column), counted=rows.counted
        )
    counts = {facet.name: counts[facet.name] for facet in facets}
    dialogues = counts.get("dialogue")
    if dialogues is not None:
        # An entry of both processes relates to each of them.
        both = dialogues.get(JvapEntry.DialogueChoice.BOTH, 0)
        for process in (JvapEntry.DialogueChoice.RABAT, JvapEntry.DialogueChoice.KHARTOUM):
            dialogues[process] = dialogues.get(process, 0) + both
    return counts


def country_rows(facts: PublishedFactsFilter) -> EntryRows:
    """The rows standing for the entries of each country under every filter of the request but
    the country: the countries' tallies (`PublicCountryTally`) when those filters read only
    the choice columns, otherwise the countries' rows of the entries (`PublicEntryCountry`;
    an entry counts once in each of its countries either way)."""
    if _chosen_filters(facts) - {"country"} <= PublicCountryTally.answers:
        tallies = PublicCountryTally.objects.all()
        return EntryRows(facts.queryset_without("country", tallies), tallied=True)
    return EntryRows(facts.queryset_without("country", everything().countries))


@dataclass
class EntryRows:
    """Rows of the read model that stand for the entries a request selects (None: a filter's
    value is invalid), and how many entries a group of them stands for."""

    rows: QuerySet | None
    distinct: bool = False  # an entry may have several of the rows (`PublicEntryCountry`)
    tallied: bool = False  # the rows are tallies of entries (`PublicEntryTally`)

    @property
    def of_countries(self) -> bool:
        """Whether the rows are the chosen countries' (`PublicEntryCountry`)."""
        return self.rows is not None and self.rows.model is PublicEntryCountry

    @property
    def counted(self) -> Aggregate:
        if self.tallied:
            return Sum("entries")
        return Count("entry_id", distinct=self.distinct)

    def count(self) -> int:
        """How many entries (one query)."""
        if self.rows is None:
            return 0
        return self.rows.aggregate(n=self.counted)["n"] or 0


def entry_rows(facts: PublishedFactsFilter, without: str, *, tallied: bool = True) -> EntryRows:
    """The rows standing for the entries that match every filter of the request but
    `without`, the fewest that answer:

    - when those filters read only the choice columns, the tallies (`PublicEntryTally`, about
      1,400 rows at 100,000 entries), unless `tallied` is false (the entries themselves are
      wanted); when they also choose one country, that country's tallies
      (`PublicCountryTally`);
    - when countries are chosen, the rows of `PublicEntryCountry` in those countries, found
      through its country index with every filterable column beside them (matching the
      entries' rows to the countries' took ten times as long); an entry in two chosen
      countries has two of them;
    - otherwise the entries' own rows (`PublicEntry`).
    """
    tables = everything()
    chosen = _chosen_filters(facts) - {without}
    if tallied and chosen <= TALLIED_FILTERS:
        tallies = PublicEntryTally.objects.all()
        return EntryRows(facts.queryset_without(without, tallies), tallied=True)
    countries = [] if without == "country" else _chosen_countries(facts)
    if tallied and len(countries) == 1 and chosen <= PublicCountryTally.answers:
        tallies = PublicCountryTally.objects.filter(country__in=countries)
        return EntryRows(
            facts.queryset_without(without, tallies, applied=["country"]), tallied=True
        )
    if not countries:
        return EntryRows(facts.queryset_without(without, tables.entries))
    rows = tables.countries.filter(country__in=countries)
    return EntryRows(
        facts.queryset_without(without, rows, applied=["country"]), distinct=len(countries) > 1
    )


def _chosen_filters(facts: PublishedFactsFilter) -> set[str]:
    """The filters the request gives a value (valid or not), the sort aside."""
    facts.is_valid()
    return {name for name in facts.filters if name != "sort" and facts.chosen(name)}


def _chosen_countries(facts: PublishedFactsFilter) -> list[str]:
    """The countries the request chooses (none when its value is invalid)."""
    facts.is_valid()
    if "country" in facts.form.errors:
        return []
    return list(facts.form.cleaned_data.get("country") or [])


def _counts_of_search(facts: PublishedFactsFilter, facets) -> dict[str, dict[str, int] | None]:
    """The counts of the facets when the request searches words (PostgreSQL), in one query
    over the read model's rows of the entries (`PublicEntry`), which carry the entries' search
    vectors under a full-text index and their countries' codes (`SEARCHED_COLUMNS`).

    The rows matching the words and every filter but the facets' own are found once (a CTE),
    with their combination of the choice columns (`PublicEntry.combination`), their countries
    and, for each facet whose filter is chosen, whether the row passes that filter. The rows
    are counted by combination (one small integer each), the combinations joined to their
    tally rows for the choices' values, and each facet then counts the rows passing the
    filters of the other facets: the choice columns grouped by GROUPING SETS over the
    combinations, the countries' codes unnested.

    At 100,000 entries, finding the matches in the entries' own table read a page of that
    wide table per match (5,700 pages for "border") and their countries by an index probe per
    match (24,000 pages): 134 ms, where this reads 3,700 pages (35 ms); and a search with
    chosen facets no longer finds the matches once more for each of them. Grouping the
    matches by their combination rather than by five columns each took the statement for
    "border" (8,055 matches) from 26.5 to 22.2 ms (best of 30, alternating, machine busy)."""
    facts.is_valid()
    errors = set(facts.form.errors)
    # The facets by the filter they leave out: "" (none) for those whose filter is not chosen.
    groups: dict[str, list[int]] = {}
    for position, facet in enumerate(facets):
        groups.setdefault(facet.name if facts.chosen(facet.name) else "", []).append(position)
    counts: dict[str, dict[str, int] | None] = {facet.name: {} for facet in facets}
    # A facet whose filter is left out counts only when every other value is valid (and so
    # do the others: `queryset_without`).
    for without, positions in groups.items():
        if errors - {without}:
            counts.update({facets[position].name: None for position in positions})
    valid = [without for without in groups if not errors - {without}]
    chosen = [without for without in groups if without]
    if not valid:
        return counts
    matching = facts.queryset_without(
        next(iter(errors), ""), PublicEntry.objects.all(), applied=chosen
    )
    combined = any(facet.name != "country" for facet in facets)
    columns, passes = _matching_columns(
        facts, facets, [name for name in chosen if name not in errors]
    )
    try:
        inner, params = (
            matching.order_by()
            .values(*(["combination"] if combined else []), **columns)
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return counts  # no entry: no counts
    sql = f"WITH matching AS MATERIALIZED ({inner})"  # noqa: S608
    if combined:
        combined, combined_params = _combined(facets, list(passes.values()))
        sql, params = f"{sql}, {combined}", (*params, *combined_params)
    branches = []
    for without in valid:
        others = [passed for name, passed in passes.items() if name != without]
        branches += _search_branches(groups[without], facets, " AND ".join(others) or "TRUE")
    sql += f" {' UNION ALL '.join(branches)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for position, value, number in cursor.fetchall():
            if value not in (None, ""):
                facet = facets[position]
                options = counts[facet.name]
                key = facet.normalise(value)
                options[key] = options.get(key, 0) + number
    return counts


def _matching_columns(facts, facets, chosen: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The computed columns of the CTE `matching`: the countries' codes when a facet counts
    them and, for each chosen filter (with a valid value), whether the row passes it; and the
    names of those conditions' columns by filter."""
    columns: dict[str, Any] = {}
    if any(facet.name == "country" for facet in facets):
        columns["country_codes"] = RawSQL(CODES, ())
    passes = {}
    for number, name in enumerate(chosen):
        passes[name] = f"passes_{number}"
        rows = facts.filters[name].filter(PublicEntry.objects.all(), facts.form.cleaned_data[name])
        columns[passes[name]] = ExpressionWrapper(rows.query.where, output_field=BooleanField())
    return columns, passes


def _combined(facets, passes: list[str]) -> tuple[str, tuple]:
    """The CTE `combined`: the rows of `matching` counted (`n`) by combination and by the
    chosen filters they pass, with the combination's choices read from its tally row, named
    as the facets (`facet_<position>`)."""
    if unanswered := {facet.name for facet in facets} - TALLIED_FILTERS - {"country"}:
        raise ValueError(f"A search counts only the tallies' choices and countries: {unanswered}")
    choices = {
        f"facet_{position}": F(FACET_COLUMNS.get(facet.name, facet.name))
        for position, facet in enumerate(facets)
        if facet.name != "country"
    }
    tally, params = (
        PublicEntryTally.objects.order_by().values("id", **choices).query.sql_with_params()
    )
    passed = "".join(f", {name}" for name in passes)
    sql = (
        f"combined AS (SELECT tally.*{passed}, n FROM (SELECT combination{passed}, "  # noqa: S608
        f"COUNT(*) AS n FROM matching GROUP BY combination{passed}) counted "
        f"JOIN ({tally}) tally ON tally.id = counted.combination)"
    )
    return sql, tuple(params)


# The countries' codes of `PublicEntry`'s rows (a column its model does not declare).
CODES = f'"{PublicEntry._meta.db_table}"."country_codes"'


def _search_branches(positions: list[int], facets, condition: str) -> list[str]:
    """The SELECTs counting the facets at `positions` over the rows that meet the condition
    (the choices over the CTE `combined`, the countries over `matching`): (the facet's
    position, a value, how many entries have it) for each facet and value."""
    branches = []
    grouped = [f"facet_{position}" for position in positions if facets[position].name != "country"]
    if grouped:
        position = " ".join(
            f"WHEN GROUPING({alias}) = 0 THEN {alias.removeprefix('facet_')}" for alias in grouped
        )
        value = ", ".join(f"CAST({alias} AS TEXT)" for alias in grouped)
        sets = ", ".join(f"({alias})" for alias in grouped)
        branches.append(
            f"SELECT CASE {position} END, COALESCE({value}), CAST(SUM(n) AS BIGINT) "
            f"FROM combined WHERE {condition} GROUP BY GROUPING SETS ({sets})"
        )
    for position in positions:
        if facets[position].name == "country":
            # An entry's codes are distinct: it counts once in each of its countries.
            # Unnested in the select list (a ProjectSet), not joined to `unnest()` row by row:
            # a function scan per matching row took 15 of the 35 ms of "border" at 100,000.
            branches.append(
                f"SELECT {position}, code, COUNT(*) FROM (SELECT unnest(country_codes) AS code "
                f"FROM matching WHERE {condition}) AS codes GROUP BY code"
            )
    return branches


def _counts_together(entries: EntryRows, facets) -> dict[str, dict[str, int] | None]:
    """The counts of several facets over the same rows standing for entries, in one query
    grouped by GROUPING SETS (PostgreSQL): one set per facet."""
    rows = entries.rows
    if rows is None:
        return dict.fromkeys((facet.name for facet in facets), None)
    aliases = {f"facet_{number}": facet for number, facet in enumerate(facets)}
    columns = {
        alias: F(FACET_COLUMNS.get(facet.name, facet.name)) for alias, facet in aliases.items()
    }
    counts: dict[str, dict[str, int] | None] = {facet.name: {} for facet in facets}
    try:
        selected = rows.order_by().annotate(**columns)
        if entries.tallied:
            selected, counted = selected.values("entries", *columns), "SUM(entries)"
        elif entries.distinct:
            # An entry's rows have the same values: one of them each (a COUNT(DISTINCT) would
            # sort the rows once per set).
            selected, counted = selected.values("entry_id", *columns).distinct(), "COUNT(*)"
        else:
            selected, counted = selected.values(*columns), "COUNT(*)"
        inner, params = selected.query.sql_with_params()
    except EmptyResultSet:
        return counts
    names = ", ".join(aliases)
    grouped = ", ".join(f"GROUPING({alias})" for alias in aliases)
    sets = ", ".join(f"({alias})" for alias in aliases)
    sql = (
        f"SELECT {names}, {grouped}, {counted} FROM ({inner}) rows "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = cursor.fetchall()
    width = len(aliases)
    for result in results:
        values, grouping, number = result[:width], result[width : 2 * width], result[-1]
        position = grouping.index(0)  # the set of this row: the one column grouped by
        value, facet = values[position], facets[position]
        if value in (None, ""):
            continue
        key = facet.normalise(value)
        options = counts[facet.name]
        options[key] = options.get(key, 0) + number
    return counts
