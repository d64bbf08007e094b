"""The filters of the public meetings and documents listings.

Their parameter names and values are a public contract: partners share and bookmark filtered
addresses (`/meetings/?dialogue=rabat-process&type=thematic-meeting&year=2024`).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import CountryFilter, ListingFilterSet, SearchTextFilter, SortFilter, YearFilter

from .models import Dialogue, Document, Meeting, Organisation


def _choice_error(what: str) -> dict:
    return {"invalid_choice": what}


class DialogueSlugFilter(django_filters.ModelMultipleChoiceFilter):
    """`dialogue=<slug>`, repeatable: rows of any of the dialogues given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "dialogues__slug")
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("queryset", Dialogue.objects.all())
        kwargs.setdefault("distinct", True)
        kwargs.setdefault("label", _("Dialogue"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("There is no dialogue “%(value)s”.")},
        )
        super().__init__(**kwargs)


def dated_sort(date_field: str, *, upcoming_first: bool = False) -> SortFilter:
    """`sort=-date|date|title|-title`, newest first by default; with `upcoming_first`, no
    `sort` keeps the queryset's own order (meetings: upcoming soonest first, then past latest
    first, `MeetingQuerySet.in_reading_order()`)."""
    default_option = (("", _("Upcoming, then latest"), date_field),) if upcoming_first else ()
    return SortFilter(
        options=(
            *default_option,
            ("-date", _("Newest first"), date_field),
            ("date", _("Oldest first"), date_field),
            ("title", _("Title"), "title"),
            ("-title", _("Title, Z to A"), "title"),
        ),
        default="" if upcoming_first else "-date",
        names=("title",),
        error_messages={"invalid_choice": _("Sort by date, -date or title, not “%(value)s”.")},
    )


class MeetingFilter(ListingFilterSet):
    q = SearchTextFilter(fields=("title", "title_fr", "city", "summary", "summary_fr"))
    dialogue = DialogueSlugFilter()
    type = django_filters.ChoiceFilter(
        choices=Meeting.Type.choices,
        label=_("Type"),
        error_messages=_choice_error(_("There is no such meeting type: “%(value)s”.")),
    )
    year = YearFilter("start_date")
    country = CountryFilter(field_name="country", label=_("Host country"))
    status = django_filters.ChoiceFilter(
        choices=Meeting.Status.choices,
        label=_("Status"),
        error_messages=_choice_error(_("There is no such meeting status: “%(value)s”.")),
    )
    sort = dated_sort("start_date", upcoming_first=True)

    class Meta:
        model = Meeting
        fields: list[str] = []


class DocumentFilter(ListingFilterSet):
    q = SearchTextFilter(fields=("title", "title_fr", "description", "description_fr"))
    dialogue = DialogueSlugFilter()
    kind = django_filters.ChoiceFilter(
        choices=Document.Kind.choices,
        label=_("Kind"),
        error_messages=_choice_error(_("There is no such kind of document: “%(value)s”.")),
    )
    language = django_filters.ChoiceFilter(
        choices=Document.Language.choices,
        label=_("Language"),
        error_messages=_choice_error(_("There is no such document language: “%(value)s”.")),
    )
    year = YearFilter("date")
    sort = dated_sort("date")

    class Meta:
        model = Document
        fields: list[str] = []


class DialogueFilter(ListingFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Dialogue.Kind.choices,
        label=_("Kind"),
        error_messages=_choice_error(_("There is no such kind of dialogue: “%(value)s”.")),
    )

    class Meta:
        model = Dialogue
        fields: list[str] = []


class OrganisationFilter(ListingFilterSet):
    q = SearchTextFilter(fields=("name", "name_fr", "acronym", "description", "description_fr"))
    type = django_filters.ChoiceFilter(
        choices=Organisation.Type.choices,
        label=_("Type"),
        error_messages=_choice_error(_("There is no such type of organisation: “%(value)s”.")),
    )
    dialogue = DialogueSlugFilter(field_name="membership__dialogue__slug")

    class Meta:
        model = Organisation
        fields: list[str] = []
