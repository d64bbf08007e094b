"""The focal points' pages: download the template, upload, preview, confirm or cancel, follow
their entries' review, and designate contributors. Nothing here is public."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from . import services
from .access import can_upload_for_any_partner, designating_partners, uploadable_partners
from .forms import ContributorForm, UploadForm
from .models import EntryUpload, JvapEntry, PartnerAccess
from .template import build_template

# The preview lists at most this many rows of each kind; counts are always complete.
PREVIEW_LIMIT = 500


def template_download(request):
    """The spreadsheet template (public: it holds no data)."""
    response = HttpResponse(
        build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="jvap-template.xlsx"'
    return response


class UploaderMixin(LoginRequiredMixin):
    """Pages for people who may upload for at least one partner."""

    login_url = reverse_lazy("jvap:login")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partners = uploadable_partners(request.user).select_related("organisation")
        if not (can_upload_for_any_partner(request.user) or self.partners.exists()):
            raise PermissionDenied(_("Your account may not upload JVAP entries."))
        return super().dispatch(request, *args, **kwargs)


class UploadView(UploaderMixin, FormView):
    template_name = "jvap/upload/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partners": self.partners}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_uploads"] = (
            EntryUpload.objects.filter(partner__in=self.partners)
            .select_related("partner", "partner__organisation", "campaign")
            .order_by("-uploaded_at")[:10]
        )
        context["returned_count"] = (
            JvapEntry.objects.visible_to(self.request.user)
            .filter(review_state=JvapEntry.ReviewState.RETURNED)
            .count()
        )
        context["can_designate"] = designating_partners(self.request.user).exists()
        return context

    def form_valid(self, form):
        upload_file = form.cleaned_data["file"]
        limits = services.upload_limits()
        if upload_file.size > limits.max_bytes:
            form.add_error(
                "file",
                _("The file is larger than %(max)s MB, the most one upload accepts.")
                % {"max": round(limits.max_bytes / 1024 / 1024, 1)},
            )
            return self.form_invalid(form)
        upload = services.upload_store(
            data=upload_file.read(),
            filename=upload_file.name,
            partner=form.cleaned_data["partner"],
            user=self.request.user,
            campaign=form.cleaned_data["campaign"] or services.campaign_for_year(None),
        )
        return redirect("jvap:upload_preview", pk=upload.pk)


class UploadPreviewView(UploaderMixin, TemplateView):
    """What the upload would change; confirm writes it, cancel keeps the file but writes
    nothing."""

    template_name = "jvap/upload/preview.html"

    def get_upload(self) -> EntryUpload:
        return get_object_or_404(
            EntryUpload.objects.select_related("partner", "campaign"),
            pk=self.kwargs["pk"],
            partner__in=self.partners,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upload = self.get_upload()
        context["upload"] = upload
        if upload.state == EntryUpload.State.PREVIEWED or upload.state == EntryUpload.State.REFUSED:
            preview = services.upload_preview(
                data=services.upload_read(upload),
                filename=upload.original_name,
                partner=upload.partner,
            )
            self._remember_counts(upload, preview)
            context.update(preview_context(preview))
        return context

    def _remember_counts(self, upload: EntryUpload, preview: services.UploadPreview) -> None:
        upload.new_count = len(preview.new)
        upload.updated_count = len(preview.changed)
        upload.unchanged_count = len(preview.unchanged)
        upload.error_count = len(preview.errors)
        upload.state = EntryUpload.State.PREVIEWED if preview.ok else EntryUpload.State.REFUSED
        upload.save(
            update_fields=[
                "new_count",
                "updated_count",
                "unchanged_count",
                "error_count",
                "state",
            ]
        )

    def post(self, request, *args, **kwargs):
        upload = self.get_upload()
        if upload.state != EntryUpload.State.PREVIEWED:
            messages.error(request, _("This upload was already confirmed, cancelled or refused."))
            return redirect("jvap:upload_preview", pk=upload.pk)
        if "cancel" in request.POST:
            upload.state = EntryUpload.State.CANCELLED
            upload.save(update_fields=["state"])
            messages.info(request, _("Upload cancelled: nothing was written."))
            return redirect("jvap:upload")
        try:
            preview, upload = services.upload_confirm(
                data=services.upload_read(upload),
                filename=upload.original_name,
                partner=upload.partner,
                user=request.user,
                campaign=upload.campaign,
                upload=upload,
            )
        except services.UploadRefused:
            return redirect("jvap:upload_preview", pk=upload.pk)
        except services.UploadAlreadyHandled:
            messages.error(request, _("This upload was already confirmed, cancelled or refused."))
            return redirect("jvap:upload_preview", pk=upload.pk)
        except services.UploadInterrupted as interrupted:
            # Rolled back whole; the upload stays awaiting confirmation so it can be retried.
            messages.error(request, interrupted.message)
            return redirect("jvap:upload_preview", pk=upload.pk)
        messages.success(
            request,
            _(
                "Upload confirmed: %(new)s new, %(updated)s updated, %(unchanged)s unchanged. "
                "The entries await the secretariat's validation."
            )
            % {
                "new": len(preview.new),
                "updated": len(preview.changed),
                "unchanged": len(preview.unchanged),
            },
        )
        return redirect("jvap:upload_entries")


def preview_context(preview: services.UploadPreview) -> dict:
    return {
        "preview": preview,
        "errors": [str(error) for error in preview.errors[:PREVIEW_LIMIT]],
        "errors_hidden": max(0, len(preview.errors) - PREVIEW_LIMIT),
        "new_rows": preview.new[:PREVIEW_LIMIT],
        "new_hidden": max(0, len(preview.new) - PREVIEW_LIMIT),
        "changed_rows": preview.changed[:PREVIEW_LIMIT],
        "changed_hidden": max(0, len(preview.changed) - PREVIEW_LIMIT),
        "unchanged_count": len(preview.unchanged),
    }


class UploadFileView(UploaderMixin, View):
    """The uploaded file itself, for the people who may see the upload."""

    def get(self, request, pk):
        upload = get_object_or_404(EntryUpload, pk=pk, partner__in=self.partners)
        return FileResponse(
            upload.file.open("rb"), as_attachment=True, filename=upload.original_name
        )


class EntryReviewListView(UploaderMixin, ListView):
    """The user's partners' entries with their review state and the secretariat's comments."""

    template_name = "jvap/upload/entries.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        return (
            JvapEntry.objects.visible_to(self.request.user)
            .filter(partner__in=self.partners)
            .select_related("partner", "partner__organisation", "domain")
            .order_by("review_state", "partner__code", "reference")
        )


