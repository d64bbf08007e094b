"""Sorting names as a reader expects them, in French as in English: "Bénin" before "Burkina
Faso", "Égypte" between "Danemark" and "Érythrée" (Python's plain sort puts accented letters
after "z").

At the first level of the Unicode collation, which is what a sorted list of names needs,
French ignores accents and case; folding both away (core.text.fold, the same folding search
uses) gives that order without a locale on the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .text import fold

T = TypeVar("T")


def collation_key(text: Any) -> tuple[str, str]:
    """A sort key for a name: accents and case folded away first, the exact text to break
    ties (so that the order is stable and total)."""
    text = str(text)
    return fold(text), text


def sorted_by_name(items: Iterable[T], key: Callable[[T], Any] = str) -> list[T]:
    """The items sorted by the name `key` gives them (by default their text), collated."""
    return sorted(items, key=lambda item: collation_key(key(item)))
