"""The focal points' pages: download the template, upload, preview, confirm or cancel, follow
their entries' review, and designate contributors. Nothing here is public."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from core.facets import Facet, year_label
from core.listing import ListingView
from core.uploads import file_download_response

from .. import services, tasks
from ..access import can_upload_for_any_partner, designating_partners, uploadable_partners
from ..filters import PartnerEntryFilter
from ..forms import ContributorInviteForm, NotificationSettingsForm, UploadForm
from ..invitations import contributor_invite, invitable_accounts, invitation_tokens
from ..models import (
    DataCollectionCampaign,
    EntryUpload,
    JvapEntry,
    NotificationSettings,
    PartnerAccess,
)
from ..template import build_template
from .public import domain_facet


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

    def get_context_data(self, **kwargs):
        # Contributors see only what they may use: no "Contributors" link for them.
        return {
            **super().get_context_data(**kwargs),
            "can_invite": designating_partners(self.request.user).exists(),
        }


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
        context.update(partner_overview(self.request.user, self.partners))
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
            campaign=form.cleaned_data["campaign"],
        )
        # Read once, by a task; the preview page shows the progress, then the result.
        tasks.reading_start(upload, get_language())
        return redirect("jvap:upload_preview", pk=upload.pk)


def partner_overview(user, partners) -> dict:
    """The focal point's overview: the current campaign, how many of the partners' entries
    await validation, were returned (the latest with the secretariat's comment) or are
    published."""
    entries = JvapEntry.objects.visible_to(user).filter(partner__in=partners)
    states = JvapEntry.ReviewState
    counts = entries.aggregate(
        **{state: Count("pk", filter=Q(review_state=state)) for state in states.values}
    )
    return {
        "campaign": DataCollectionCampaign.current(),
        "submitted_count": counts[states.SUBMITTED],
        "returned_count": counts[states.RETURNED],
        "published_count": counts[states.PUBLISHED],
        "returned_entries": entries.filter(review_state=states.RETURNED)
        .select_related("partner")
        .order_by("-reviewed_at", "reference")[:10],
        "entries_url": reverse("jvap:upload_entries"),
    }


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
        language = get_language()
        if upload.state in (EntryUpload.State.PREVIEWED, EntryUpload.State.REFUSED) and (
            language not in (upload.preview or {})
        ):
            # Not read yet in this page's language (or uploaded before previews were kept):
            # read it once now, through the task.
            tasks.reading_start(upload, language, from_states=[upload.state])
            upload.refresh_from_db()
        # A task whose worker died is started again, or the page says it was interrupted.
        upload = tasks.upload_recover(upload, language=language)
        context["upload"] = upload
        context["working"] = tasks.upload_working(upload)
        if context["working"]:
            context["progress"] = tasks.upload_progress(upload.pk)
        summary = (upload.preview or {}).get(language)
        if not context["working"] and summary is not None:
            context.update(preview_context(summary))
        return context

    def post(self, request, *args, **kwargs):
        upload = self.get_upload()
        if "retry" in request.POST and upload.state == EntryUpload.State.INTERRUPTED:
            tasks.reading_start(upload, get_language(), from_states=[upload.state])
            return redirect("jvap:upload_preview", pk=upload.pk)
        if upload.state != EntryUpload.State.PREVIEWED or upload.confirm_queued:
            messages.error(request, _("This upload was already confirmed, cancelled or refused."))
            return redirect("jvap:upload_preview", pk=upload.pk)
        if "cancel" in request.POST:
            upload.state = EntryUpload.State.CANCELLED
            upload.save(update_fields=["state"])
            messages.info(request, _("Upload cancelled: nothing was written."))
            return redirect("jvap:upload")
        # What the file changes is the same in every language it was read in.
        summary = next(iter((upload.preview or {}).values()), None)
        if summary is not None and not preview_context(summary)["changes_anything"]:
            # An identical file: confirming would change nothing, so it is not offered.
            messages.info(request, _("Nothing to confirm: every entry of this file is up to date."))
            return redirect("jvap:upload_preview", pk=upload.pk)
        # Only the first of two clicks (or two app servers) queues the confirmation.
        result = tasks.confirming_start(upload, request.user.pk, get_language())
        if result is None:
            messages.error(request, _("This upload was already confirmed, cancelled or refused."))
            return redirect("jvap:upload_preview", pk=upload.pk)
        if result.is_finished:  # a worker as fast as the request (or tasks run at once)
            return self._confirmed(request, upload, result.return_value or {})
        return redirect("jvap:upload_preview", pk=upload.pk)

    def _confirmed(self, request, upload: EntryUpload, outcome: dict):
        if outcome.get("confirmed"):
            messages.success(
                request,
                _(
                    "Upload confirmed: %(new)s new, %(updated)s updated, %(unchanged)s "
                    "unchanged. The entries await the secretariat's validation."
                )
                % outcome,
            )
            return redirect("jvap:upload_entries")
        upload.refresh_from_db()
        if upload.confirm_error:
            messages.error(request, upload.confirm_error)
        elif upload.state != EntryUpload.State.REFUSED:
            messages.error(request, _("This upload was already confirmed, cancelled or refused."))
        return redirect("jvap:upload_preview", pk=upload.pk)


def preview_context(summary: dict) -> dict:
    """The preview page's context from the summary kept on the upload (jvap.tasks)."""
    return {
        "preview": summary,
        "error_kinds": summary.get("error_kinds", []),
        "errors": summary["errors"],
        "errors_hidden": summary["error_count"] - len(summary["errors"]),
        "new_rows": summary["new"],
        "new_hidden": summary["new_count"] - len(summary["new"]),
        "changed_rows": summary["changed"],
        "changed_hidden": summary["changed_count"] - len(summary["changed"]),
        "unchanged_count": summary["unchanged_count"],
        "carried_count": summary.get("carried_count", 0),
        "takedowns": summary.get("takedowns", []),
        "takedowns_hidden": summary.get("takedown_count", 0) - len(summary.get("takedowns", [])),
        # Kept summaries from before this was recorded: anything new or changed.
        "changes_anything": summary.get(
            "changes_anything", bool(summary["new_count"] or summary["changed_count"])
        ),
    }


class UploadFileView(UploaderMixin, View):
    """The uploaded file itself, for the people who may see the upload."""

    def get(self, request, pk):
        upload = get_object_or_404(EntryUpload, pk=pk, partner__in=self.partners)
        return file_download_response(upload.file, upload.original_name, as_attachment=True)


class UploadErrorsView(UploaderMixin, View):
    """Every error of an upload as a spreadsheet (row, column, value, message) that the focal
    point fixes their file from."""

    def get(self, request, pk):
        upload = get_object_or_404(EntryUpload, pk=pk, partner__in=self.partners)
        language = get_language()
        name = tasks.errors_file_name(upload, language)
        storage = upload.file.storage
        if not storage.exists(name):
            if upload.state != EntryUpload.State.REFUSED:
                raise Http404(_("This upload has no errors."))
            # Refused before its list of errors was kept: the task reads the file once more
            # (never this request), and the preview page offers the list when it is ready.
            tasks.reading_start(upload, language, from_states=[upload.state])
            return redirect("jvap:upload_preview", pk=upload.pk)
        return file_download_response(
            storage.open(name), f"upload-{upload.pk}-errors.xlsx", as_attachment=True
        )


class EntryReviewListView(UploaderMixin, ListingView):
    """The user's partners' entries with their review state and the secretariat's comments,
    filtered by review state, domain, campaign and words (the portal's one listing pattern)."""

    template_name = "jvap/upload/entries.html"
    filterset_class = PartnerEntryFilter
    paginate_by = 50
    context_object_name = "entries"

    def get_facets(self):
        return (
            Facet("state", "review_state", choices=lambda: JvapEntry.ReviewState.choices),
            domain_facet(),
            Facet("year", "campaign_year", option_label=year_label, newest_first=True),
        )

    def get_queryset(self):
        return (
            JvapEntry.objects.visible_to(self.request.user)
            .filter(partner__in=self.partners)
            .select_related("partner", "partner__organisation", "domain")
            .order_by("review_state", "partner__code", "reference", "pk")
        )


class ContributorsView(UploaderMixin, FormView):
    """A focal point invites and removes contributors of their own partner."""

    template_name = "jvap/upload/contributors.html"
    form_class = ContributorInviteForm

    def get_designating(self):
        partners = designating_partners(self.request.user).select_related("organisation")
        if not partners.exists():
            raise PermissionDenied(_("Only a partner's focal point may invite contributors."))
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
        contributor_invite(
            partner=form.cleaned_data["partner"],
            email=form.cleaned_data["email"],
            invited_by=self.request.user,
            base_url=self.request.build_absolute_uri("/"),
        )
        # The same words whatever happened: the answer must not tell whether the address has
        # an account (jvap.invitations).
        messages.success(
            self.request,
            _(
                "If this address can be invited, an invitation is on its way to it. A person "
                "who already has an account on the portal is not added: ask the secretariat."
            ),
        )
        return redirect("jvap:upload_contributors")


class ContributorWelcomeView(auth_views.PasswordResetConfirmView):
    """An invited contributor chooses a password from the mailed link; the account opens and
    they arrive on the upload page, logged in."""

    template_name = "jvap/upload/welcome.html"
    token_generator = invitation_tokens
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("jvap:upload")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None:
            return None
        # Only an invited contributor's account opens this way, never a deactivated one of
        # someone else.
        if not invitable_accounts().filter(pk=user.pk).exists():
            return None
        return user

    def form_valid(self, form):
        form.user.is_active = True
        return super().form_valid(form)


class ContributorRemoveView(UploaderMixin, TemplateView):
    """A focal point removes a contributor of their partner: the page asks first (a page, not
    a script, so it works under the Content-Security-Policy and without JavaScript), the form
    on it removes."""

    template_name = "jvap/upload/contributor_remove.html"

    def get_access(self) -> PartnerAccess:
        return get_object_or_404(
            PartnerAccess.objects.select_related("user", "partner", "partner__organisation"),
            pk=self.kwargs["pk"],
            role=PartnerAccess.Role.CONTRIBUTOR,
            partner__in=designating_partners(self.request.user),
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "access": self.get_access()}

    def post(self, request, pk):
        self.get_access().delete()
        messages.success(request, _("Contributor removed."))
        return redirect("jvap:upload_contributors")


class NotificationSettingsView(LoginRequiredMixin, UpdateView):
    """Anyone with an account turns the JVAP e-mails they receive on or off."""

    login_url = reverse_lazy("jvap:login")
    template_name = "jvap/upload/notifications.html"
    form_class = NotificationSettingsForm
    success_url = reverse_lazy("jvap:notifications")

    def get_object(self, queryset=None):
        return NotificationSettings.objects.get_or_create(user=self.request.user)[0]

    def form_valid(self, form):
        messages.success(self.request, _("Your e-mail settings are saved."))
        return super().form_valid(form)
