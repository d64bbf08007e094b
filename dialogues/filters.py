"""The filters of the public meetings and documents listings.

Their parameter names and values are a public contract: partners share and bookmark filtered
addresses (`/meetings/?dialogue=rabat-process&type=thematic-meeting&year=2024`).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import text
from .models import Dialogue, Document, Meeting, Organisation

UNKNOWN_COUNTRY = _(
    "There is no country with the code “%(value)s”; use a two-letter ISO code such as sn."
)


class CountryCodeField(forms.CharField):
    """A two-letter ISO code, in lower or upper case, of a state django-countries knows."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        code = value.strip().upper()
        if code not in dict(countries):
            raise ValidationError(
                UNKNOWN_COUNTRY,
                code="invalid_country",
                params={"value": value},
            )
        return code


class CountryCodeFilter(django_filters.Filter):
    field_class = CountryCodeField


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


class SearchTextFilter(django_filters.CharFilter):
    """`q=<text>`: the rows whose text fields contain every word, whatever the case and accents.

    The words are compared in Python (see dialogues.text) over the text columns of the rows the
    other filters leave, so that "conference" finds "Conférence" on SQLite and PostgreSQL alike;
    one query, whatever the number of rows.
    """

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", _("Words"))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.fields = fields

    def filter(self, qs, value):
        words = text.words_of(value or "")
        if not words:
            return qs
        rows = qs.order_by().values_list("pk", *self.fields).distinct()
        return qs.filter(pk__in=[row[0] for row in rows if text.matches(words, *row[1:])])


class YearFilter(django_filters.NumberFilter):
    def __init__(self, field_name: str, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(field_name=field_name, **kwargs)
        self.extra.setdefault("min_value", 1900)
        self.extra.setdefault("max_value", 2100)
        self.extra.setdefault(
            "error_messages",
            {
                "invalid": _("The year must be four digits, such as 2024."),
                "min_value": _("The year must be four digits, such as 2024."),
                "max_value": _("The year must be four digits, such as 2024."),
            },
        )


def sort_filter(date_field: str) -> django_filters.OrderingFilter:
    """`sort=date|-date|title|-title`, with a message that names the allowed values."""
    return django_filters.OrderingFilter(
        fields=((date_field, "date"), ("title", "title")),
        field_labels={date_field: _("Date"), "title": _("Title")},
        label=_("Sort by"),
        error_messages={
            "invalid_choice": _("Sort by date, -date or title, not “%(value)s”."),
        },
    )


class MeetingFilter(django_filters.FilterSet):
    dialogue = DialogueSlugFilter()
    type = django_filters.ChoiceFilter(
        choices=Meeting.Type.choices,
        label=_("Type"),
        error_messages=_choice_error(_("There is no such meeting type: “%(value)s”.")),
    )
    year = YearFilter("start_date")
    country = CountryCodeFilter(field_name="country", label=_("Host country"))
    status = django_filters.ChoiceFilter(
        choices=Meeting.Status.choices,
        label=_("Status"),
        error_messages=_choice_error(_("There is no such meeting status: “%(value)s”.")),
    )
    q = SearchTextFilter(fields=("title", "title_fr", "city", "summary", "summary_fr"))
    sort = sort_filter("start_date")

    class Meta:
        model = Meeting
        fields: list[str] = []


class DocumentFilter(django_filters.FilterSet):
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
    q = SearchTextFilter(fields=("title", "title_fr", "description", "description_fr"))
    sort = sort_filter("date")

    class Meta:
        model = Document
        fields: list[str] = []


class DialogueFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Dialogue.Kind.choices,
        label=_("Kind"),
        error_messages=_choice_error(_("There is no such kind of dialogue: “%(value)s”.")),
    )

    class Meta:
        model = Dialogue
        fields: list[str] = []


class OrganisationFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        choices=Organisation.Type.choices,
        label=_("Type"),
        error_messages=_choice_error(_("There is no such type of organisation: “%(value)s”.")),
    )
    dialogue = DialogueSlugFilter(field_name="membership__dialogue__slug")
    q = SearchTextFilter(fields=("name", "name_fr", "acronym", "description", "description_fr"))

    class Meta:
        model = Organisation
        fields: list[str] = []
