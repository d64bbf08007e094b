"""Sections that other apps add to the dialogues' pages, without the dialogues app importing
them: the grants app adds "grants led or joined" to organisation pages, the JVAP app adds
entries to country pages, and so on.

An app registers a provider in its AppConfig.ready():

    page_sections.register("organisation", organisation_grants_section)

A provider takes the page's object (a Dialogue, an Organisation, or a country code for
"country") and returns a PageSection, or None when it has nothing to show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PAGES = ("dialogue", "organisation", "country")


@dataclass
class PageSection:
    """A block of a page: its heading, the template that renders it, and that template's data.

    The page includes the template with `section` alone (templates/includes/
    page_sections.html): the template reads its data as `section.context`."""

    heading: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


_providers: dict[str, list[Callable[[Any], PageSection | None]]] = defaultdict(list)


def register(page: str, provider: Callable[[Any], PageSection | None]) -> None:
    """Add a provider of sections to one kind of page (once, however often it is called)."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; pages are {PAGES}")
    if provider not in _providers[page]:
        _providers[page].append(provider)


def sections_for(page: str, obj: Any) -> list[PageSection]:
    """The sections other apps add to this page, in their order."""
    sections = [provider(obj) for provider in _providers[page]]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)
