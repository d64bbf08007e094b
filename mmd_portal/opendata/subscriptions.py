"""The feeds a page's visitors can subscribe to, given to its templates by a context
processor, so that the apps' pages link to the project's feeds without importing them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .feeds import jvap_dialogue_choice


@dataclass(frozen=True)
class Subscription:
    label: str
    url: str


# Listing page -> its feeds: (label, URL name).
LISTING_FEEDS = {
    "dialogues:meeting_list": [
        (_("Atom feed of new and changed meetings"), "opendata:meetings_feed"),
    ],
    "dialogues:document_list": [
        (_("Atom feed of new and changed documents"), "opendata:documents_feed"),
    ],
    "jvap:entry_list": [
        (_("Atom feed of new and changed JVAP entries"), "opendata:jvap_feed"),
    ],
}


def _dialogue_feeds(slug: str) -> list[Subscription]:
    """A dialogue page's feeds (the page itself answers 404 for an unknown slug)."""
    found = [
        Subscription(
            _("Meetings calendar (iCalendar)"), reverse("dialogues:dialogue_calendar", args=[slug])
        ),
        Subscription(
            _("Atom feed of new and changed meetings"),
            reverse("opendata:dialogue_meetings_feed", args=[slug]),
        ),
        Subscription(
            _("Atom feed of new and changed documents"),
            reverse("opendata:dialogue_documents_feed", args=[slug]),
        ),
    ]
    if jvap_dialogue_choice(slug):
        found.append(
            Subscription(
                _("Atom feed of new and changed JVAP entries"),
                reverse("opendata:dialogue_jvap_feed", args=[slug]),
            )
        )
    return found


def page_subscriptions(request) -> dict:
    """Context processor: `subscriptions`, the feeds of the page being shown (often none)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.view_name == "dialogues:dialogue_detail":
        return {"subscriptions": _dialogue_feeds(match.kwargs["slug"])}
    feeds = LISTING_FEEDS.get(match.view_name)
    if not feeds:
        return {}
    return {"subscriptions": [Subscription(label, reverse(name)) for label, name in feeds]}
