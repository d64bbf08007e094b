"""The public JVAP database: listing, detail, downloads and dashboard. Everything here reads
`JvapEntry.objects.published()` only."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import F, OrderBy, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from core.bulk_downloads import PrebuiltDownloadsMixin
from core.downloads import Column, csv_response
from core.facets import Facet, country_facet, selected_values
from core.listing import FacetsMixin, ListingView
from core.pagination import IndexedPaginator
from dialogues.models import Domain

from .. import dashboard as dashboard_figures
from .. import public_figures, read_model
from ..exports import export_response
from ..filters import DEFAULT_SORT, MAX_SEARCH_WORDS, JvapEntryFilter, words_left_out
from ..listing_rows import listing_rows
from ..models import JvapEntry, ReportingPartner


class CachedCountPaginator(IndexedPaginator):
    """A paginator whose total is computed once per filter set and data version (with
    `core.caching`), not by a `COUNT(*)` on every page at 100,000 entries, and whose deep
    pages read the sort index only (`core.pagination`). `count_rows` counts them (default:
    the listed rows)."""

    def __init__(
        self,
        *args,
        count_key: tuple = (),
        known_count: int | None = None,
        count_rows: Callable[[], int] | None = None,
        sorted_keys: QuerySet | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.known_count = known_count
        self.count_rows = count_rows or self.object_list.count
        self.sorted_keys = sorted_keys

    def rows(self, queryset, ordering: list, bottom: int, top: int):
        """The rows between two positions; with `sorted_keys` (the ids of the listed entries in
        the listing's order, from the read model), those of the page's ids that are still
        published, with the listing's relations."""
        if self.sorted_keys is None:
            return super().rows(queryset, ordering, bottom, top)
        rows = JvapEntry.objects.published().filter(pk__in=self.sorted_keys[bottom:top])
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
        return rows.prefetch_related(*queryset._prefetch_related_lookups).order_by(*ordering)

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:  # the precomputed figures' total
            return self.known_count
        return dashboard_figures.cached_aggregate(
            "jvap-listing-count", self.count_rows, self.count_key
        )


class PublicEntriesMixin(FacetsMixin):
    """The published entries, filtered by the request's parameters, with the filter form's
    facets (the listing and the dashboard share them)."""

    filterset_class = JvapEntryFilter

    def published(self):
        return JvapEntry.objects.published()

    @cached_property
    def reporting_partners(self) -> dict[int, ReportingPartner]:
        """Every reporting partner by id, with its organisation (the partner facet's options
        and the listing's partner column name them; one query)."""
        partners = ReportingPartner.objects.select_related("organisation").only(
            "code",
            "country",
            "organisation__name",
            "organisation__name_fr",
            "organisation__acronym",
            "organisation__acronym_fr",
        )
        return {partner.pk: partner for partner in partners}

    def get_facets(self):
        by_code = {partner.code.upper(): partner for partner in self.reporting_partners.values()}
        return (
            domain_facet(),
            country_facet(widget="checkboxes"),
            Facet("type", choices=lambda: JvapEntry.Type.choices),
            Facet("status", choices=lambda: JvapEntry.Status.choices),
            Facet("dialogue", choices=lambda: JvapEntry.DialogueChoice.choices),
            Facet(
                "partner",
                "partner__code",
                option_label=lambda code: str(by_code[code]) if code in by_code else None,
                case="upper",
                distinct=False,
            ),
        )

    def get_facet_counts(self, filterset):
        """The precomputed counts without filters; otherwise computed once per filter set and
        data version (at 100,000 entries)."""
        if self.precomputed_figures is not None:
            return self.precomputed_figures.facet_counts
        if self.precomputed_word_counts is not None:
            return self.precomputed_word_counts
        # Once per request and filter set: the listing's total is read from them too.
        counted = self.__dict__.setdefault("_facet_counts", {})
        if filterset not in counted:
            counted[filterset] = dashboard_figures.cached_aggregate(
                "jvap-facets", lambda: self.live_facet_counts(filterset), self.filter_query
            )
        return counted[filterset]

    def counted_rows(self, filterset) -> int | None:
        """None: the listing's total comes from its paginator (`CachedCountPaginator`)."""
        return None

    # Counts of some facets the page has computed already, by facet name (the dashboard's).
    known_facet_counts: dict[str, dict[str, int]] | None = None

    def live_facet_counts(self, filterset):
        """The facet counts computed now from the read model (`jvap.read_model`)."""
        return read_model.facet_counts(
            filterset, self.listing_facets, known=self.known_facet_counts
        )

    @cached_property
    def filter_query(self) -> tuple:
        """The request's filter parameters in a stable order (no page, no sort): the key of its
        counted figures, and what says whether any filter is chosen."""
        return dashboard_figures.canonical_query(_query_pairs(self.request.GET))

    @cached_property
    def precomputed_figures(self):
        """The figures computed after the last change (`jvap.public_figures`) when no filter
        is applied and they are current; None otherwise (the page computes its own). Reads
        the request's filter set, `self.filterset`."""
        if any(value for _name, value in self.filter_query):
            return None
        if not self.filterset.is_valid():
            return None  # an unknown sort shows no entries, not every figure
        return public_figures.current()

    @cached_property
    def precomputed_word_counts(self):
        """The facet counts kept after the last change for a search of one frequent word
        (`jvap.public_figures.word_counts`), when the request filters by nothing else; None
        otherwise."""
        chosen = [(name, value) for name, value in self.filter_query if value]
        if len(chosen) != 1 or chosen[0][0] != "q" or not self.filterset.is_valid():
            return None
        return public_figures.word_counts(chosen[0][1])


def domain_facet() -> Facet:
    """The main JVAP domain as checkboxes: the public listing's and the partner's entries'."""
    return Facet(
        "domain", "domain__number", choices=domain_choices, widget="checkboxes", distinct=False
    )


def domain_choices() -> list[tuple[str, str]]:
    """The main JVAP domains as "1. Name", in the visitor's language (one query)."""
    french = (get_language() or "en").startswith("fr")
    return [
        (str(number), f"{number}. {name_fr if french and name_fr else name}")
        for number, name, name_fr in Domain.objects.order_by("number").values_list(
            "number", "name", "name_fr"
        )
    ]


def _query_pairs(query_dict):
    return [(name, value) for name, values in query_dict.lists() for value in values]


class EntryListView(PrebuiltDownloadsMixin, PublicEntriesMixin, ListingView):
    """`/jvap/`: the published entries, filtered, sorted, paginated, with counted filters and
    downloads of exactly the filtered rows (`/jvap/export.csv|xlsx|json`)."""

    template_name = "jvap/entry_list.html"
    context_object_name = "entries"
    paginator_class = CachedCountPaginator
    export_formats = ("csv", "xlsx", "json")
    export_filename = "jvap-entries"
    # ListingView offers downloads when it has columns; ours come from jvap.exports.
    export_columns = (Column("", lambda entry: ""),)

    # The ids of the listed entries in the listing's order, when the read model gives them
    # (`paginate_queryset`).
    sorted_keys: QuerySet | None = None

    def get_queryset(self):
        return self.published().for_listing()

    def download(self, rows, export_format: str, filename: str):
        return export_response(rows, export_format, filename)

    def selected_rows(self, *, tallied: bool) -> read_model.EntryRows | None:
        """The read model's rows standing for the entries the filters select
        (`read_model.entry_rows`), when the request filters by anything but words (`q`) and
        every value is valid; None otherwise.

        The read model carries every filterable column of an entry on one narrow row (and on
        each of its countries' rows, and tallies of the choice columns), so the listing counts
        its entries there, and with countries chosen selects them there too, reading only
        the shown ones from the entries' table: at 100,000 entries, three filters (a domain,
        a country, a status) cost 40 ms against the entries' table, a few ms here. Words are
        searched in the entries' own full-text index, as the listing does without the read
        model."""
        filterset = self.filterset
        if self.precomputed_figures is not None or not filterset.is_valid():
            return None
        chosen = {
            name
            for name, value in filterset.form.cleaned_data.items()
            if name != "sort" and value not in (None, "", [], ())
        }
        if not chosen or "q" in chosen:
            return None
        return read_model.entry_rows(read_model.facts_filter(filterset), "", tallied=tallied)

    def paginate_queryset(self, queryset, page_size):
        """The page's entries as the table's rows of text (`jvap.listing_rows`)."""
        rows = self.selected_rows(tallied=False)
        ordering = country_ordering(queryset.query.order_by)
        if rows is not None and rows.of_countries and not rows.distinct and ordering:
            # One country chosen: its rows in the read model carry the sort columns, and a
            # page's ids are read by sorting them there (a few thousand narrow rows at a
            # million entries, found by their index), not by reading each of those entries in
            # the entries' wide table (110 ms at a million entries).
            self.sorted_keys = rows.rows.order_by(*ordering).values("entry_id")
        if rows is not None and rows.of_countries:
            # The chosen countries' rows of the read model select the entries (the entries'
            # table answers a country only through a subquery per entry); the sort stays.
            # Other filters read the entries' own columns, as the sort index walked for a
            # page does (`core.pagination`).
            entries = rows.rows.order_by().values("entry_id")
            queryset = (
                self.published()
                .for_listing()
                .filter(pk__in=entries)
                .order_by(*queryset.query.order_by)
            )
        paginator, page, entries, is_paginated = super().paginate_queryset(queryset, page_size)
        return paginator, page, listing_rows(entries, self.reporting_partners), is_paginated

    def count_entries(self) -> int:
        """How many entries the filters select (when the precomputed total does not apply):
        from the facet counts, which the filter form shows anyway (`count_from_facets`);
        otherwise counted over the read model (`selected_rows`), or over the listed rows."""
        filterset = self.filterset
        if filterset.is_valid():
            counted = self.count_from_facets(filterset)
            if counted is not None:
                return counted
        rows = self.selected_rows(tallied=True)
        return rows.count() if rows is not None else self.object_list.count()

    def count_from_facets(self, filterset) -> int | None:
        """The listing's count read from a facet whose options split the selected entries
        without overlap, or None when none does: a facet counts the entries of each option
        under every other filter, and an entry has one main domain, type, status, dialogue
        choice and reporting partner, so the listing counts the sum over the chosen options
        (over every main domain when none is chosen), with no query of its own. A country is
        such an option only when it is the one chosen (an entry may be in two)."""
        counts = self.get_facet_counts(filterset)
        for facet in self.listing_facets:
            options = counts.get(facet.name)
            chosen = selected_values(facet, filterset.data)
            if options is None or (facet.name == "country" and len(chosen) != 1):
                continue
            if facet.name == "domain" and not chosen:
                return sum(options.values())
            if chosen:
                return sum(options.get(value, 0) for value in chosen)
        return None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        figures = self.precomputed_figures
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=self.filter_query,
            known_count=figures.dashboard["totals"]["entries"] if figures else None,
            count_rows=self.count_entries,
            sorted_keys=self.sorted_keys,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.request.GET.get("sort") or DEFAULT_SORT
        context["sort_links"] = sort_links(self.request.GET, current)
        context["export_base_url"] = reverse("jvap:entry_list") + "export"
        context["search_words_left_out"] = words_left_out(self.request.GET.get("q", ""))
        context["max_search_words"] = MAX_SEARCH_WORDS
        if self.precomputed_figures is not None:
            context["figures_computed_at"] = self.precomputed_figures.computed_at
        return context


# The sort columns that the read model's countries carry (`PublicEntryCountry`).
COUNTRY_SORT_COLUMNS = frozenset({"start_date", "end_date", "budget_eur"})


def country_ordering(ordering) -> list | None:
    """The listing's ORDER BY on the read model's countries (`PublicEntryCountry`, the entry's
    id for its primary key), or None when they lack one of its columns (the title)."""
    mapped = []
    for term in ordering:
        name = getattr(getattr(term, "expression", None), "name", None)
        if name in ("pk", "id"):
            name = "entry_id"
        elif name not in COUNTRY_SORT_COLUMNS:
            return None
        mapped.append(
            OrderBy(
                F(name),
                descending=term.descending,
                nulls_first=term.nulls_first,
                nulls_last=term.nulls_last,
            )
        )
    return mapped or None


def sort_links(query, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column of the table: the address that sorts by it (the other way
    round when it is the current sort) and its `aria-sort` state."""
    links = {}
    for column in ("title", "budget", "start"):
        ascending = current == column
        descending = current == f"-{column}"
        following = query.copy()
        following.pop("page", None)
        following["sort"] = f"-{column}" if ascending else column
        links[column] = {
            "url": f"?{following.urlencode()}",
            "state": "ascending" if ascending else "descending" if descending else "none",
        }
    return links


class EntryDetailView(DetailView):
    """`/jvap/<id>/`: one published entry; anything else is a 404."""

    template_name = "jvap/entry_detail.html"
    context_object_name = "entry"

    def get_queryset(self):
        return JvapEntry.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        organisations = sorted(entry.organisations.all(), key=lambda o: (o.position, o.pk))
        context["implementers"] = [o for o in organisations if o.role == "implementer"]
        context["donors"] = [o for o in organisations if o.role == "donor"]
        context["country_list"] = sorted(
            ((c.country.code, str(c.country.name)) for c in entry.countries.all()),
            key=lambda pair: pair[1],
        )
        context["secondary"] = sorted(entry.secondary_domains.all(), key=lambda d: d.number)
        return context


class DashboardView(PublicEntriesMixin, TemplateView):
    """`/jvap/dashboard/`: the listing's filters drive charts of entries and funding."""

    template_name = "jvap/dashboard.html"

    def get_context_data(self, **kwargs):
        # The listing's view keeps its filter set here too (django-filter's BaseFilterView).
        self.filterset = filterset = JvapEntryFilter(self.request.GET, queryset=self.published())
        context = super().get_context_data(**kwargs)
        if self.precomputed_figures is not None:
            data = public_figures.dashboard_data(self.precomputed_figures)
        else:
            data = dashboard_figures.dashboard(read_model.select(filterset), self.filter_query)
            if filterset.is_valid() and not filterset.form.cleaned_data.get("country"):
                # With no country chosen, the country chart counts the entries of each country
                # under every filter, as the country facet does: one grouped query less.
                chart = next(c for c in data["charts"] if c.slug == "country")
                self.known_facet_counts = {"country": {row.key: row.entries for row in chart.rows}}
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        listing = reverse("jvap:entry_list")
        for chart in data["charts"]:
            for row in chart.rows:
                if row.param:
                    row.url = f"{listing}?{_with_value(query, row.param, row.value)}"
        context.update(self.listing_context(filterset, exclude=("sort",)))
        context.update(
            {
                "totals": data["totals"],
                "charts": data["charts"],
                "country_chart": next(c for c in data["charts"] if c.slug == "country"),
                "figures_computed_at": data["computed_at"],
                "query": query.urlencode(),
                "language": get_language(),
            }
        )
        return context


def _with_value(query, name: str, value: str) -> str:
    """The query string with `name` set to `value` alone, as `QueryDict.setlist` then
    `urlencode` would give it (without copying the QueryDict for each of a few hundred rows)."""
    pairs = []
    for key, values in query.lists():
        if key == name:
            pairs.append((key, value))
        else:
            pairs.extend((key, item) for item in values)
    if name not in query:
        pairs.append((name, value))
    return urlencode(pairs)


class DashboardChartCsvView(PublicEntriesMixin, View):
    """`/jvap/dashboard/<chart>.csv`: one chart's data, under the same parameters."""

    def get(self, request, chart):
        if chart not in dashboard_figures.CHARTS:
            raise Http404
        filterset = JvapEntryFilter(request.GET, queryset=self.published())
        data = dashboard_figures.chart(chart, read_model.select(filterset), self.filter_query)
        columns = [
            Column(_("Key"), lambda row: row.key),
            Column(_("Label"), lambda row: row.label),
            Column(data.entries_label, lambda row: row.entries),
            Column(_("Funding (EUR)"), lambda row: row.funding),
        ]
        return csv_response(data.rows, columns, f"jvap-dashboard-{chart}")
