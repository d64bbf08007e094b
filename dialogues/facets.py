"""Counts per option for the filter forms of the public listings ("Thematic meeting (12)").

A facet's counts are those of the rows matching every *other* filter of the request, so that
choosing a type still shows how many rows each other type would give. One query per facet,
whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .text import fold


@dataclass(frozen=True)
class Facet:
    """One filter of a listing's form and how to count the rows per option."""

    name: str  # the query parameter
    label: Any
    group_by: str  # the field (or `year:<date field>`) whose values are the options
    # The label of an option, or None for a value that does not exist.
    option_label: Callable[[str], Any] = str
    multiple: bool = False
    widget: str = "select"  # "select" or "checkboxes"


@dataclass
class FacetOption:
    value: str
    label: Any
    count: int
    selected: bool


@dataclass
class FacetForm:
    facet: Facet
    options: list[FacetOption] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.facet.name

    @property
    def label(self):
        return self.facet.label

    @property
    def widget(self) -> str:
        return self.facet.widget

    @property
    def multiple(self) -> bool:
        return self.facet.multiple

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def facet_forms(filterset_class, data, queryset, facets, errors=None) -> list[FacetForm]:
    """The options of each facet with their counts, given the request's other filters."""
    errors = errors or {}
    forms = []
    for facet in facets:
        others = data.copy()
        others.pop(facet.name, None)
        others.pop("sort", None)
        others.pop("page", None)
        filterset = filterset_class(data=others, queryset=queryset)
        selected = [value.strip() for value in data.getlist(facet.name) if value.strip()]
        counts: dict[str, int] = {}
        if filterset.is_valid():
            counts = _counts(filterset.qs, facet.group_by)
        normalised = {_normalise(facet, value) for value in selected}
        for value in normalised:
            # A selected value keeps its place in the form even when no row matches it now;
            # a value that does not exist is reported by the form's message instead.
            if value not in counts and facet.option_label(value) is not None:
                counts[value] = 0
        options = [
            FacetOption(
                value=value,
                label=facet.option_label(value),
                count=count,
                selected=value in normalised,
            )
            for value, count in counts.items()
        ]
        options.sort(key=_sort_key(facet))
        forms.append(
            FacetForm(
                facet=facet, options=options, errors=[str(e) for e in errors.get(facet.name, [])]
            )
        )
    return forms


def _normalise(facet: Facet, value: str) -> str:
    return value.lower() if facet.name == "country" else value


def _sort_key(facet: Facet):
    if facet.group_by.startswith("year:"):
        return lambda option: -int(option.value)
    return lambda option: fold(option.label)


def _counts(queryset, group_by: str) -> dict[str, int]:
    queryset = queryset.order_by()
    if group_by.startswith("year:"):
        date_field = group_by.split(":", 1)[1]
        rows = (
            queryset.filter(**{f"{date_field}__isnull": False})
            .annotate(facet_value=ExtractYear(date_field))
            .values("facet_value")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
    else:
        rows = (
            queryset.exclude(**{f"{group_by}__isnull": True})
            .exclude(**{group_by: ""})
            .values(facet_value=_field(group_by))
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
    counts = {}
    for row in rows:
        value = row["facet_value"]
        if value in (None, ""):
            continue
        key = str(value).lower() if group_by == "country" else str(value)
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _field(name: str):
    from django.db.models import F

    return F(name)
