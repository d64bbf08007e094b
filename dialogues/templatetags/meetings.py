"""Lists of meetings written in Python: the cards of the meetings listing, the home page and
the country pages (includes/meeting_items.html), and a dialogue's timeline.

Drawn by the template's loop, a meeting's card cost ~1 ms uncached (two dates, a `reverse`,
labels, a flag, its dialogues' names through a dozen variable lookups): a page of 30 cards
spent more there than in all its queries. The markup is the one the templates drew, every
value escaped here: the fields' text by `html.escape`, what `conditional_escape` gives for
text without its checks, and the language looked up once per list.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import dates
from core.addresses import address_of
from core.templatetags.portal import flag

from ..models import Meeting

register = template.Library()


class _Labels(dict):
    """A choice field's labels in the active language, escaped, as `get_<field>_display()`
    gives them (the value when unknown): each translated when a card first needs it, once per
    list (a list shows a few of the eleven types; translating all of them took ~1 ms)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = dict(choices)

    def __missing__(self, value: str) -> str:
        label = self[value] = conditional_escape(self.choices.get(value, value))
        return label


def _labels() -> tuple[dict, dict]:
    """The meeting types' and statuses' labels in the active language, escaped."""
    return _Labels(Meeting.Type.choices), _Labels(Meeting.Status.choices)


def _time(meeting: Meeting, field: str) -> str:
    """`<time>` of one of the meeting's dates, as precisely as it is known."""
    date, precision = getattr(meeting, field), dates.precision_of(meeting, field)
    return (
        f'<time datetime="{escape(dates.iso(date, precision))}">'
        f"{escape(dates.display(date, precision))}</time>"
    )


def _localizer():
    """`obj.localized(field)` in the active language, the language looked up once."""
    if (get_language() or "en").startswith("fr"):
        return lambda obj, field: getattr(obj, f"{field}_fr", "") or getattr(obj, field)
    return getattr


@register.simple_tag
def meeting_cards(meetings: Iterable[Meeting]) -> SafeString:
    """The meetings' cards (the items of includes/meeting_items.html's list): dates, type,
    status unless held, title linked to the meeting's page, flag, place and dialogues."""
    types, statuses = _labels()
    page_of = address_of("dialogues:meeting_detail", "slug")
    localized = _localizer()
    cards = []
    for meeting in meetings:
        when = _time(meeting, "start_date")
        if meeting.end_date and meeting.end_date != meeting.start_date:
            when += f" – {_time(meeting, 'end_date')}"
        status = ""
        if meeting.status != "held":
            status = (
                f' · <span class="status status-{conditional_escape(meeting.status)}">'
                f"{statuses[meeting.status]}</span>"
            )
        country = meeting.country
        place = f"{flag(country)} " if country else ""
        place += escape(meeting.place)
        listed = getattr(meeting, "listed_dialogues", None)  # card_dialogues()
        dialogues = meeting.dialogues.all() if listed is None else listed
        names = [escape(localized(d, "short_name")) for d in dialogues]
        if names:
            place += " · " + ", ".join(names)
        cards.append(
            '\n  <li class="card">\n'
            f'    <p class="meta">{when}\n'
            f"      · {types[meeting.type]}{status}</p>\n"
            f'    <h3><a href="{page_of(escape(meeting.slug))}">'
            f"{escape(localized(meeting, 'title'))}</a></h3>\n"
            f'    <p class="meta">{place}</p>\n'
            "  </li>\n  "
        )
    return mark_safe("".join(cards))


@register.simple_tag
def meeting_timeline(meetings: Iterable[Meeting]) -> SafeString:
    """A dialogue's timeline items, one a line: the first day, the title linked, the type and
    place."""
    types, _statuses = _labels()
    page_of = address_of("dialogues:meeting_detail", "slug")
    items = []
    for meeting in meetings:
        place = meeting.place
        where = f" · {conditional_escape(place)}" if place else ""
        items.append(
            f"<li>{_time(meeting, 'start_date')} "
            f'<a href="{page_of(conditional_escape(meeting.slug))}">'
            f"{conditional_escape(meeting.localized('title'))}</a> "
            f'<span class="meta">{types[meeting.type]}{where}</span></li>\n'
        )
    return mark_safe("".join(items))
