"""Admin of the JVAP database: the secretariat validates entries and follows campaigns here;
focal points look at their own partner's entries and uploads, and nothing else."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text import matches, words_of

from . import services
from .access import can_publish, can_upload_for_any_partner
from .models import (
    DataCollectionCampaign,
    EntryChange,
    EntryCountry,
    EntryOrganisation,
    EntryUpload,
    JvapEntry,
    NotificationSettings,
    PartnerAccess,
    ReportingPartner,
)


class PartnerScopedAdminMixin:
    """Narrows every list and object to the user's partners unless they upload for all."""

    partner_path = "partner"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or can_upload_for_any_partner(request.user):
            return queryset
        return queryset.filter(**{f"{self.partner_path}__accesses__user": request.user}).distinct()


class EntryCountryInline(admin.TabularInline):
    model = EntryCountry
    extra = 0


class EntryOrganisationInline(admin.TabularInline):
    model = EntryOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class EntryChangeInline(admin.TabularInline):
    """The entry's history, newest first, read-only."""

    model = EntryChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "action", "changed_by", "upload", "changes", "comment"]
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReturnCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the focal point"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what must be corrected; the focal point sees this comment."),
    )


@admin.register(JvapEntry)
class JvapEntryAdmin(PartnerScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "partner",
        "domain",
        "type",
        "status",
        "dialogue",
        "budget_eur",
        "campaign_year",
        "review_state",
    ]
    list_filter = [
        "campaign_year",
        "review_state",
        ("partner", admin.RelatedOnlyFieldListFilter),
        "domain",
        "type",
        "status",
        "dialogue",
    ]
    search_fields = ["reference", "title", "description", "organisations__name"]
    list_select_related = ["partner", "partner__organisation", "domain"]
    filter_horizontal = ["secondary_domains"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["review_state", "reviewed_by", "reviewed_at", "created_at", "updated_at"]
    inlines = [EntryCountryInline, EntryOrganisationInline, EntryChangeInline]
    actions = ["publish_entries", "return_entries"]
    fieldsets = [
        (None, {"fields": ["partner", "reference", "title", "type", "campaign_year"]}),
        (_("Domains"), {"fields": ["domain", "secondary_domains"]}),
        (
            _("Details"),
            {
                "fields": [
                    "budget_eur",
                    "start_date",
                    "end_date",
                    "status",
                    "dialogue",
                    "description",
                    "website",
                ]
            },
        ),
        (
            _("Review"),
            {
                "fields": [
                    "review_state",
                    "review_comment",
                    "reviewed_by",
                    "reviewed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def view_on_site(self, entry):
        """Only published entries have a public page."""
        if not entry.is_published:
            return None
        try:
            return entry.get_absolute_url()
        except NoReverseMatch:  # the public database is not installed
            return None

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("publish_entries", None)
            actions.pop("return_entries", None)
        return actions

    def save_related(self, request, form, formsets, change):
        before = getattr(form.instance, "_snapshot_before", None)
        super().save_related(request, form, formsets, change)
        services.record_admin_edit(entry=form.instance, before=before, user=request.user)

    def save_model(self, request, obj, form, change):
        if change:
            # The snapshot before the edit is taken from the database, not the edited form.
            obj._snapshot_before = services.entry_snapshot(JvapEntry.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Validate and publish the selected entries"))
    def publish_entries(self, request, queryset):
        count = services.entries_review(
            entries=queryset, user=request.user, action=EntryChange.Action.PUBLISHED
        )
        self.message_user(
            request,
            ngettext("%(count)d entry published.", "%(count)d entries published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Return the selected entries with a comment"))
    def return_entries(self, request, queryset):
        if "apply" in request.POST:
            form = ReturnCommentForm(request.POST)
            if form.is_valid():
                count = services.entries_review(
                    entries=queryset,
                    user=request.user,
                    action=EntryChange.Action.RETURNED,
                    comment=form.cleaned_data["comment"],
                )
                self.message_user(
                    request,
                    ngettext("%(count)d entry returned.", "%(count)d entries returned.", count)
                    % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.get_full_path())
        else:
            form = ReturnCommentForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return entries with a comment"),
            "entries": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/jvap/return_entries.html", context)


@admin.register(EntryCountry)
class EntryCountryAdmin(PartnerScopedAdminMixin, admin.ModelAdmin):
    """Countries of implementation, one row per entry and country (edited on the entry)."""

    partner_path = "entry__partner"
    list_display = ["country", "entry"]
    list_filter = ["country"]
    search_fields = ["entry__reference", "entry__title"]
    list_select_related = ["entry"]
    raw_id_fields = ["entry"]


@admin.register(EntryOrganisation)
class EntryOrganisationAdmin(PartnerScopedAdminMixin, admin.ModelAdmin):
    """Implementing organisations and donors as partners named them; link a name to a portal
    organisation here when it was not recognised."""

    partner_path = "entry__partner"
    list_display = ["name", "role", "organisation", "entry"]
    list_filter = ["role"]
    search_fields = ["name", "entry__reference", "entry__title"]
    list_select_related = ["entry", "organisation"]
    raw_id_fields = ["entry"]
    autocomplete_fields = ["organisation"]


@admin.register(EntryUpload)
class EntryUploadAdmin(PartnerScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "original_name",
        "partner",
        "campaign",
        "uploaded_by",
        "uploaded_at",
        "state",
        "new_count",
        "updated_count",
        "unchanged_count",
        "error_count",
    ]
    list_filter = ["campaign", "state", ("partner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["original_name", "partner__code"]
    list_select_related = ["partner", "partner__organisation", "campaign", "uploaded_by"]
    date_hierarchy = "uploaded_at"
    exclude = ["file"]
    readonly_fields = ["file_link"]

    @admin.display(description=_("file"))
    def file_link(self, upload):
        url = reverse("jvap:upload_file", kwargs={"pk": upload.pk})
        return format_html('<a href="{}">{}</a>', url, upload.original_name)

    def has_add_permission(self, request):
        return False  # uploads come through the upload pages or the import_jvap command

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataCollectionCampaign)
class DataCollectionCampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on"]
    search_fields = ["year"]
    change_form_template = "admin/jvap/datacollectioncampaign/change_form.html"
    change_list_template = "admin/jvap/datacollectioncampaign/change_list.html"

    def changelist_view(self, request, extra_context=None):
        campaign = DataCollectionCampaign.current()
        extra_context = {**(extra_context or {}), **campaign_overview_context(campaign)}
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        campaign = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **campaign_overview_context(campaign)}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


def campaign_overview_context(campaign: DataCollectionCampaign | None) -> dict:
    """Which partners submitted in the campaign, how many entries each, what awaits validation."""
    if campaign is None:
        return {"overview_campaign": None, "overview_rows": []}
    rows = (
        ReportingPartner.objects.annotate(
            uploads_confirmed=Count(
                "uploads",
                filter=Q(uploads__campaign=campaign, uploads__state=EntryUpload.State.CONFIRMED),
                distinct=True,
            ),
            entries_reported=Count(
                "entries", filter=Q(entries__campaign_year=campaign.year), distinct=True
            ),
            entries_awaiting=Count(
                "entries",
                filter=Q(
                    entries__campaign_year=campaign.year,
                    entries__review_state=JvapEntry.ReviewState.SUBMITTED,
                ),
                distinct=True,
            ),
            entries_returned=Count(
                "entries",
                filter=Q(
                    entries__campaign_year=campaign.year,
                    entries__review_state=JvapEntry.ReviewState.RETURNED,
                ),
                distinct=True,
            ),
        )
        .filter(Q(uploads_confirmed__gt=0) | Q(entries_reported__gt=0) | Q(accesses__isnull=False))
        .select_related("organisation")
        .distinct()
        .order_by("code")
    )
    return {"overview_campaign": campaign, "overview_rows": rows}


def country_codes_named(term: str) -> list[str]:
    """ISO codes of the countries whose English or French name contains the search term
    ("senegal", "Sénégal", "cote d'ivoire"): partners store the code, people type the name."""
    from django.utils import translation
    from django_countries import countries

    words = words_of(term)
    if not words:
        return []
    names: dict[str, list[str]] = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, []).append(str(name))
    return [code for code, both in names.items() if matches(words, *both)]


@admin.register(ReportingPartner)
class ReportingPartnerAdmin(admin.ModelAdmin):
    """Searchable by code, by the organisation's name in both languages and acronym, and by the
    country's name in English or French."""

    list_display = ["code", "participant_name", "country", "organisation"]
    search_fields = ["code", "organisation__name", "organisation__name_fr", "organisation__acronym"]
    autocomplete_fields = ["organisation"]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        codes = country_codes_named(search_term)
        if codes:
            results = results | queryset.filter(country__in=codes)
        return results, may_have_duplicates


@admin.register(PartnerAccess)
class PartnerAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "role", "designated_by", "created_at"]
    list_filter = ["role", ("partner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "partner__code"]
    autocomplete_fields = ["partner", "user", "designated_by"]


@admin.register(EntryChange)
class EntryChangeAdmin(PartnerScopedAdminMixin, admin.ModelAdmin):
    """The history of every entry, for staff to read; it is never edited."""

    partner_path = "entry__partner"
    list_display = ["changed_at", "entry", "action", "changed_by", "upload"]
    list_filter = ["action"]
    search_fields = ["entry__reference", "entry__title"]
    list_select_related = ["entry", "changed_by", "upload"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "review_mails", "upload_digests"]
    list_filter = ["review_mails", "upload_digests"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
