"""The filters of the public grants listing. Their parameter names (`call`, `dialogue`,
`domain`, `country`, `organisation_type`, `status`, `q`, `sort`) are a public contract."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import country_names
from core.collation import sorted_by_name
from core.filters import CountryFilter, ListingFilterSet, SortFilter
from dialogues.models import Dialogue, Domain, Organisation

from .models import Call, ConsortiumMember, Grant, GrantCountry


def countries_of_implementation():
    """(code, name) of the countries where published grants are implemented, by name."""
    codes = (
        GrantCountry.objects.filter(grant__in=Grant.objects.published())
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    name_of = country_names.namer()
    return sorted_by_name(((code, name_of(code)) for code in codes), key=lambda p: p[1])


class LocalizedNameChoiceField(forms.ModelChoiceField):
    """Options named in the visitor's language (a dialogue's French name on French pages)."""

    def label_from_instance(self, obj) -> str:
        return obj.localized("name")


class DomainNumberFilter(django_filters.ModelChoiceFilter):
    """`domain=<number>`: a JVAP domain by its number."""


class LocalizedNameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LocalizedNameChoiceField


def dialogues_with_grants(request=None):
    """The dialogues that published grants are linked to: the only ones worth filtering by."""
    linked = Grant.dialogues.through.objects.filter(grant__in=Grant.objects.published())
    # Only what an option shows (its slug and names): the options' rows are read on every
    # page of the listing.
    return (
        Dialogue.objects.filter(pk__in=linked.values("dialogue"))
        .order_by("display_order", "name")
        .only("slug", "name", "name_fr")
    )


class GrantFilter(ListingFilterSet):
    """Filter published grants by call, dialogue, JVAP domain, country, organisation type,
    status and free text, and sort them."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    call = django_filters.ModelChoiceFilter(
        label=_("Call for proposals"),
        queryset=Call.objects.published().only("slug", "title", "title_fr"),
        to_field_name="slug",
        empty_label=_("All calls"),
    )
    dialogue = LocalizedNameChoiceFilter(
        label=_("Dialogue"),
        queryset=dialogues_with_grants,
        to_field_name="slug",
        method="filter_dialogue",
        empty_label=_("All dialogues"),
    )
    domain = DomainNumberFilter(
        label=_("JVAP domain"),
        queryset=Domain.objects.only("number", "name", "name_fr"),
        to_field_name="number",
        method="filter_domain",
        empty_label=_("All domains"),
    )
    country = CountryFilter(
        label=_("Country of implementation"),
        choices=countries_of_implementation,
        method="filter_country",
        empty_label=_("All countries"),
    )
    organisation_type = django_filters.ChoiceFilter(
        label=_("Organisation type"),
        choices=Organisation.Type.choices,
        method="filter_organisation_type",
        empty_label=_("All types"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Grant.Status.choices, empty_label=_("All statuses")
    )
    sort = SortFilter(
        options=(
            ("-start", _("Start date, newest first"), "start"),
            ("start", _("Start date, oldest first"), "start"),
            ("title", _("Title, A to Z"), "title"),
            ("-title", _("Title, Z to A"), "title"),
            ("-amount", _("Amount, largest first"), "amount_eur"),
            ("amount", _("Amount, smallest first"), "amount_eur"),
            ("-end", _("End date, latest first"), "end"),
            ("end", _("End date, earliest first"), "end"),
        ),
        names=("title",),
        empty_label=pgettext_lazy("grants", "Newest first"),
    )

    class Meta:
        model = Grant
        fields = ["q", "call", "dialogue", "domain", "country", "organisation_type", "status"]

    def __init__(self, *args, countries=None, **kwargs):
        """`countries`: the country filter's options when the caller has them, (code, name)
        pairs or a callable giving them (default: `countries_of_implementation`)."""
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.filters["country"].extra["choices"] = countries

    # Exists() rather than joins: a grant in two matching rows still appears once.
    def filter_text(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset

    def filter_dialogue(self, queryset, name, value):
        through = Grant.dialogues.through.objects.filter(grant=OuterRef("pk"), dialogue=value)
        return queryset.filter(Exists(through))

    def filter_domain(self, queryset, name, value):
        through = Grant.domains.through.objects.filter(grant=OuterRef("pk"), domain=value)
        return queryset.filter(Exists(through))

    def filter_country(self, queryset, name, value):
        return queryset.filter(
            Exists(GrantCountry.objects.filter(grant=OuterRef("pk"), country__in=value))
        )

    def filter_organisation_type(self, queryset, name, value):
        return queryset.filter(
            Exists(ConsortiumMember.objects.filter(grant=OuterRef("pk"), organisation__type=value))
        )
