"""Sorting names as a reader expects them, in French as in English: "Bénin" before "Burkina
Faso", "Égypte" between "Danemark" and "Érythrée" (Python's plain sort, and a database's
byte order, put accented letters after "z").

At the first level of the Unicode collation, which is what a sorted list of names needs,
French ignores accents and case; folding both away (core.text.fold, the same folding search
uses) gives that order without a locale on the server.

Lists sorted in Python use `sorted_by_name`; lists sorted by the database order by
`name_order(field)`, which collates the same way on both databases: PostgreSQL with its ICU
root collation ("und-x-icu", built into every PostgreSQL compiled with ICU, as Debian's and
the official images are), SQLite with a collation of the same name registered on each
connection (`register_sqlite_collation`) that compares the folded texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import F, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language

from .text import fold

T = TypeVar("T")

# The PostgreSQL collation that orders names by letter first, accents and case after.
POSTGRESQL_COLLATION = "und-x-icu"
# The collation registered on SQLite connections, comparing collation_key()s.
SQLITE_COLLATION = "portal_names"


def collation_key(text: Any) -> tuple[str, str]:
    """A sort key for a name: accents and case folded away first, the exact text to break
    ties (so that the order is stable and total)."""
    return _text_key(str(text))


# Cached on the text itself (never on a lazy translation, whose text changes with the
# language): SQLite's collation compares the same names many times in one sort.
@lru_cache(maxsize=20_000)
def _text_key(text: str) -> tuple[str, str]:
    return fold(text), text


def sorted_by_name(items: Iterable[T], key: Callable[[T], Any] = str) -> list[T]:
    """The items sorted by the name `key` gives them (by default their text), collated."""
    return sorted(items, key=lambda item: collation_key(key(item)))


def _compare(left: str, right: str) -> int:
    left_key, right_key = collation_key(left), collation_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives a SQLite connection the portal's name collation,
    and `portal_unaccent(text)`, the accent folding of searches (`core.text.fold`: accents and
    case away), named as PostgreSQL's immutable `unaccent()` wrapper (`jvap.indexes`) so that
    a search writes the same SQL function on both databases."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
        connection.connection.create_function(
            UNACCENT_FUNCTION, 1, _fold_or_null, deterministic=True
        )


# The accent-folding SQL function (PostgreSQL: unaccent(); SQLite: core.text.fold).
UNACCENT_FUNCTION = "portal_unaccent"


def _fold_or_null(text):
    return None if text is None else fold(text)


class Collated(Collate):
    """`<expression> COLLATE <the portal's name collation>` on either database."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        extra_context["collation"] = connection.ops.quote_name(SQLITE_COLLATION)
        return self.as_sql(compiler, connection, **extra_context)


def in_visitor_language(field: str) -> Expression:
    """The field's French twin (`<field>_fr`) on French pages where it is filled, else the
    field: what `LocalizedFieldsMixin.localized()` shows, as a database expression."""
    if (get_language() or "en").startswith("fr"):
        return Coalesce(NullIf(F(f"{field}_fr"), Value("")), F(field))
    return F(field)


def name_order(field: str, *, translated: bool = False) -> Collated:
    """An ORDER BY expression sorting rows by a name or title as a reader expects; with
    `translated`, by the text the visitor reads (the French twin on French pages). Build it
    while the visitor's language is active (in the view), not at import."""
    return Collated(in_visitor_language(field) if translated else F(field))
