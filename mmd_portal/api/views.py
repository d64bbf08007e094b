"""The API's read-only collections: one viewset per dataset of the data dictionary, filtered
with the listing's FilterSet, paginated by cursor, in English or French (`?lang=fr`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import pagination, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import AnonRateThrottle

from dialogues.filters import DialogueFilter, DocumentFilter, MeetingFilter, OrganisationFilter
from grants.filters import GrantFilter
from jvap.filters import JvapEntryFilter
from mmd_portal.opendata.dictionary import DATASETS, Dataset

from .filters import CallFilter, ChairTermFilter, MembershipFilter
from .serializers import serializer_for

LANGUAGES = ("en", "fr")


class AnonymousThrottle(AnonRateThrottle):
    """Requests per period from one address (`API_ANONYMOUS_RATE`, 429 beyond)."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


class StableCursorPagination(pagination.CursorPagination):
    """Cursor pages in primary-key order: stable while records are added or changed."""

    ordering = "pk"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"


class ModifiedSinceFilter(drf_filters.BaseFilterBackend):
    """`modified_since=<ISO date or date-time>`: only the records changed since then."""

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get("modified_since")
        if not value or not view.dataset.modified_field:
            return queryset
        from django.utils.dateparse import parse_date, parse_datetime

        moment = parse_datetime(value) or parse_date(value)
        if moment is None:
            raise ValidationError({"modified_since": "An ISO 8601 date or date-time."})
        return queryset.filter(**{f"{view.dataset.modified_field}__gte": moment})


LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=list(LANGUAGES), description="Language of the labels."
)
MODIFIED_SINCE_PARAMETER = OpenApiParameter(
    "modified_since",
    OpenApiTypes.DATETIME,
    description="Only the records changed since this date or date-time (ISO 8601).",
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


class DatasetViewSet(DeclaredQueryMixin, viewsets.ReadOnlyModelViewSet):
    """The published records of a dataset, with its dictionary's columns."""

    dataset: Dataset
    throttle_classes = [AnonymousThrottle]
    pagination_class = StableCursorPagination
    filter_backends = [DjangoFilterBackend, ModifiedSinceFilter]
    authentication_classes: list = []
    lookup_value_regex = "[^/]+"
    query_parameters = ("cursor", "page_size", "lang", "modified_since")

    def get_queryset(self):
        return self.dataset.records()

    def dispatch(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        with translation.override(language if language in LANGUAGES else "en"):
            return super().dispatch(request, *args, **kwargs)


def viewset_for(name: str, filterset_class, lookup_field: str):
    """The viewset of a dataset, documented with its extra parameters."""
    dataset = DATASETS[name]
    list_parameters = [LANG_PARAMETER]
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
        list=extend_schema(parameters=list_parameters, description=in_english(dataset)),
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


class CountryViewSet(DeclaredQueryMixin, viewsets.ViewSet):
    """The code list of countries (ISO 3166-1 alpha-2), with English and French names."""

    throttle_classes = [AnonymousThrottle]
    authentication_classes: list = []
    serializer_class = serializer_for(DATASETS["countries"])
    query_parameters = ("lang",)

    @extend_schema(responses=serializer_for(DATASETS["countries"])(many=True))
    def list(self, request):
        from rest_framework.response import Response

        rows = DATASETS["countries"].records()
        return Response(self.serializer_class(rows, many=True).data)
