"""Admin of the Grant Facility: calls with their documents, grants with their consortium,
countries and outputs, and the grants spreadsheet import and export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.audit import AuditedAdmin
from core.spreadsheet import escape_formula
from dialogues.models import Organisation

from . import services, spreadsheet
from .models import (
    APPLICANT_TYPES,
    Call,
    CallDocument,
    ConsortiumMember,
    Grant,
    GrantCountry,
    Output,
)


class CallForm(forms.ModelForm):
    applicant_types = forms.MultipleChoiceField(
        label=_("Eligible applicant types"),
        choices=APPLICANT_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of organisation that may apply."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "title_fr",
            "reference",
            "slug",
            "summary",
            "summary_fr",
            "is_published",
            "budget_eur",
            "grant_min_eur",
            "grant_max_eur",
            "expected_grants_min",
            "expected_grants_max",
            "priorities",
            "priorities_fr",
            "applicant_types",
            "max_countries",
            "min_au_member_states",
            "max_co_applicants",
            "duration_months_min",
            "duration_months_max",
            "eligibility_notes",
            "eligibility_notes_fr",
            "opens_on",
            "concept_note_deadline",
            "full_application_deadline",
            "awarded_on",
            "status_override",
            "source_note",
        ]


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0
    fields = ["title", "title_fr", "kind", "file", "url", "display_order"]


@admin.register(Call)
class CallAdmin(AuditedAdmin):
    form = CallForm
    list_display = [
        "title",
        "reference",
        "status_label",
        "opens_on",
        "concept_note_deadline",
        "full_application_deadline",
        "is_published",
    ]
    list_filter = ["is_published", "status_override"]
    search_fields = ["title", "title_fr", "reference"]
    prepopulated_fields = {"slug": ["reference"]}
    inlines = [CallDocumentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_fr",
                    "reference",
                    "slug",
                    "summary",
                    "summary_fr",
                    "is_published",
                ]
            },
        ),
        (
            _("Money"),
            {
                "fields": [
                    "budget_eur",
                    "grant_min_eur",
                    "grant_max_eur",
                    "expected_grants_min",
                    "expected_grants_max",
                ]
            },
        ),
        (_("Lots and priorities"), {"fields": ["priorities", "priorities_fr"]}),
        (
            _("Eligibility"),
            {
                "fields": [
                    "applicant_types",
                    "max_countries",
                    "min_au_member_states",
                    "max_co_applicants",
                    "duration_months_min",
                    "duration_months_max",
                    "eligibility_notes",
                    "eligibility_notes_fr",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "opens_on",
                    "concept_note_deadline",
                    "full_application_deadline",
                    "awarded_on",
                    "status_override",
                ],
                "description": _(
                    "The status follows from these dates: forthcoming before the opening date, "
                    "open until the last deadline, closed after it, awarded from the announcement."
                ),
            },
        ),
        (None, {"fields": ["source_note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description=_("status"), ordering="derived_status")
    def status_label(self, call):
        return call.status_label


class ConsortiumFormSet(forms.BaseInlineFormSet):
    """One lead applicant per consortium, checked across the rows before anything is saved."""

    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == ConsortiumMember.Role.LEAD
        ]
        if len(leads) > 1:
            raise forms.ValidationError(
                _("A consortium has one lead applicant; %(count)s are marked.")
                % {"count": len(leads)}
            )
        if (
            not leads
            and self.instance.is_published
            and any(
                form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.forms
            )
        ):
            raise forms.ValidationError(_("Mark the lead applicant of this published grant."))


class ConsortiumMemberInline(admin.TabularInline):
    model = ConsortiumMember
    formset = ConsortiumFormSet
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role"]
    verbose_name = _("consortium member")


class GrantCountryInline(admin.TabularInline):
    model = GrantCountry
    extra = 0


class OutputInline(admin.StackedInline):
    model = Output
    extra = 0
    fields = [("title", "title_fr"), ("kind", "date"), ("file", "url")]


class CountryOfImplementationFilter(admin.SimpleListFilter):
    title = _("country of implementation")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = GrantCountry.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(GrantCountry.objects.filter(grant=OuterRef("pk"), country=self.value()))
            )
        return queryset


class OrganisationTypeFilter(admin.SimpleListFilter):
    title = _("organisation type in the consortium")
    parameter_name = "organisation_type"

    def lookups(self, request, model_admin):
        return Organisation.Type.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(
                    ConsortiumMember.objects.filter(
                        grant=OuterRef("pk"), organisation__type=self.value()
                    )
                )
            )
        return queryset


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Grants spreadsheet"),
        help_text=_("An .xlsx or .csv file laid out as described below."),
    )


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    list_display = [
        "reference",
        "title",
        "call",
        "status",
        "amount_eur",
        "start",
        "end",
        "is_published",
    ]
    list_filter = [
        "call",
        "status",
        "is_published",
        CountryOfImplementationFilter,
        "dialogues",
        OrganisationTypeFilter,
    ]
    search_fields = [
        "reference",
        "title",
        "title_fr",
        "summary",
        "consortium__organisation__name",
        "consortium__organisation__acronym",
    ]
    autocomplete_fields = ["call", "dialogues", "domains"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["call"]
    date_hierarchy = "start"
    inlines = [ConsortiumMemberInline, GrantCountryInline, OutputInline]
    actions = ["export_spreadsheet"]
    change_list_template = "grants/admin/grant_change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "title",
                    "title_fr",
                    "slug",
                    "call",
                    "status",
                    "is_published",
                ]
            },
        ),
        (
            _("Description"),
            {"fields": ["summary", "summary_fr", "website", "cover_image", "cover_image_alt"]},
        ),
        (_("Money and dates"), {"fields": ["amount_eur", "co_financing_eur", "start", "end"]}),
        (_("Links"), {"fields": ["dialogues", "domains"]}),
        (None, {"fields": ["source_note"]}),
    ]

    def get_urls(self):
        return [
            path(
                "import-spreadsheet/",
                self.admin_site.admin_view(self.import_spreadsheet_view),
                name="grants_grant_import_spreadsheet",
            ),
            *super().get_urls(),
        ]

    def import_spreadsheet_view(self, request):
        """Upload a grants spreadsheet; all rows are imported, or none with the reasons."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        problems: list[str] = []
        if request.method == "POST":
            form = SpreadsheetUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    summary = services.grants_import_spreadsheet(
                        upload=upload, filename=upload.name
                    )
                except spreadsheet.SpreadsheetRefused as refusal:
                    problems = refusal.messages
                else:
                    self.message_user(
                        request,
                        _(
                            "Imported: %(created)s grants created, %(updated)s updated, "
                            "%(organisations)s organisations created, "
                            "%(members)s consortium members."
                        )
                        % {
                            "created": summary.grants_created,
                            "updated": summary.grants_updated,
                            "organisations": summary.organisations_created,
                            "members": summary.members,
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:grants_grant_changelist")
        else:
            form = SpreadsheetUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a grants spreadsheet"),
            "form": form,
            "problems": problems,
            "columns": spreadsheet.COLUMNS,
            "organisation_types": Organisation.Type.choices,
        }
        return TemplateResponse(request, "grants/admin/import_spreadsheet.html", context)

    @admin.action(description=_("Download the selected grants as a spreadsheet"))
    def export_spreadsheet(self, request, queryset):
        from openpyxl import Workbook

        grants = queryset.for_listing()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("grants")
        for row in spreadsheet.sheet_rows(grants):
            # The portal's one defence: a cell a spreadsheet would run as a formula is quoted
            # (and the import removes the quote again).
            sheet.append([escape_formula(value) for value in row])
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        workbook.save(response)
        response["Content-Disposition"] = (
            f'attachment; filename="grants-{timezone.localdate():%Y-%m-%d}.xlsx"'
        )
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:grants_grant_import_spreadsheet"),
        }
        return super().changelist_view(request, extra_context)


@admin.register(ConsortiumMember)
class ConsortiumMemberAdmin(AuditedAdmin):
    list_display = ["organisation", "grant", "role"]
    list_filter = ["role", "organisation__type", "grant__call"]
    search_fields = [
        "organisation__name",
        "organisation__acronym",
        "grant__reference",
        "grant__title",
    ]
    autocomplete_fields = ["organisation", "grant"]
    list_select_related = ["organisation", "grant"]


@admin.register(Output)
class OutputAdmin(AuditedAdmin):
    list_display = ["title", "kind", "date", "grant"]
    list_filter = ["kind"]
    search_fields = ["title", "title_fr", "grant__reference", "grant__title"]
    autocomplete_fields = ["grant"]
    list_select_related = ["grant"]


@admin.register(CallDocument)
class CallDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "call"]
    list_filter = ["kind", "call"]
    search_fields = ["title", "title_fr", "call__reference"]
    autocomplete_fields = ["call"]


@admin.register(GrantCountry)
class GrantCountryAdmin(admin.ModelAdmin):
    list_display = ["country", "grant"]
    list_filter = ["country"]
    search_fields = ["grant__reference", "grant__title", "country"]
    autocomplete_fields = ["grant"]
    list_select_related = ["grant"]
