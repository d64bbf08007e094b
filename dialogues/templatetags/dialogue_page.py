"""The long lists of a dialogue's page written in Python: its states, organisations,
steering committee, chairs, framework areas and documents.

Drawn by the template's loops, the Rabat Process's page spent more on them than on all its
queries: up to 80 states each through `{% country_link %}` and a `{% blocktranslate %}` of its
date, twelve chair terms each through an `{% include %}`. The markup is the one the loops
drew (tests/dialogues/test_dialogue_page_lists.py compares them), every value escaped here:
text by `html.escape` (what `conditional_escape` gives for text, without its checks), the
choices' lazy labels by `conditional_escape`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core import country_names, dates
from core.addresses import address_of_in
from core.templatetags.portal import flag

from ..models import ChairTerm, Document, Membership

register = template.Library()


def country_code(participant) -> str:
    """The state's code ("" for an organisation): the view's `country_code` annotation where
    there is one, for reading `country` builds a django-countries `Country` each time (~10 µs:
    the Rabat Process's page read it 500 times)."""
    code = getattr(participant, "country_code", None)
    return participant.country.code if code is None else code


def participant_name(participant, name_of: Callable[[str], str]) -> str:
    """`participant.participant_name`, with the country names of `country_names.namer()`."""
    if participant.organisation_id:
        return participant.organisation.name_with_acronym
    return name_of(country_code(participant))


def _participant_links(context) -> Callable[[object], str]:
    """A function writing a state's flag and name linked to its country page (as
    `{% country_link %}`), or an organisation's name with its acronym linked to its page."""
    country_page = address_of_in(context, "country_detail", "code")
    organisation_page = address_of_in(context, "dialogues:organisation_detail", "slug")
    name_of = country_names.namer()

    def link(participant) -> str:
        if participant.organisation_id:
            organisation = participant.organisation
            return (
                f'<a href="{escape(organisation_page(organisation.slug))}">'
                f"{escape(organisation.name_with_acronym)}</a>"
            )
        code = country_code(participant)
        return (
            f'{flag(code)} <a href="{escape(country_page(code.lower()))}">'
            f"{escape(str(name_of(code)))}</a>"
        )

    return link


def _since(date: str) -> str:
    """ "since <date>", as `{% blocktranslate %}since {{ date }}{% endblocktranslate %}`."""
    return gettext("since %(date)s") % {"date": escape(date)}


@register.simple_tag(takes_context=True)
def state_items(context, memberships: Iterable[Membership], since: bool = False) -> SafeString:
    """The states' list items: flag and name linked, and with `since` the membership's start
    as precisely as it is known."""
    link = _participant_links(context)
    items = []
    for membership in memberships:
        start = ""
        if since and membership.start:
            known = dates.display(membership.start, dates.precision_of(membership, "start"))
            start = f' <span class="meta">{_since(known)}</span>'
        items.append(f"<li>{link(membership)}{start}</li>")
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def organisation_member_items(context, memberships: Iterable[Membership]) -> SafeString:
    """The organisations' list items: name linked, role and note."""
    link = _participant_links(context)
    roles = {value: conditional_escape(label) for value, label in Membership.Role.choices}
    items = []
    for membership in memberships:
        role = roles.get(membership.role) or escape(membership.role)
        note = membership.localized_note()
        if note:
            role += f" · {escape(note)}"
        items.append(f'<li>{link(membership)} <span class="meta">{role}</span></li>')
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def seat_items(context, seats) -> SafeString:
    """The steering committee's list items: the state or organisation linked, and the note."""
    link = _participant_links(context)
    items = []
    for seat in seats:
        note = seat.localized_note()
        note = f' <span class="meta">{escape(note)}</span>' if note else ""
        items.append(f"<li>{link(seat)}{note}</li>")
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def chair_links(context, terms: Iterable[ChairTerm]) -> SafeString:
    """The current chair, or the co-chairs separated by commas, linked."""
    link = _participant_links(context)
    return mark_safe(", ".join(link(term) for term in terms))


@register.simple_tag(takes_context=True)
def chair_term(context, term: ChairTerm) -> SafeString:
    """One chair term: its dates as precise as known (the term's end being the next one's
    start) and the meeting of the handover (dialogues/includes/chair_term.html)."""
    start = dates.display(term.start, dates.precision_of(term, "start"))
    if term.last_day:
        last_day = dates.display(term.last_day, dates.precision_of(term, "last_day"))
        when = f"{escape(start)} – {escape(last_day)}"
    else:
        when = _since(start)
    handover = ""
    meeting = term.handover_meeting
    if meeting:
        page = address_of_in(context, "dialogues:meeting_detail", "slug")(meeting.slug)
        handover = (
            f" · {escape(gettext('handed over at'))} "
            f'<a href="{escape(page)}">'
            f"{escape(meeting.localized('title'))}</a>"
        )
    return mark_safe(f'<span class="meta">{when}{handover}</span>')


@register.simple_tag(takes_context=True)
def past_chair_items(context, terms: Iterable[ChairTerm]) -> SafeString:
    """The past chairs' list items: who, and their term."""
    name_of = country_names.namer()
    return mark_safe(
        "".join(
            f"<li>{escape(str(participant_name(term, name_of)))} {chair_term(context, term)}\n</li>"
            for term in terms
        )
    )


@register.simple_tag
def framework_area_items(areas) -> SafeString:
    """A strategic framework's areas with their numbered elements (`_framework_tree`)."""

    def element(element) -> str:
        number, title = element.number, element.localized("title")
        return f"<strong>{escape(number)}</strong> {escape(title)}"

    items = []
    for area in areas:
        children = ""
        if area.sub_elements:
            children = "".join(f"<li>{element(child)}</li>" for child in area.sub_elements)
            children = f"<ol>{children}</ol>"
        items.append(f"<li>{element(area)}\n        {children}</li>")
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def document_items(context, documents: Iterable[Document]) -> SafeString:
    """The documents' list items: title linked, kind and year."""
    page_of = address_of_in(context, "dialogues:document_detail", "slug")
    kinds = {value: conditional_escape(label) for value, label in Document.Kind.choices}
    items = []
    for document in documents:
        meta = kinds.get(document.kind) or escape(document.kind)
        if document.date:
            meta += f" · {escape(date_filter(document.date, 'Y'))}"
        items.append(
            f'<li><a href="{escape(page_of(document.slug))}">'
            f"{escape(document.localized('title'))}</a> "
            f'<span class="meta">{meta}</span></li>'
        )
    return mark_safe("".join(items))
