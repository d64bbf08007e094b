"""FilterSets of the collections that have no public listing; the others reuse the listing's
own FilterSet (dialogues.filters, jvap.filters, grants.filters)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import CountryFilter
from dialogues.filters import DialogueSlugFilter
from dialogues.models import ChairTerm, Membership
from grants.filters import DomainNumberFilter, LocalizedNameChoiceFilter
from grants.models import Call

# The types of the listings' filters whose values the schema cannot guess from their fields,
# given here, where the API is made: the apps' filters are imported by every process (the
# home page's figures, the importer), the schema library and DRF only by the API.
for filter_class, value_type in (
    (CountryFilter, OpenApiTypes.STR),  # ISO codes
    (DialogueSlugFilter, OpenApiTypes.STR),  # slugs
    (DomainNumberFilter, OpenApiTypes.INT),  # a domain's number
    (LocalizedNameChoiceFilter, OpenApiTypes.STR),  # slugs
):
    extend_schema_field(value_type)(filter_class)


class MembershipFilter(django_filters.FilterSet):
    dialogue = DialogueSlugFilter(field_name="dialogue__slug", distinct=False)
    country = CountryFilter(field_name="country")
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields: list[str] = []


class ChairTermFilter(django_filters.FilterSet):
    dialogue = DialogueSlugFilter(field_name="dialogue__slug", distinct=False)
    country = CountryFilter(field_name="country")

    class Meta:
        model = ChairTerm
        fields: list[str] = []


class CallFilter(django_filters.FilterSet):
    class Meta:
        model = Call
        fields: list[str] = []
