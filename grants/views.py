"""Public pages of the Grant Facility: the grants listing with its figures and downloads, a
grant's page, and the calls for proposals."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.bulk_downloads import PrebuiltDownloadsMixin
from core.collation import name_order, sorted_by_name
from core.downloads import Column, coded, countries, country
from core.listing import ListingView

from .figures import facility_figures
from .filters import GrantFilter, countries_of_implementation
from .models import Call, ConsortiumMember, Grant, Output


def _lead(grant: Grant):
    """The lead applicant's organisation, or None."""
    lead = grant.lead_member()
    return lead.organisation if lead is not None else None


def _joined(values) -> str:
    return "; ".join(str(value) for value in values)


# The public download: no personal data, only what the grant's page shows.
GRANT_EXPORT_COLUMNS = [
    Column(_("Reference"), lambda g: g.reference),
    Column(_("Title"), lambda g: g.localized("title")),
    # A published grant may belong to a call still in draft: the draft stays unnamed.
    Column(_("Call for proposals"), lambda g: g.call.reference if g.call.is_published else ""),
    *coded(_("Status"), lambda g: g.status, lambda g: g.get_status_display()),
    Column(_("Lead applicant"), lambda g: _lead(g).name if _lead(g) else ""),
    *coded(
        _("Lead applicant type"),
        lambda g: _lead(g).type if _lead(g) else "",
        lambda g: _lead(g).get_type_display() if _lead(g) else "",
    ),
    *country(_("Lead applicant country"), lambda g: _lead(g).country if _lead(g) else None),
    Column(
        _("Other consortium members"),
        lambda g: _joined(
            m.organisation.name for m in g.consortium.all() if m.role != ConsortiumMember.Role.LEAD
        ),
    ),
    *countries(_("Countries of implementation"), lambda g: [c.country for c in g.countries.all()]),
    *coded(
        _("Dialogues"),
        lambda g: _joined(d.slug for d in g.dialogues.all()),
        lambda g: _joined(d.localized("short_name") for d in g.dialogues.all()),
    ),
    Column(_("JVAP domains"), lambda g: _joined(d.number for d in g.domains.all())),
    Column(
        _("JVAP domains (names)"), lambda g: _joined(d.localized("name") for d in g.domains.all())
    ),
    Column(_("Amount awarded (EUR)"), lambda g: g.amount_eur),
    Column(_("Co-financing (EUR)"), lambda g: g.co_financing_eur),
    Column(_("Start date"), lambda g: g.start),
    Column(_("End date"), lambda g: g.end),
]


class GrantListView(PrebuiltDownloadsMixin, ListingView):
    """`/grants/`: what the Facility is, its live figures, and the filtered grants."""

    filterset_class = GrantFilter
    template_name = "grants/grant_list.html"
    context_object_name = "grants"
    export_columns = GRANT_EXPORT_COLUMNS
    export_filename = "mmd-grants"
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        grants = Grant.objects.published()
        return grants.for_listing() if self.kwargs.get("export_format") else grants.for_rows()

    @cached_property
    def countries(self) -> list[tuple[str, str]]:
        """The countries of implementation: the country filter's options and the figures'
        countries (read once, when the page needs them)."""
        return countries_of_implementation()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["countries"] = lambda: self.countries
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = facility_figures(country_codes=[code for code, _ in self.countries])
        context["export_base_url"] = reverse("grants:grant_list") + "export"
        return context


class GrantDetailView(DetailView):
    """`/grants/<slug>/`: the consortium, countries, dialogues, domains, outputs and money."""

    template_name = "grants/grant_detail.html"
    context_object_name = "grant"

    def get_queryset(self):
        return (
            Grant.objects.published()
            .for_listing()
            .prefetch_related(
                Prefetch("outputs", queryset=Output.objects.order_by("-date", "title"))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["country_list"] = sorted_by_name(
            ((c.country.code, str(c.country.name)) for c in self.object.countries.all()),
            key=lambda pair: pair[1],
        )
        return context


class CallListView(ListView):
    """`/grants/calls/`: open calls first, then forthcoming, closed and awarded ones."""

    template_name = "grants/call_list.html"
    context_object_name = "calls"

    def get_queryset(self):
        return Call.objects.published().open_first().prefetch_related("documents")


class CallDetailView(DetailView):
    """`/grants/calls/<slug>/`: a call's eligibility, deadlines, documents and grants."""

    template_name = "grants/call_detail.html"
    context_object_name = "call"

    def get_queryset(self):
        return (
            Call.objects.published()
            .with_status()
            .prefetch_related(
                "documents",
                Prefetch(
                    "grants",
                    queryset=Grant.objects.published().order_by(
                        name_order("title", translated=True), "pk"
                    ),
                ),
            )
        )
