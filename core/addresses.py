"""Addresses of many rows of one view, reversed once.

`reverse` resolves the URL patterns on every call (~0.1 ms): a page that links a hundred rows
(a listing's entries, the states on a map) spent more there than in its queries. A view whose
address differs between rows only by one argument is reversed once with a sample value, and
each row's value takes the sample's place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A value no row has that every kind of path argument accepts (int, str, slug).
SAMPLE = "98765432109876543210"


def address_of(viewname: str, argument: str) -> Callable[[object], str]:
    """A function giving the address of `viewname` with `argument` set to its value, as
    `reverse(viewname, kwargs={argument: value})` in the active language."""
    before, _sample, after = reverse(viewname, kwargs={argument: SAMPLE}).rpartition(SAMPLE)
    return lambda value: f"{before}{value}{after}"


def address_of_in(context, viewname: str, argument: str) -> Callable[[object], str]:
    """`address_of`, made once for the template being rendered (kept in its render context):
    template tags that link rows call it for each list they write."""
    key = f"core.addresses:{viewname}:{argument}"
    page_of = context.render_context.get(key)
    if page_of is None:
        page_of = context.render_context[key] = address_of(viewname, argument)
    return page_of
