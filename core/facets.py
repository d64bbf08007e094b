"""Counts per option in the filter forms of the listings ("Thematic meeting (12)").

A facet's counts are those of the rows matching every *other* filter of the request, so that
choosing a type still shows how many rows each other type would give. A facet declares what
it groups by (`field`: a column path or an expression); the listing asks its
`get_facet_counts(filterset)` hook for the counts, which by default counts every facet in one
statement (`count_facets`). A listing with precomputed counts overrides that hook and nothing
else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, Count, F
from django.db.models.functions import ExtractYear

from .collation import collation_key
from .country_names import country_name


@dataclass(frozen=True)
class Facet:
    """One filter of a listing's form and how to count the rows per option."""

    name: str  # the query parameter (and the FilterSet's filter)
    field: Any = None  # what rows are grouped by: a column path or an expression; default name
    label: Any = None  # default: the filter's label
    # Every option in order, shown even when no row has it: a callable giving (value, label).
    choices: Callable[[], Iterable[tuple[str, Any]]] | None = None
    # Otherwise the options are the values rows have: the label of one (None: no such value).
    option_label: Callable[[str], Any] = str
    widget: str = "select"  # "select" or "checkboxes"
    newest_first: bool = False  # options by descending value (years) rather than by label
    case: str = ""  # "upper" or "lower": how values are written in addresses
    distinct: bool | None = None  # count distinct rows (default: when `field` joins a table)

    @property
    def group_by(self):
        return self.field if self.field is not None else self.name

    def normalise(self, value: Any) -> str:
        value = str(value).strip()
        if self.case == "upper":
            return value.upper()
        if self.case == "lower":
            return value.lower()
        return value


def country_facet(name: str = "country", field: str = "country", **kwargs) -> Facet:
    """Countries by their name in the visitor's language."""
    kwargs.setdefault("case", "upper")
    return Facet(name, field, option_label=country_label, **kwargs)


def year_facet(name: str, date_field: str, **kwargs) -> Facet:
    """The years of a date field, newest first."""
    return Facet(
        name, ExtractYear(date_field), option_label=year_label, newest_first=True, **kwargs
    )


def country_label(code: str):
    """The state's name in the visitor's language, or None for an unknown code."""
    return country_name(code) or None


def year_label(value: str):
    return value if value.isdigit() and len(value) == 4 else None


def choice_label(choices) -> Callable[[str], Any]:
    """The label of a value of Django choices (None for an unknown value)."""
    return dict(choices).get


def count_values(queryset, facet: Facet, counted: Aggregate | None = None) -> dict[str, int]:
    """How many rows have each value of the facet's field: one grouped query. `counted` is
    the aggregate that says how many things a group of rows stands for (default: how many
    rows, or distinct rows when the facet says so)."""
    counts: dict[str, int] = {}
    for row in _grouped(queryset, facet, counted):
        _add(counts, facet, row["facet_value"], row["n"])
    return counts


def _joins(facet: Facet) -> bool:
    """Whether the facet's field is read through a join (a row may then repeat)."""
    return isinstance(facet.group_by, str) and "__" in facet.group_by


def _grouped(queryset, facet: Facet, counted: Aggregate | None = None):
    """The rows' count per value of the facet's field (`facet_value`, `n`)."""
    group_by = facet.group_by
    distinct = facet.distinct
    if distinct is None:
        # A row repeated by a join (of the facet's field, or of a filter through a join that
        # the queryset makes DISTINCT) counts once, as the listing shows it once.
        distinct = _joins(facet) or queryset.query.distinct
    return (
        queryset.order_by()
        .annotate(facet_value=F(group_by) if isinstance(group_by, str) else group_by)
        .values("facet_value")
        .annotate(n=counted if counted is not None else Count("pk", distinct=distinct))
        .order_by()
    )


def _add(counts: dict[str, int], facet: Facet, value: Any, number: int) -> None:
    if value in (None, ""):
        return
    key = facet.normalise(value)
    counts[key] = counts.get(key, 0) + number


@dataclass
class FacetCounts:
    """The counts of a listing's facets by name (None: a filter's value is invalid), and how
    many rows a queryset has when `count_facets` was asked (None otherwise)."""

    facets: dict[str, dict[str, int] | None]
    rows: int | None = None


# The position a count of all the rows is given at, among the facets' positions.
ALL_ROWS = -1


