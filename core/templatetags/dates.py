"""`{% load dates %}`: a record's dates as precise as their source (see core.dates).

    <time datetime="{{ m|iso_as_known:'start_date' }}">{{ m|as_known:"start_date" }}</time>

shows "30 January 2026", "November 2008" or "2008" (in French "novembre 2008"), never a day
the source does not give.
"""

from django import template

from core import dates

register = template.Library()


@register.filter
def as_known(obj, field_name: str) -> str:
    """One of the object's dates, written as precisely as it records it ("" when empty)."""
    if obj is None:
        return ""
    return dates.display(getattr(obj, field_name, None), dates.precision_of(obj, field_name))


@register.filter
def iso_as_known(obj, field_name: str) -> str:
    """The same date in ISO 8601 as far as it is known, for `<time datetime>` and data."""
    if obj is None:
        return ""
    return dates.iso(getattr(obj, field_name, None), dates.precision_of(obj, field_name))
