"""The names of countries in the visitor's language, looked up in a table built once per
language and process.

django-countries translates a name on every `countries.name(code)` call (~0.1 ms): a page that
names a hundred states (a listing's country options, the dashboard's map and chart) spent
more there than in its queries. The names are fixed for a process (settings and translation
catalogues do not change while it runs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.utils.translation import get_language, override
from django_countries import countries


@lru_cache(maxsize=16)
def _names(language: str | None) -> dict[str, str]:
    with override(language):
        return {code: str(name) for code, name in countries}


def country_name(code: str) -> str:
    """The country's name in the active language ("" for an unknown code), as
    `countries.name(code)` gives it."""
    code = str(code).upper()
    return _names(get_language()).get(code) or countries.name(code)


def namer() -> Callable[[str], str]:
    """`country_name` for many codes in the active language (its table looked up once)."""
    names = _names(get_language())
    return lambda code: names.get(str(code).upper()) or countries.name(str(code).upper())
