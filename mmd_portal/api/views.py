"""The API's read-only collections: one viewset per dataset of the data dictionary, filtered
with the listing's FilterSet, paginated by cursor, in English or French (`?lang=fr`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from dialogues.filters import DialogueFilter, DocumentFilter, MeetingFilter, OrganisationFilter
from grants.filters import GrantFilter
from jvap.filters import JvapEntryFilter
from mmd_portal.opendata.dictionary import DATASETS, Dataset

from .filters import CallFilter, ChairTermFilter, MembershipFilter
from .pagination import SortedCursorPagination
from .serializers import serializer_for

LANGUAGES = ("en", "fr")


class AnonymousThrottle(AnonRateThrottle):
    """Requests per period from one address (`API_ANONYMOUS_RATE`, 429 beyond)."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


def modified_since(request) -> datetime.datetime | None:
    """The moment of `modified_since` (an ISO 8601 date or date-time; a date is its midnight,
    a time without zone is the portal's), or None without the parameter; 400 otherwise."""
    value = request.query_params.get("modified_since")
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise ValidationError({"modified_since": "An ISO 8601 date or date-time."})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class ModifiedSinceFilter(drf_filters.BaseFilterBackend):
    """`modified_since=<ISO date or date-time>`: only the records changed since then."""

    def filter_queryset(self, request, queryset, view):
        moment = modified_since(request)
        if moment is None or not view.dataset.modified_field:
            return queryset
        return queryset.filter(**{f"{view.dataset.modified_field}__gte": moment})


LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=list(LANGUAGES), description="Language of the labels."
)
MODIFIED_SINCE_PARAMETER = OpenApiParameter(
    "modified_since",
    OpenApiTypes.DATETIME,
    description="Only the records changed since this date or date-time (ISO 8601).",
)
SORT_DESCRIPTION = (
    "The order of the records, with the listing's sort values; without it, the order of "
    "their identifiers. Cursor pages follow it."
)


class DeclaredQueryMixin:
    """Tells the page cache (core.caching), which keeps only the query parameters a view
    declares, the parameters of this viewset: `query_parameters` and its FilterSet's."""

    query_parameters: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        filterset_class = getattr(cls, "filterset_class", None)
        view.query_parameters = frozenset(cls.query_parameters) | frozenset(
            filterset_class.base_filters if filterset_class else ()
        )
        return view


class InLanguageMixin:
    """Answers in the language of `?lang=` (English by default)."""

    def dispatch(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        with translation.override(language if language in LANGUAGES else "en"):
            return super().dispatch(request, *args, **kwargs)


class DatasetViewSet(InLanguageMixin, DeclaredQueryMixin, viewsets.ReadOnlyModelViewSet):
    """The published records of a dataset, with its dictionary's columns."""

    dataset: Dataset
    throttle_classes = [AnonymousThrottle]
    pagination_class = SortedCursorPagination
    filter_backends = [DjangoFilterBackend, ModifiedSinceFilter]
    authentication_classes: list = []
    lookup_value_regex = "[^/]+"
    query_parameters = ("cursor", "page_size", "lang", "modified_since")

    def get_queryset(self):
        return self.dataset.records()


def viewset_for(name: str, filterset_class, lookup_field: str):
    """The viewset of a dataset, documented with its extra parameters."""
    dataset = DATASETS[name]
    list_parameters = [LANG_PARAMETER]
    list_description = in_english(dataset)
    if "sort" in filterset_class.base_filters:
        list_description += " " + SORT_DESCRIPTION
    if dataset.modified_field:
        list_parameters.append(MODIFIED_SINCE_PARAMETER)
    viewset = type(
        f"{dataset.name.title().replace('_', '')}ViewSet",
        (DatasetViewSet,),
        {
            "dataset": dataset,
            "serializer_class": serializer_for(dataset),
            "filterset_class": filterset_class,
            "lookup_field": lookup_field,
            "__doc__": str(dataset.description),
        },
    )
    return extend_schema_view(
        list=extend_schema(parameters=list_parameters, description=list_description),
        retrieve=extend_schema(parameters=[LANG_PARAMETER], description=in_english(dataset)),
    )(viewset)


def in_english(dataset: Dataset) -> str:
    with translation.override("en"):
        return str(dataset.description)


# URL prefix -> (dataset, FilterSet, lookup field). The listings' own FilterSets where a
# listing exists, so the API takes the same parameters as the pages.
COLLECTIONS = {
    "dialogues": ("dialogues", DialogueFilter, "slug"),
    "memberships": ("memberships", MembershipFilter, "pk"),
    "chair-terms": ("chair_terms", ChairTermFilter, "pk"),
    "meetings": ("meetings", MeetingFilter, "slug"),
    "documents": ("documents", DocumentFilter, "slug"),
    "organisations": ("organisations", OrganisationFilter, "slug"),
    "jvap-entries": ("jvap_entries", JvapEntryFilter, "pk"),
    "grants": ("grants", GrantFilter, "slug"),
    "calls": ("grant_calls", CallFilter, "slug"),
}

VIEWSETS = {
    prefix: viewset_for(name, filterset, lookup)
    for prefix, (name, filterset, lookup) in COLLECTIONS.items()
}


# The code list of countries is django-countries' ISO 3166-1 list, which changes only with a
# new release of the portal: every country counts as changed when this process started, so
# `modified_since` never misses a change (a restart makes harvesters fetch the list again).
COUNTRIES_LOADED = timezone.now()


class CountryViewSet(InLanguageMixin, DeclaredQueryMixin, viewsets.ViewSet):
    """The code list of countries (ISO 3166-1 alpha-2), with English and French names."""

    throttle_classes = [AnonymousThrottle]
    authentication_classes: list = []
    serializer_class = serializer_for(DATASETS["countries"])
    query_parameters = ("lang", "modified_since")

    @extend_schema(
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter(
                "modified_since",
                OpenApiTypes.DATETIME,
                description=(
                    "Only the records changed since this date or date-time (ISO 8601). The "
                    "code list changes only with a release of the portal: every country counts "
                    "as changed when the portal last started."
                ),
            ),
        ],
        responses=serializer_for(DATASETS["countries"])(many=True),
    )
    def list(self, request):
        """Every country, or none when none changed since `modified_since`."""
        moment = modified_since(request)
        rows = DATASETS["countries"].records()
        if moment is not None and moment > COUNTRIES_LOADED:
            rows = []
        return Response(self.serializer_class(rows, many=True).data)