class ContributorsView(UploaderMixin, FormView):
    """A focal point designates and removes contributors of their own partner."""

    template_name = "jvap/upload/contributors.html"
    form_class = ContributorForm

    def get_designating(self):
        partners = designating_partners(self.request.user).select_related("organisation")
        if not partners.exists():
            raise PermissionDenied(_("Only a partner's focal point may designate contributors."))
        return partners

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partners": self.get_designating()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accesses"] = (
            PartnerAccess.objects.filter(partner__in=self.get_designating())
            .select_related("user", "partner", "partner__organisation")
            .order_by("partner__code", "role", "user__username")
        )
        context["contributor_role"] = PartnerAccess.Role.CONTRIBUTOR
        return context

    def form_valid(self, form):
        PartnerAccess.objects.create(
            user=form.cleaned_data["account"],
            partner=form.cleaned_data["partner"],
            role=PartnerAccess.Role.CONTRIBUTOR,
            designated_by=self.request.user,
        )
        messages.success(self.request, _("Contributor added."))
        return redirect("jvap:upload_contributors")


class ContributorRemoveView(UploaderMixin, View):
    def post(self, request, pk):
        access = get_object_or_404(
            PartnerAccess,
            pk=pk,
            role=PartnerAccess.Role.CONTRIBUTOR,
            partner__in=designating_partners(request.user),
        )
        access.delete()
        messages.success(request, _("Contributor removed."))
        return redirect("jvap:upload_contributors")


# =============================================================================================
# The public JVAP database: listing, detail, exports and dashboard (jvap-public branch).
# Everything below reads `JvapEntry.objects.published()` only.
# =============================================================================================

from django.core.paginator import Paginator  # noqa: E402
from django.http import Http404  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.functional import cached_property  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.views.generic import DetailView  # noqa: E402

from dialogues.listing import Column, FilteredListView, csv_response  # noqa: E402

from . import dashboard as dashboard_figures  # noqa: E402
from .exports import export_response  # noqa: E402
from .filters import SORT_LABELS, JvapEntryFilter, facet_counts, facets  # noqa: E402


