"""The filters of the public JVAP database (`/jvap/`, its exports and its dashboard).

Their parameter names are a public contract: `domain` (main JVAP domain, 1-5, repeatable),
`country` (ISO alpha-2, repeatable, any case), `type`, `status`, `dialogue`, `partner` (the
reporting partner's code), `year` (active at some point of that year), `budget_min`,
`budget_max`, `q` (words in the title, description or an organisation's name) and `sort`.
An unknown value is an error naming the filter and the value; the listing then shows the
message and no rows (`core.listing.ListingView.strict`), never everything.

Every queryset given to `JvapEntryFilter` must already be `JvapEntry.objects.published()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import EntryCountry, EntryOrganisation, JvapEntry, ReportingPartner

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
    descending = value.startswith("-")
    column = F(SORT_FIELDS[value.lstrip("-")])
    if descending:
        return [column.desc(nulls_last=True), F("pk").desc()]
    return [column.asc(nulls_last=True), F("pk").asc()]


def search_words(text: str) -> list[str]:
    """The words of a search, at most `MAX_SEARCH_WORDS` of them."""
    return (text or "")[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]


def text_condition(word: str) -> Q:
    """Entries whose title, description or an organisation's name contains the word.

    A UNION of three searches, each served on PostgreSQL by a trigram GIN index on
    `UPPER(column)` (what `icontains` compares; migration 0002), so a search stays fast at
    100,000 entries, where an OR across the tables would scan every entry. SQLite runs the
    same query without those indexes, with the same results.
    """
    entries = JvapEntry.objects.order_by()
    matching = (
        entries.filter(title__icontains=word)
        .values("pk")
        .union(
            entries.filter(description__icontains=word).values("pk"),
            EntryOrganisation.objects.order_by().filter(name__icontains=word).values("entry_id"),
        )
    )
    return Q(pk__in=matching)


def search(queryset, text: str):
    """Entries matching every word of the text (in any of the searched columns)."""
    for word in search_words(text):
        queryset = queryset.filter(text_condition(word))
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


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class SortFilter(django_filters.ChoiceFilter):
    """`sort=`: one of `SORT_LABELS`; the default is the newest start first."""

    def filter(self, qs, value):
        return qs.order_by(*sort_ordering(value or DEFAULT_SORT))


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


INVALID_CHOICE = _("“%(value)s” is not one of the values this filter accepts.")


class JvapEntryFilter(django_filters.FilterSet):
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
    country = django_filters.MultipleChoiceFilter(
        label=_("Country of implementation"),
        choices=lambda: list(countries),
        method="filter_country",
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
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
    )
    budget_min = django_filters.NumberFilter(
        label=_("Smallest budget (EUR)"), field_name="budget_eur", lookup_expr="gte", min_value=0
    )
    budget_max = django_filters.NumberFilter(
        label=_("Largest budget (EUR)"), field_name="budget_eur", lookup_expr="lte", min_value=0
    )
    sort = SortFilter(
        label=_("Sort by"),
        choices=list(SORT_LABELS.items()),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    class Meta:
        model = JvapEntry
        fields: list[str] = []
        form = EntryFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # ISO codes are upper case; accept `country=sn` as well as `country=SN`.
        if data is not None and "country" in data:
            data = data.copy()
            data.setlist("country", [code.strip().upper() for code in data.getlist("country")])
        super().__init__(data, *args, **kwargs)

    def filter_queryset_except(self, queryset, skipped: str):
        """The queryset with every valid filter applied except `skipped` (for facet counts);
        filters with an invalid value are left out."""
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        for name, value in cleaned.items():
            if name in (skipped, "sort") or name in self.form.errors:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

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


# --- Facets: the filter form's options with how many entries each would show ----------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    """A filter of the form, with its options counted under the other filters."""

    name: str
    label: str
    widget: str  # "checkboxes" or "select"
    options: list[FacetOption] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _selected(filterset: JvapEntryFilter, name: str) -> set[str]:
    data = filterset.data
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    return {str(value).strip() for value in values if value}


def _options(filterset, name, counts, labels, keep_zero) -> list[FacetOption]:
    selected = {value.upper() for value in _selected(filterset, name)}
    return [
        FacetOption(value, label, counts.get(value, 0), value.upper() in selected)
        for value, label in labels.items()
        if keep_zero or counts.get(value) or value.upper() in selected
    ]


def facet_counts(filterset: JvapEntryFilter, published) -> dict[str, dict[str, int]]:
    """For each faceted filter, its values' entry counts under every other filter: one
    grouped query per filter, whatever the number of entries."""
    counts: dict[str, dict[str, int]] = {}

    def grouped(name, queryset, column):
        rows = queryset.order_by().values_list(column).annotate(n=Count("pk"))
        counts[name] = {str(value): n for value, n in rows if value not in (None, "")}

    # Keyed by the domain's primary key (no join); `facets()` turns keys into numbers.
    grouped("domain", filterset.filter_queryset_except(published, "domain"), "domain_id")
    grouped("type", filterset.filter_queryset_except(published, "type"), "type")
    grouped("status", filterset.filter_queryset_except(published, "status"), "status")
    grouped("dialogue", filterset.filter_queryset_except(published, "dialogue"), "dialogue")
    grouped("partner", filterset.filter_queryset_except(published, "partner"), "partner__code")
    both = counts["dialogue"].get(JvapEntry.DialogueChoice.BOTH, 0)
    for process in (JvapEntry.DialogueChoice.RABAT, JvapEntry.DialogueChoice.KHARTOUM):
        counts["dialogue"][process] = counts["dialogue"].get(process, 0) + both
    in_countries = EntryCountry.objects.filter(
        entry__in=filterset.filter_queryset_except(published, "country").order_by().values("pk")
    )
    grouped("country", in_countries, "country")
    return counts


def facets(filterset: JvapEntryFilter, published, counts: dict[str, dict[str, int]]) -> list[Facet]:
    """The form's filters with their counted options, in the form's order."""
    from dialogues.models import Domain

    french = (get_language() or "en").startswith("fr")
    domains = Domain.objects.order_by("number").values_list("pk", "number", "name", "name_fr")
    domain_labels, domain_counts = {}, {}
    for pk, number, name, name_fr in domains:
        domain_labels[str(number)] = f"{number}. {name_fr if french and name_fr else name}"
        domain_counts[str(number)] = counts["domain"].get(str(pk), 0)
    country_codes = set(counts["country"]) | _selected(filterset, "country")
    country_labels = dict(
        sorted(
            ((code, str(countries.name(code))) for code in country_codes if countries.name(code)),
            key=lambda pair: pair[1],
        )
    )
    partner_codes = set(counts["partner"])
    partner_labels = dict(
        sorted(
            (
                (partner.code, str(partner))
                for partner in ReportingPartner.objects.filter(
                    code__in=partner_codes
                ).select_related("organisation")
            ),
            key=lambda pair: pair[1],
        )
    )
    errors = filterset.form.errors if filterset.is_bound else {}
    form_filters = [
        ("domain", "checkboxes", domain_counts, domain_labels, True),
        ("country", "checkboxes", counts["country"], country_labels, False),
        ("type", "select", counts["type"], dict(JvapEntry.Type.choices), True),
        ("status", "select", counts["status"], dict(JvapEntry.Status.choices), True),
        ("dialogue", "select", counts["dialogue"], dict(JvapEntry.DialogueChoice.choices), True),
        ("partner", "select", counts["partner"], partner_labels, False),
    ]
    return [
        Facet(
            name=name,
            label=str(filterset.filters[name].label),
            widget=widget,
            options=_options(filterset, name, facet_counts_of, labels, keep_zero),
            errors=[str(error) for error in errors.get(name, [])],
        )
        for name, widget, facet_counts_of, labels, keep_zero in form_filters
    ]
