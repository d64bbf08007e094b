"""The one pattern of the portal's public listings: a FilterSet (core.filters), facets with
counts (core.facets), sorting, pagination, and downloads of exactly the filtered rows.

A listing is one view class:

    class MeetingListView(ListingView):
        filterset_class = MeetingFilter           # a ListingFilterSet
        template_name = "dialogues/meeting_list.html"   # extends "listing_base.html"
        facets = (Facet("type", option_label=choice_label(Meeting.Type.choices)),)
        export_columns = (Column(_("Title"), lambda m: m.title),)
        export_url_name = "dialogues:meeting_export"

        def get_queryset(self):
            return Meeting.objects.for_listing()

and two URL patterns (the page, and `<path>/export.<format>` with `export_format`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django_filters.views import FilterMixin, FilterView

from .downloads import Column, csv_response, xlsx_response
from .facets import Facet, FacetCounts, FacetForm, count_facets, facet_options, selected_values
from .filters import SearchTextFilter, SortFilter
from .pagination import IndexedPaginator

# The parameters that page or sort a listing rather than filter it.
NOT_FILTERS = frozenset({"page", "sort"})


class FacetsMixin(FilterMixin):
    """The listing's facets with their counts, for any view with a ListingFilterSet."""

    facets: tuple[Facet, ...] = ()

    def get_filterset_kwargs(self, filterset_class):
        """Always bound, also without parameters: the default sort applies, and a bare
        download exports every row rather than none."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs

    def get_facets(self) -> Sequence[Facet]:
        """The listing's facets (built once per request: their labels may need a query)."""
        return self.facets

    @cached_property
    def listing_facets(self) -> Sequence[Facet]:
        return self.get_facets()

    def get_facet_counts(self, filterset) -> dict[str, dict[str, int] | None]:
        """Each facet's counts under the other filters (None when another filter is invalid),
        all in one statement (`count_facets`). The facets whose own filter has no value see
        the same rows, the listing's, and the statement counts those rows too
        (`counted_rows`). Override it to read precomputed counts."""
        return self._counted(filterset).facets

    def counted_rows(self, filterset) -> int | None:
        """How many rows the listing has, when its facet counts gave it (some facet's filter
        has no value); None otherwise. A listing that overrides `get_facet_counts` overrides
        this too."""
        return self._counted(filterset).rows

    def _counted(self, filterset) -> FacetCounts:
        counted = self.__dict__.setdefault("_counted_facets", {})
        if filterset not in counted:
            shared, own = [], []
            for facet in self.listing_facets:
                (own if filterset.chosen(facet.name) else shared).append(facet)
            rows = [(filterset.queryset_without(facet.name), [facet]) for facet in own]
            if shared:
                rows.append((filterset.matching_rows(), shared))
            counted[filterset] = count_facets(rows, count_rows_of=len(own) if shared else None)
        return counted[filterset]

    def facet_forms(self, filterset) -> list[FacetForm]:
        """The facets as the filter form shows them."""
        counts = self.get_facet_counts(filterset)
        errors = filterset.form.errors
        forms = []
        for facet in self.listing_facets:
            selected = selected_values(facet, filterset.data)
            label = facet.label or filterset.filters[facet.name].label
            forms.append(
                FacetForm(
                    facet=facet,
                    label=label,
                    options=facet_options(facet, counts.get(facet.name) or {}, selected),
                    errors=[str(error) for error in errors.get(facet.name, [])],
                )
            )
        return forms

    def listing_context(self, filterset, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """What the filter form (includes/filter_form.html) needs; `exclude` leaves some of
        the filter set's fields out of the form."""
        facets = self.facet_forms(filterset)
        fields = [
            field for field in filter_fields(filterset, facets) if field["name"] not in exclude
        ]
        return {
            "filter": filterset,
            "facets": facets,
            "filter_fields": fields,
            "has_errors": bool(filterset.form.errors),
            "has_filters": any(
                value
                for name, values in self.request.GET.lists()
                if name not in NOT_FILTERS
                for value in values
            ),
            "query_without_page": query_without(self.request.GET, "page"),
        }


class ListingView(FacetsMixin, FilterView):
    """A public listing: filter with `filterset_class`, count `facets`, sort with the filter
    set's `sort`, paginate, and offer the filtered rows as downloads.

    An invalid filter value (an unknown `type=`) shows the form's message and no rows, never
    everything. Subclasses set `filterset_class`, `template_name`, a queryset, and for
    downloads `export_columns` and `export_url_name`.
    """

    paginate_by = settings.PUBLIC_PAGE_SIZE
    # A page's keys are sorted first, then its rows read (`core.pagination`): sorting whole
    # rows to keep 25 of them (5,000 meetings by date and title) cost several times more.
    paginator_class = IndexedPaginator
    strict = True
    export_columns: Sequence[Column] = ()
    export_filename = "export"
    export_formats: Sequence[str] = ("csv",)
    export_url_name = ""

    def get(self, request, *args, **kwargs):
        export_format = kwargs.get("export_format")
        if export_format:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """Like Django's, but a page past the end (`?page=9999`, an old link after rows went)
        shows the last page and a page that is not a number the first, rather than a 404."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        counted = self.counted_rows(self.filterset) if self.listing_facets else None
        if counted is not None:  # the facets' statement counted the rows: no COUNT query
            paginator.count = counted
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def export(self, export_format: str):
        """The download of the rows the listing's filters select (all pages)."""
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        filename = f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"
        return self.download(rows, export_format, filename)

    def download(self, rows, export_format: str, filename: str):
        """The rows in one of `export_formats`, with `export_columns`."""
        if export_format == "xlsx":
            return xlsx_response(rows.iterator(chunk_size=2000), self.export_columns, filename)
        return csv_response(rows.iterator(chunk_size=2000), self.export_columns, filename)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.listing_context(context["filter"]))
        context["export_formats"] = self.export_formats if self.export_columns else ()
        if self.export_url_name:
            context["export_base_url"] = reverse(self.export_url_name).rsplit(".", 1)[0]
        return context


def query_without(query, *names: str) -> str:
    """The request's query string without some parameters (to add them again in links)."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def filter_fields(filterset, facets: Iterable[FacetForm]) -> list[dict[str, Any]]:
    """The form's fields in order, each as the filter form template draws it: `search`
    (words), `facet` (options with counts), `sort` (a select of the sort options) or `field`
    (the field's own widget)."""
    by_name = {facet.name: facet for facet in facets}
    fields = []
    for bound_field in filterset.form:
        name = bound_field.name
        filter_ = filterset.filters[name]
        entry = {"name": name, "field": bound_field, "errors": bound_field.errors}
        if name in by_name:
            entry.update(kind="facet", facet=by_name[name])
        elif isinstance(filter_, SortFilter):
            current = filterset.data.get(name) or filter_.default
            entry.update(kind="sort", options=bound_field.field.choices, current=current)
        elif isinstance(filter_, SearchTextFilter) or name == "q":
            entry.update(kind="search", value=filterset.data.get(name, ""))
        else:
            entry.update(kind="field")
        fields.append(entry)
    return fields
