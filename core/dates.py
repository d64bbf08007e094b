"""Dates as precise as their source: a day, a month or only a year.

Many reference dates are known only to the month or the year ("Paris, 2008"). Such a date is
stored as the first day of its month or year, so that sorting and filtering by year keep
working, next to a precision field named `<date field>_precision`. Everything that shows or
exports the date asks this module how to write it, so that no page invents a day.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a date the source gives."""

    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def precision_field(**kwargs) -> models.CharField:
    """The `<date field>_precision` field that goes next to a date known to a day, month or year."""
    options = {
        "verbose_name": _("known to"),
        "max_length": 5,
        "choices": DatePrecision.choices,
        "default": DatePrecision.DAY,
        "help_text": _(
            "How precise the source is. For a month or a year, any day of it may be entered: "
            "the first day is kept and pages show only the month or the year."
        ),
        **kwargs,
    }
    return models.CharField(**options)


def truncate(
    date: datetime.date | None, precision: str, *, last: bool = False
) -> datetime.date | None:
    """The first (or with `last`, the last) day of the month or year the date falls in, for a
    month or a year precision; the date itself for a day."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return date.replace(month=12, day=31) if last else date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        if last:
            next_month = date.replace(day=28) + datetime.timedelta(days=4)
            return next_month - datetime.timedelta(days=next_month.day)
        return date.replace(day=1)
    return date


def display(date: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """The date for a reader, in the active language: "30 January 2026", "November 2008", "2008"."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(date, "YEAR_MONTH_FORMAT")
    # What `formats.date_format(date, "j F Y")` writes, without parsing the format and
    # translating the month for each date (~0.1 ms): a page of meeting cards writes sixty.
    return f"{date.day} {_month_names(get_language())[date.month]} {date.year:04d}"


@lru_cache(maxsize=16)
def _month_names(language: str | None) -> dict[int, str]:
    """The months' names in a language (fixed for a process, as its translation catalogue)."""
    with override(language):
        return {number: str(name) for number, name in MONTHS.items()}


def month_year(date: datetime.date) -> str:
    """What `formats.date_format(date, "F Y")` writes ("March 2024", "mars 2024"), without
    Django's format parser (the grants listing's months)."""
    return f"{_month_names(get_language())[date.month]} {date.year:04d}"


def iso(date: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """The date in ISO 8601 as far as it is known: "2026-01-30", "2008-11" or "2008".

    This is also what goes into an HTML `<time datetime>` attribute and into exports.
    """
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def precision_of(obj: Any, field_name: str) -> str:
    """The precision an object records for one of its dates (a day when it records none)."""
    return getattr(obj, f"{field_name}_precision", None) or DatePrecision.DAY


class PreciseDatesMixin:
    """For models whose dates have a `<field>_precision` twin (listed in `precise_dates`).

    `clean()` and `save()` keep each date on the first day of its month or year, whatever path
    writes it (admin, import, shell, reference data), so that two records of "November 2008"
    compare equal and the stored day is never taken for a fact. An `end` ("until 2020") is kept
    on the last day instead, so that "in force on a date" stays true through that year.
    """

    precise_dates: tuple[str, ...] = ()
    closing_dates: tuple[str, ...] = ("end",)

    def normalise_precise_dates(self) -> None:
        for name in self.precise_dates:
            date = truncate(
                getattr(self, name), precision_of(self, name), last=name in self.closing_dates
            )
            setattr(self, name, date)

    def clean(self):
        self.normalise_precise_dates()
        super().clean()

    def save(self, *args, **kwargs):
        self.normalise_precise_dates()
        super().save(*args, **kwargs)

    def date_as_known(self, field_name: str) -> str:
        """One of the record's dates written as precisely as it is known."""
        return display(getattr(self, field_name), precision_of(self, field_name))

    def iso_date_as_known(self, field_name: str) -> str:
        return iso(getattr(self, field_name), precision_of(self, field_name))
