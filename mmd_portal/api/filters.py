"""FilterSets of the collections that have no public listing; the others reuse the listing's
own FilterSet (dialogues.filters, jvap.filters, grants.filters)."""

import django_filters

from core.filters import CountryFilter
from dialogues.filters import DialogueSlugFilter
from dialogues.models import ChairTerm, Membership
from grants.models import Call


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
