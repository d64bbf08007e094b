"""Admin of the dialogues: where the secretariat enters and curates the base records."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_imports import GuardedImportExportModelAdmin
from core.audit import AuditedAdmin

from . import resources
from .models import (
    ChairTerm,
    Dialogue,
    DialogueLink,
    Document,
    Domain,
    FocalPoint,
    FrameworkElement,
    Meeting,
    MeetingPhoto,
    Membership,
    Organisation,
    ProgrammePhase,
    SteeringCommitteeSeat,
    StrategicFramework,
)


class ParticipantKindFilter(admin.SimpleListFilter):
    """Memberships, seats and chair terms held by a state, or by an organisation."""

    title = _("held by")
    parameter_name = "held_by"

    def lookups(self, request, model_admin):
        return [("state", _("a state")), ("organisation", _("an organisation"))]

    def queryset(self, request, queryset):
        if self.value() == "state":
            return queryset.exclude(country="")
        if self.value() == "organisation":
            return queryset.filter(organisation__isnull=False)
        return queryset


class DatedParticipantInline(admin.TabularInline):
    autocomplete_fields = ["organisation"]
    extra = 0
    show_change_link = True


class MembershipInline(DatedParticipantInline):
    model = Membership
    fields = [
        "country", "organisation", "role", "start", "start_precision", "end", "end_precision",
        "note", "note_fr", "source_note",
    ]  # fmt: skip


class SteeringCommitteeSeatInline(DatedParticipantInline):
    model = SteeringCommitteeSeat
    fields = [
        "country", "organisation", "start", "start_precision", "end", "end_precision", "note",
        "note_fr", "source_note",
    ]  # fmt: skip


class ChairTermInline(DatedParticipantInline):
    model = ChairTerm
    fields = [
        "country", "organisation", "start", "start_precision", "end", "end_precision",
        "handover_meeting", "source_note",
    ]  # fmt: skip
    autocomplete_fields = ["organisation", "handover_meeting"]


class DialogueLinkInline(admin.TabularInline):
    model = DialogueLink
    extra = 0


@admin.register(Dialogue)
class DialogueAdmin(AuditedAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "is_mmd_component",
        "is_active",
        "year_established",
    ]
    list_filter = ["kind", "is_mmd_component", "is_active"]
    search_fields = ["name", "name_fr", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["predecessor"]
    inlines = [MembershipInline, SteeringCommitteeSeatInline, ChairTermInline, DialogueLinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_fr",
                    "short_name",
                    "short_name_fr",
                    "slug",
                    "kind",
                    "is_mmd_component",
                ]
            },
        ),
        (
            _("History"),
            {
                "fields": [
                    "year_established",
                    "founding_event",
                    "founding_event_fr",
                    "is_active",
                    "concluded_year",
                    "predecessor",
                ]
            },
        ),
        (
            _("Who takes part"),
            {
                "fields": [
                    "participants_description",
                    "participants_description_fr",
                    ("records_as_of", "records_as_of_precision"),
                ]
            },
        ),
        (
            _("What it is"),
            {
                "fields": [
                    "summary",
                    "summary_fr",
                    "description",
                    "description_fr",
                    "objectives",
                    "objectives_fr",
                    "principles",
                    "principles_fr",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_email", "website", "logo"]}),
        (_("Display"), {"fields": ["display_order", "source_note"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin, GuardedImportExportModelAdmin):
    resource_classes = [resources.OrganisationResource]
    list_display = ["name", "acronym", "acronym_fr", "type", "country", "website"]
    list_filter = ["type", ("country", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_fr", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, GuardedImportExportModelAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["participant_name", "dialogue", "role", "start", "end", "note"]
    list_filter = ["dialogue", "role", ParticipantKindFilter]
    search_fields = ["country", "organisation__name", "organisation__acronym", "note"]
    autocomplete_fields = ["dialogue", "organisation"]
    list_select_related = ["dialogue", "organisation"]
    date_hierarchy = "start"


@admin.register(SteeringCommitteeSeat)
class SteeringCommitteeSeatAdmin(AuditedAdmin):
    list_display = ["participant_name", "dialogue", "start", "end", "note"]
    list_filter = ["dialogue", ParticipantKindFilter]
    search_fields = ["country", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["dialogue", "organisation"]
    list_select_related = ["dialogue", "organisation"]


@admin.register(ChairTerm)
class ChairTermAdmin(AuditedAdmin):
    list_display = ["participant_name", "dialogue", "start", "start_precision", "end"]
    list_filter = ["dialogue", ParticipantKindFilter]
    search_fields = ["country", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["dialogue", "organisation", "handover_meeting"]
    list_select_related = ["dialogue", "organisation"]
    date_hierarchy = "start"


@admin.register(FocalPoint)
class FocalPointAdmin(AuditedAdmin, GuardedImportExportModelAdmin):
    resource_classes = [resources.FocalPointResource]
    list_display = ["name", "kind", "country", "organisation", "institution", "email"]
    list_filter = ["kind", "dialogues", "country"]
    search_fields = ["name", "institution", "email", "function"]
    autocomplete_fields = ["organisation", "dialogues", "user"]
    list_select_related = ["organisation"]


class MeetingPhotoInline(admin.TabularInline):
    model = MeetingPhoto
    extra = 0
    fields = ["image", "alt_text", "caption", "credit", "display_order"]


class MeetingDocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "kind", "language", "date", "file", "url"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin, GuardedImportExportModelAdmin):
    resource_classes = [resources.MeetingResource]
    list_display = [
        "title",
        "type",
        "start_date",
        "start_date_precision",
        "city",
        "country",
        "status",
    ]
    list_filter = ["type", "status", "dialogues", "is_online", "start_date"]
    search_fields = ["title", "title_fr", "city", "city_fr", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["dialogues", "thematic_areas"]
    date_hierarchy = "start_date"
    inlines = [MeetingDocumentInline, MeetingPhotoInline]


@admin.register(MeetingPhoto)
class MeetingPhotoAdmin(AuditedAdmin):
    list_display = ["__str__", "meeting", "credit"]
    list_filter = ["meeting__dialogues"]
    search_fields = ["alt_text", "caption", "meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["title", "kind", "language", "date", "meeting"]
    list_filter = ["kind", "language", "dialogues", "date"]
    search_fields = ["title", "title_fr", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["dialogues", "meeting"]
    list_select_related = ["meeting"]
    date_hierarchy = "date"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The form writes the dialogues after the document's save(): apply the rule again.
        form.instance.take_meeting_dialogues()


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_fr"]
    search_fields = ["name", "name_fr"]


class FrameworkElementInline(admin.TabularInline):
    model = FrameworkElement
    extra = 0
    fields = ["level", "number", "title", "title_fr", "parent", "domain"]
    autocomplete_fields = ["parent", "domain"]


@admin.register(StrategicFramework)
class StrategicFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "dialogue", "kind", "adopted_on", "is_current"]
    list_filter = ["dialogue", "kind", "is_current"]
    search_fields = ["name", "name_fr"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["dialogue", "document"]
    inlines = [FrameworkElementInline]


@admin.register(FrameworkElement)
class FrameworkElementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "level", "framework", "domain"]
    list_filter = ["framework", "level", "domain"]
    search_fields = ["title", "title_fr", "number"]
    autocomplete_fields = ["framework", "parent", "domain"]
    list_select_related = ["framework", "domain"]


@admin.register(ProgrammePhase)
class ProgrammePhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "budget_eur", "eu_contribution_eur", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name", "name_fr"]
    autocomplete_fields = ["donor", "implementing_organisation"]


@admin.register(DialogueLink)
class DialogueLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "dialogue", "url"]
    list_filter = ["dialogue"]
    search_fields = ["label", "url", "dialogue__name"]
    autocomplete_fields = ["dialogue"]
    list_select_related = ["dialogue"]
