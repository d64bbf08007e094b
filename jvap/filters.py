"""The filters of the public JVAP database (`/jvap/`, its exports and its dashboard).

Their parameter names are a public contract: `domain` (main JVAP domain, 1-5, repeatable),
`country` (ISO alpha-2, repeatable, any case), `type`, `status`, `dialogue`, `partner` (the
reporting partner's code), `year` (active at some point of that year), `budget_min`,
`budget_max`, `q` (words in the title, description or an organisation's name; at most
`MAX_SEARCH_WORDS` of them) and `sort`.
An unknown value is an error naming the filter and the value; the listing then shows the
message and no rows (`core.listing.ListingView.strict`), never everything.

Every queryset given to `JvapEntryFilter` must already be `JvapEntry.objects.published()`.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from core.collation import UNACCENT_FUNCTION
from core.filters import INVALID_CHOICE, CountryFilter, ListingFilterSet, SortFilter, YearFilter
from core.text import fold

from .indexes import WORD_QUERY
from .models import (
    EntryCountry,
    EntryOrganisation,
    JvapEntry,
    PublicEntry,
    PublicEntryCountry,
    ReportingPartner,
)

YEAR_MIN, YEAR_MAX = 1950, 2100
MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200

# `sort` values -> the column, ascending. A leading "-" sorts descending; empty budgets and
# dates always come last, and the primary key breaks ties so that pages never overlap.
SORT_FIELDS = {"title": "title", "budget": "budget_eur", "start": "start_date", "end": "end_date"}
DEFAULT_SORT = "-start"
SORT_LABELS = {
    "-start": _("Start date, newest first"),
    "start": _("Start date, oldest first"),
    "-end": _("End date, latest first"),
    "end": _("End date, earliest first"),
    "title": _("Title, A to Z"),
    "-title": _("Title, Z to A"),
    "-budget": _("Budget, largest first"),
    "budget": _("Budget, smallest first"),
}


def sort_ordering(value: str) -> list:
    """The ORDER BY of a `sort` value (one of `SORT_LABELS`)."""
    return JvapEntryFilter.base_filters["sort"].ordering(value)


def search_words(text: str) -> list[str]:
    """The words of a search, at most `MAX_SEARCH_WORDS` of them (each is one more index
    search: a pasted paragraph must not cost a hundred)."""
    return all_search_words(text)[:MAX_SEARCH_WORDS]


def all_search_words(text: str) -> list[str]:
    return (text or "")[:MAX_SEARCH_LENGTH].split()


def words_left_out(text: str) -> int:
    """How many words of a search were not searched (beyond `MAX_SEARCH_WORDS`)."""
    return max(0, len(all_search_words(text)) - MAX_SEARCH_WORDS)


class WordInEntry(Func):
    """PostgreSQL: the entry's title or description has the word (its stored `search_vector`,
    `jvap.indexes`: accents folded, words stemmed in English and French), or one of its
    organisations' names contains it. It reads the vector of the row's own table: the
    entries', or the read model's copy beside each published entry (`PublicEntry`).

    One condition on the entry's own row, which PostgreSQL answers with a BitmapOr of the
    full-text index and the primary key (the organisations' matches, found once through their
    trigram index), and which costs little per row when a page walks a sort index instead.
    """

    output_field = BooleanField()

    def __init__(self, word: str):
        super().__init__(F("pk"))
        self.word = word

    def as_sql(self, compiler, connection, **extra_context):
        pk, params = compiler.compile(self.source_expressions[0])
        vector = pk.rsplit(".", 1)[0] + '."search_vector"' if "." in pk else "search_vector"
        pattern = f"%{connection.ops.prep_for_like_query(self.word)}%"
        sql = (
            f"({vector} @@ {WORD_QUERY} OR {pk} = ANY(ARRAY("
            "SELECT entry_id FROM jvap_entryorganisation WHERE UPPER(name::text) LIKE UPPER(%s))))"
        )
        return sql, (*params, self.word, self.word, pattern)


def text_condition(word: str, vendor: str) -> Q:
    """Entries whose title or description has the word, or an organisation's name contains it.

    On PostgreSQL the title and description are searched with the full-text index: "borders"
    finds "border" and "frontiere" finds "frontières", but a fragment of a word ("bord") finds
    nothing. On SQLite (no stemming) the folded texts contain the folded word, through a
    function of the same name (`portal_unaccent`, core.collation). Organisations' names are
    compared as written (`icontains`).
    """
    if vendor == "postgresql":
        return Q(WordInEntry(word))
    text = Concat(Coalesce("title", Value("")), Value(" "), Coalesce("description", Value("")))
    folded = Func(text, function=UNACCENT_FUNCTION, output_field=TextField())
    organisations = EntryOrganisation.objects.order_by().filter(name__icontains=word)
    return Q(Contains(folded, fold(word))) | Q(pk__in=organisations.values("entry_id"))


def search(queryset, text: str):
    """Entries matching every word of the text (in any of the searched columns)."""
    vendor = connections[queryset.db].vendor
    for word in search_words(text):
        queryset = queryset.filter(text_condition(word, vendor))
    return queryset


class PartnerField(forms.ModelChoiceField):
    """A reporting partner given by its code, in any letter case (`sn`, `SN`, `iom`)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.queryset.get(code__iexact=str(value).strip())
        except (ReportingPartner.DoesNotExist, ReportingPartner.MultipleObjectsReturned):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class PartnerFilter(django_filters.ModelChoiceFilter):
    field_class = PartnerField


class EntryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "budget_max",
                _("The largest budget (%(high)s) is below the smallest budget (%(low)s).")
                % {"high": high, "low": low},
            )
        return cleaned


class JvapEntryFilter(ListingFilterSet):
    """Filter published JVAP entries and sort them (the listing, exports and dashboard)."""

    q = django_filters.CharFilter(
        label=_("Words"), method="filter_text", max_length=MAX_SEARCH_LENGTH
    )
    domain = django_filters.MultipleChoiceFilter(
        label=_("Main JVAP domain"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        method="filter_domain",
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    country = CountryFilter(label=_("Country of implementation"), method="filter_country")
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=JvapEntry.Type.choices,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=JvapEntry.Status.choices,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    dialogue = django_filters.ChoiceFilter(
        label=_("Dialogue"),
        choices=JvapEntry.DialogueChoice.choices,
        method="filter_dialogue",
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    partner = PartnerFilter(
        label=_("Reporting partner"),
        queryset=ReportingPartner.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    year = YearFilter(
        label=_("Active in year"),
        method="filter_year",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={},
    )
    budget_min = django_filters.NumberFilter(
        label=_("Smallest budget (EUR)"), field_name="budget_eur", lookup_expr="gte", min_value=0
    )
    budget_max = django_filters.NumberFilter(
        label=_("Largest budget (EUR)"), field_name="budget_eur", lookup_expr="lte", min_value=0
    )
    sort = SortFilter(
        options=[
            (value, label, SORT_FIELDS[value.lstrip("-")]) for value, label in SORT_LABELS.items()
        ],
        default=DEFAULT_SORT,
    )

    class Meta:
        model = JvapEntry
        fields: list[str] = []
        form = EntryFilterForm

    def filter_text(self, queryset, name, value):
        return search(queryset, value)

    def filter_domain(self, queryset, name, value):
        return queryset.filter(domain__number__in=[int(number) for number in value])

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(EntryCountry.objects.filter(entry=OuterRef("pk"), country__in=value))
        )

    def filter_dialogue(self, queryset, name, value):
        # An entry of both processes relates to each of them.
        if value in (JvapEntry.DialogueChoice.RABAT, JvapEntry.DialogueChoice.KHARTOUM):
            return queryset.filter(dialogue__in=[value, JvapEntry.DialogueChoice.BOTH])
        return queryset.filter(dialogue=value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(value)


class PartnerEntryFilter(ListingFilterSet):
    """Filter a partner's own entries on the focal points' "Our entries" page: by review state
    (`state`), main domain (`domain`), campaign (`year`) and words (`q`). Every queryset given
    to it must already be limited to the user's partners."""

    q = django_filters.CharFilter(
        label=_("Words"), method="filter_text", max_length=MAX_SEARCH_LENGTH
    )
    state = django_filters.ChoiceFilter(
        label=_("Review"),
        field_name="review_state",
        choices=JvapEntry.ReviewState.choices,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    domain = django_filters.MultipleChoiceFilter(
        label=_("Main JVAP domain"),
        field_name="domain__number",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    year = YearFilter(
        "campaign_year",
        label=_("Campaign"),
        lookup_expr="exact",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
    )

    class Meta:
        model = JvapEntry
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return search(queryset, value)


class PublishedFactsFilter(JvapEntryFilter):
    """The public filters, with the same parameters and values, applied to a table of the
    read model (`jvap.read_model`: `PublicEntry`, `PublicEntryCountry`,
    `PublicEntryOrganisation`), whose rows carry the columns these filters read.

    The words (`q`) are searched on PostgreSQL in the read model's own rows of the entries
    (`PublicEntry`, which carry the entries' search vectors under a full-text index: a narrow
    table, where the entries' wide one costs a page read per match), on SQLite in the entries
    themselves, as the listing does; the matching entries' rows are kept.
    """

    def filter_text(self, queryset, name, value):
        if connections[queryset.db].vendor == "postgresql":
            if queryset.model is PublicEntry:
                return search(queryset, value)
            matching = search(PublicEntry.objects.order_by(), value)
        else:
            matching = super().filter_text(JvapEntry.objects.order_by(), name, value)
        return queryset.filter(entry_id__in=matching.values("pk"))

    def filter_domain(self, queryset, name, value):
        return queryset.filter(domain_number__in=[int(number) for number in value])

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        in_countries = PublicEntryCountry.objects.filter(country__in=value).values("entry_id")
        return queryset.filter(entry_id__in=in_countries)

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(start_year__isnull=True) | Q(start_year__lte=value),
            Q(end_year__isnull=True) | Q(end_year__gte=value),
        )
