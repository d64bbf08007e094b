"""The filters every public listing shares: countries, years, sorting and words.

A listing's FilterSet (in its app's `filters.py`) subclasses `ListingFilterSet` and declares
its own filters with these. Query parameter names and values are a public contract: partners
bookmark filtered addresses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import text
from .collation import name_order

UNKNOWN_COUNTRY = _(
    "There is no country with the code “%(value)s”; use a two-letter ISO code such as sn."
)
INVALID_CHOICE = _("“%(value)s” is not one of the values this filter accepts.")
YEAR_MESSAGE = _("The year must be four digits, such as 2024.")


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet that can also give the rows matching every filter but one (facet counts).

    Its form's fields have the ids `filter-<name>`, which the filter form template uses.
    """

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            data = self.data if self.is_bound else None
            self._form = form_class(data, prefix=self.form_prefix, auto_id="filter-%s")
        return self._form

    def queryset_without(self, name: str, queryset=None, *, applied: Iterable[str] = ()):
        """The rows matching every filter of the request except `name` (and the sort), or
        None when another filter's value is invalid: the page shows no rows then. The rows
        are the filter set's queryset, or `queryset` when given (another table with the
        columns the filters read); the filters named in `applied` are left out too, the
        caller having applied them to `queryset` in its own way."""
        self.is_valid()
        if any(field != name for field in self.form.errors):
            return None
        queryset = (self.queryset if queryset is None else queryset).all()
        skipped = {name, *applied}
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name in skipped or isinstance(self.filters[filter_name], SortFilter):
                continue
            queryset = self.filters[filter_name].filter(queryset, value)
        return queryset

    def matching_rows(self):
        """The rows matching every filter of the request, unsorted: the listing's own rows
        (a filter that queries, such as words, is not run again), or None when a filter's
        value is invalid."""
        if not self.is_valid():
            return None
        return self.qs.order_by()

    def chosen(self, name: str) -> bool:
        """Whether the request gives the filter a value (valid or not)."""
        self.is_valid()
        if name in self.form.errors:
            return True
        value = self.form.cleaned_data.get(name)
        if isinstance(value, (list, tuple, set, QuerySet)):
            return bool(value)  # a model choice's rows, read already by the form's check
        return value not in (None, "")


# --- Countries -------------------------------------------------------------------------------


class RepeatedValueSelect(forms.Select):
    """A single-choice select whose parameter may still be repeated in the address."""

    def use_required_attribute(self, initial) -> bool:
        # Filters are optional; answering here without reading the choices saves their query.
        return False

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return [value] if value else []


class CountryCodesField(forms.MultipleChoiceField):
    """Two-letter ISO codes of states django-countries knows, in any letter case, repeatable.

    `choices` are the options a form offers (e.g. the countries where there are rows); any
    known code is accepted, so that `country=FR` is a question with no answer, not an error.
    """

    widget = RepeatedValueSelect
    default_error_messages = {"invalid_choice": UNKNOWN_COUNTRY}

    def __init__(self, *, choices=(), empty_label=None, **kwargs):
        if empty_label is not None:
            offered = choices

            def choices():
                return [("", empty_label), *(offered() if callable(offered) else offered)]

        super().__init__(choices=choices, **kwargs)

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(item).strip() for item in values if item and str(item).strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for code in value:
            if code.upper() not in dict(countries):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )

    def clean(self, value) -> list[str]:
        return [code.upper() for code in super().clean(value)]


class CountryFilter(django_filters.Filter):
    """`country=<ISO code>`, repeatable, any case: rows in any of the countries given.

    Filters `field_name__in` by default; a listing whose countries sit in another table
    passes `method=` (an `Exists()` over that table keeps each row once).
    """

    field_class = CountryCodesField

    def __init__(self, *, choices: Callable[[], Iterable] | Iterable = (), **kwargs):
        kwargs.setdefault("label", _("Country"))
        super().__init__(**kwargs)
        self.extra["choices"] = choices

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


# --- Years -----------------------------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    """`year=2024`: rows of that year of `field_name` (a date), or what `method=` says."""

    field_class = forms.IntegerField

    def __init__(self, field_name: str | None = None, *, min_value=1900, max_value=2100, **kw):
        kw.setdefault("label", _("Year"))
        kw.setdefault("lookup_expr", "year")
        kw.setdefault(
            "error_messages",
            {"invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE},
        )
        super().__init__(field_name=field_name, min_value=min_value, max_value=max_value, **kw)


# --- Sorting ---------------------------------------------------------------------------------


class SortFilter(django_filters.ChoiceFilter):
    """`sort=<value>`: one of `options`, each (value, label, column); a leading "-" in the value
    sorts that column descending. Empty values sort last and the primary key breaks ties, so
    that pages never overlap.

    The columns in `names` are texts a reader reads (titles with a French twin `<column>_fr`):
    they sort as names, collated, and by the French text on French pages
    (`core.collation.name_order`)."""

    def __init__(
        self,
        *,
        options: Iterable[tuple[str, Any, str]],
        default: str = "",
        names: Iterable[str] = (),
        **kwargs,
    ):
        options = list(options)
        self.columns = {value: column for value, _label, column in options}
        self.names = frozenset(names)
        self.default = default
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("error_messages", {"invalid_choice": INVALID_CHOICE})
        kwargs.setdefault("empty_label", None)
        super().__init__(choices=[(value, label) for value, label, _col in options], **kwargs)

    def ordering(self, value: str) -> list:
        """The ORDER BY of a sort value."""
        name = self.columns[value]
        # Built here, while the visitor's language is active.
        column = name_order(name, translated=True) if name in self.names else F(name)
        if value.startswith("-"):
            return [column.desc(nulls_last=True), F("pk").desc()]
        return [column.asc(nulls_last=True), F("pk").asc()]

    def filter(self, qs, value):
        value = value or self.default
        return qs.order_by(*self.ordering(value)) if value else qs


# --- Words -----------------------------------------------------------------------------------


class SearchTextFilter(django_filters.CharFilter):
    """`q=<text>`: the rows whose text fields contain every word, whatever the case and accents.

    The words are compared in Python (core.text) over the text columns of the rows the other
    filters leave, so that "conference" finds "Conférence" on SQLite and PostgreSQL alike; one
    query, whatever the number of rows. Large tables search in the database instead (a
    `method=` with indexed lookups, as the JVAP listing does).
    """

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", _("Words"))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.fields = fields

    def filter(self, qs, value):
        words = text.words_of(value or "")
        if not words:
            return qs
        rows = qs.order_by().values_list("pk", *self.fields).distinct()
        return qs.filter(pk__in=[row[0] for row in rows if text.matches(words, *row[1:])])
