"""Counts per option in the filter forms of the listings ("Thematic meeting (12)").

A facet's counts are those of the rows matching every *other* filter of the request, so that
choosing a type still shows how many rows each other type would give. A facet declares what
it groups by (`field`: a column path or an expression); the listing asks its
`facet_counts(queryset, facet)` hook for the counts, which by default is one grouped query
(`count_values`). A listing with precomputed counts overrides that hook and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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
    group_by = facet.group_by
    distinct = facet.distinct
    if distinct is None:
        distinct = isinstance(group_by, str) and "__" in group_by
    rows = (
        queryset.order_by()
        .annotate(facet_value=F(group_by) if isinstance(group_by, str) else group_by)
        .values("facet_value")
        .annotate(n=counted if counted is not None else Count("pk", distinct=distinct))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        if row["facet_value"] in (None, ""):
            continue
        key = facet.normalise(row["facet_value"])
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


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