def count_facets(
    rows: Sequence[tuple[Any, Sequence[Facet]]], *, count_rows_of: int | None = None
) -> FacetCounts:
    """The counts of several facets in one statement: `rows` pairs a queryset (None: a
    filter's value is invalid, no counts) with the facets counted over it; with
    `count_rows_of` (an index in `rows`), how many rows that queryset has, in the same
    statement (the listing's total, without a COUNT query of its own).

    Each facet is a grouped SELECT of its own, all of them joined by UNION ALL (one round
    trip, whatever the number of facets). On PostgreSQL the facets read from the rows' own
    columns that share a queryset are grouped in one pass with GROUPING SETS (one scan of the
    rows instead of one per facet, the count of all the rows an empty set of the same pass);
    a facet read through a join (the dialogues of a meeting) stays a SELECT of its own, as
    the join repeats the rows the others count."""
    counts: dict[str, dict[str, int] | None] = {}
    branches: list[tuple[str, list]] = []
    positions: list[Facet] = []
    database = "default"
    counting_rows = False
    for index, (queryset, facets) in enumerate(rows):
        if queryset is None:
            counts.update(dict.fromkeys((facet.name for facet in facets), None))
            continue
        counts.update({facet.name: {} for facet in facets})
        database = queryset.db
        with_rows = index == count_rows_of
        together = [facet for facet in facets if not (_joins(facet) or facet.distinct)]
        if connections[database].vendor != "postgresql" or len(together) < 2:
            together = []
        alone = [facet for facet in facets if all(facet is not other for other in together)]
        try:
            if together:
                branch = _grouping_sets(queryset, together, len(positions), with_rows=with_rows)
            elif with_rows:
                inner, params = queryset.order_by().values("pk").query.sql_with_params()
                branch = (f"SELECT {ALL_ROWS}, NULL, COUNT(*) FROM ({inner}) f", params)  # noqa: S608
            grouped = []
            for number, facet in enumerate(alone, start=len(positions) + len(together)):
                inner, params = _grouped(queryset, facet).query.sql_with_params()
                sql = f"SELECT {number}, CAST(facet_value AS TEXT), n FROM ({inner}) f"  # noqa: S608
                grouped.append((sql, params))
        except EmptyResultSet:  # a filter no row can match: no counts (and no rows)
            counting_rows |= with_rows
            continue
        if together or with_rows:
            branches.append(branch)
        branches.extend(grouped)
        positions.extend((*together, *alone))
        counting_rows |= with_rows
    result = FacetCounts(counts, rows=0 if counting_rows else None)
    if branches:
        with connections[database].cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(sql for sql, _params in branches),
                [param for _sql, params in branches for param in params],
            )
            results = cursor.fetchall()
        for position, value, number in results:
            if position == ALL_ROWS:
                result.rows = number
                continue
            facet = positions[position]
            _add(counts[facet.name], facet, value, number)
    return result


def _grouping_sets(
    queryset, facets: Sequence[Facet], first: int, *, with_rows: bool = False
) -> tuple[str, list]:
    """The SELECT counting several facets over the same rows in one pass (PostgreSQL):
    (the facet's position, a value as text, how many rows have it) for each facet and value;
    `with_rows` adds (`ALL_ROWS`, NULL, how many rows there are)."""
    aliases = {f"facet_{first + number}": facet for number, facet in enumerate(facets)}
    columns = {
        alias: F(facet.group_by) if isinstance(facet.group_by, str) else facet.group_by
        for alias, facet in aliases.items()
    }
    selected = queryset.order_by().annotate(**columns)
    # Rows made distinct by a filter through a join keep their key, so that DISTINCT still
    # keeps each row once rather than each combination of values.
    names = ("pk", *columns) if queryset.query.distinct else tuple(columns)
    inner, params = selected.values(*names).query.sql_with_params()
    position = " ".join(
        f"WHEN GROUPING({alias}) = 0 THEN {alias.removeprefix('facet_')}" for alias in aliases
    )
    value = ", ".join(f"CAST({alias} AS TEXT)" for alias in aliases)
    sets = ", ".join([*(f"({alias})" for alias in aliases), *(["()"] if with_rows else [])])
    sql = (
        f"SELECT CASE {position} ELSE {ALL_ROWS} END, COALESCE({value}), COUNT(*) "  # noqa: S608
        f"FROM ({inner}) rows GROUP BY GROUPING SETS ({sets})"
    )
    return sql, list(params)


@dataclass
class FacetOption:
    value: str
    label: Any
    count: int
    selected: bool


@dataclass
class FacetForm:
    """A facet as the filter form shows it: its options with counts, and its errors."""

    facet: Facet
    label: Any
    options: list[FacetOption] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.facet.name

    @property
    def widget(self) -> str:
        return self.facet.widget


def facet_options(facet: Facet, counts: dict[str, int], selected: set[str]) -> list[FacetOption]:
    """The options of a facet: its choices in order, or the counted values by label."""
    if facet.choices is not None:
        return [
            FacetOption(value, label, counts.get(value, 0), value in selected)
            for value, label in facet.choices()
        ]
    values = dict(counts)
    for value in selected:
        # A selected value keeps its place in the form even when no row matches it now; a
        # value that does not exist is reported by the form's message instead.
        values.setdefault(value, 0)
    options = [
        FacetOption(value, label, count, value in selected)
        for value, count in values.items()
        if (label := facet.option_label(value)) is not None
    ]
    if facet.newest_first:
        options.sort(key=lambda option: option.value, reverse=True)
    else:
        options.sort(key=lambda option: collation_key(option.label))
    return options


def selected_values(facet: Facet, data) -> set[str]:
    """The facet's values in the request (normalised as addresses write them)."""
    values = data.getlist(facet.name) if hasattr(data, "getlist") else [data.get(facet.name)]
    return {facet.normalise(value) for value in values if value and str(value).strip()}