class CachedCountPaginator(Paginator):
    """A paginator whose total is computed once per filter set and data version (with
    `core.caching`), not by a `COUNT(*)` on every page at 100,000 entries."""

    def __init__(self, *args, count_key: tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return dashboard_figures.cached_aggregate(
            "jvap-listing-count", self.object_list.count, self.count_key
        )


class PublicEntriesMixin:
    """The published entries, filtered by the request's parameters."""

    filterset_class = JvapEntryFilter

    def published(self):
        return JvapEntry.objects.published()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, also without parameters, so that the default sort applies and
        # `/jvap/export.csv` without filters exports every published entry.
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs

    def filtered(self):
        """(filterset, entries): no entries at all when a filter value is invalid."""
        filterset = JvapEntryFilter(self.request.GET, queryset=self.published())
        entries = filterset.qs if filterset.is_valid() else self.published().none()
        return filterset, entries


def _query_pairs(query_dict):
    return [(name, value) for name, values in query_dict.lists() for value in values]


class EntryListView(PublicEntriesMixin, FilteredListView):
    """`/jvap/`: the published entries, filtered, sorted, paginated, with counted filters and
    downloads of exactly the filtered rows (`/jvap/export.csv|xlsx|json`)."""

    template_name = "jvap/entry_list.html"
    context_object_name = "entries"
    paginator_class = CachedCountPaginator
    export_formats = ("csv", "xlsx", "json")
    export_filename = "jvap-entries"
    # FilteredListView offers downloads when it has columns; ours come from jvap.exports.
    export_columns = (Column("", lambda entry: ""),)

    def get_queryset(self):
        return self.published().for_listing()

    def export(self, export_format: str):
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        filename = f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"
        return export_response(rows.iterator(chunk_size=2000), export_format, filename)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        key = dashboard_figures.canonical_query(_query_pairs(self.request.GET))
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=key,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        key = dashboard_figures.canonical_query(_query_pairs(self.request.GET))
        counts = dashboard_figures.cached_aggregate(
            "jvap-facets", lambda: facet_counts(filterset, self.published()), key
        )
        context["facets"] = facets(filterset, self.published(), counts)
        context["has_errors"] = bool(filterset.errors)
        context["has_filters"] = any(
            value for name, value in _query_pairs(self.request.GET) if name not in ("page", "sort")
        )
        context["sort_options"] = list(SORT_LABELS.items())
        context["current_sort"] = current = self.request.GET.get("sort") or "-start"
        context["sort_links"] = sort_links(self.request.GET, current)
        context["form"] = filterset.form
        context["export_base_url"] = reverse("jvap:entry_list") + "export"
        context["dashboard_query"] = context["query_without_page"]
        return context


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
        context = super().get_context_data(**kwargs)
        filterset, entries = self.filtered()
        key = dashboard_figures.canonical_query(_query_pairs(self.request.GET))
        data = dashboard_figures.dashboard(entries, key)
        counts = dashboard_figures.cached_aggregate(
            "jvap-facets", lambda: facet_counts(filterset, self.published()), key
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        listing = reverse("jvap:entry_list")
        for chart in data["charts"]:
            for row in chart.rows:
                if row.param:
                    drill_down = query.copy()
                    drill_down.setlist(row.param, [row.value])
                    row.url = f"{listing}?{drill_down.urlencode()}"
        context.update(
            {
                "filter": filterset,
                "facets": facets(filterset, self.published(), counts),
                "has_errors": bool(filterset.errors),
                "has_filters": bool(key),
                "totals": data["totals"],
                "charts": data["charts"],
                "country_chart": next(c for c in data["charts"] if c.slug == "country"),
                "query": query.urlencode(),
                "language": get_language(),
            }
        )
        return context


class DashboardChartCsvView(PublicEntriesMixin, View):
    """`/jvap/dashboard/<chart>.csv`: one chart's data, under the same parameters."""

    def get(self, request, chart):
        if chart not in dashboard_figures.CHARTS:
            raise Http404
        filterset, entries = self.filtered()
        key = dashboard_figures.canonical_query(_query_pairs(request.GET))
        data = dashboard_figures.chart(chart, entries, key)
        columns = [
            Column(_("Key"), lambda row: row.key),
            Column(_("Label"), lambda row: row.label),
            Column(data.entries_label, lambda row: row.entries),
            Column(_("Funding (EUR)"), lambda row: row.funding),
        ]
        return csv_response(data.rows, columns, f"jvap-dashboard-{chart}")
