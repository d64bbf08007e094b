"""The audit trail: who changed what and when, readable in the admin, deletions recoverable.

Every audited model declares ``history = HistoricalRecords()`` (django-simple-history); the
HistoryRequestMiddleware (settings) records the logged-in user of each change. Its admin uses
`AuditedAdmin`, which adds the "History" page of each record (every version, who, when, what
changed, and a "Revert" button) and a "Deleted records" page from which a deleted record is
brought back with its old id.

Bulk writes skip ``save()`` and so skip the history. Code that writes many rows at once (the
JVAP importer, a data migration) must use the helpers of django-simple-history instead::

    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    bulk_create_with_history(entries, JvapEntry, batch_size=500, default_user=request.user,
                             default_change_reason="JVAP upload 2026-11")
    bulk_update_with_history(entries, JvapEntry, ["status"], batch_size=500,
                             default_user=request.user)

and ``queryset.delete()`` of audited rows is replaced by deleting them one by one (each
``delete()`` records a deletion) or by writing the "-" history rows with
``Model.history.bulk_history_create(rows, update=False)`` before the delete. Inside one
transaction both the rows and their history are written, or neither.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

CHANGE_REASON_FIELD = "change_reason"


def change_reason_formfield() -> forms.CharField:
    """The optional "reason" of a change form."""
    return forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=500,
        help_text=_(
            "Optional: why the record is changed (a decision, a correction, a source). "
            "Shown in the record's history."
        ),
    )


class AuditedAdmin(SimpleHistoryAdmin):
    """ModelAdmin base for audited models: history pages and a "Deleted records" page.

    Combine it with other admin mixins by listing it first, e.g.
    ``class OrganisationAdmin(AuditedAdmin, ImportExportModelAdmin)``: the change list keeps the
    other mixin's buttons (import, export) and gains a "Deleted records" link.
    """

    deleted_records_template = "core/admin/deleted_records.html"
    change_list_with_deleted_template = "core/admin/change_list_with_deleted.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every change form offers an optional reason, kept in the history as its change reason
        # (django-simple-history's `_change_reason`); added to whatever form the admin uses.
        self.form = type(
            self.form.__name__, (self.form,), {CHANGE_REASON_FIELD: change_reason_formfield()}
        )
        # Other mixins (import/export) pick their change list template in __init__: extend it.
        self.audited_base_change_list = self.change_list_template or "admin/change_list.html"
        self.change_list_template = self.change_list_with_deleted_template

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if CHANGE_REASON_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (_("Why"), {"fields": [CHANGE_REASON_FIELD]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get(CHANGE_REASON_FIELD) or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """The rows edited in the inlines carry the reason given for the whole form."""
        reason = form.cleaned_data.get(CHANGE_REASON_FIELD) or None
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "audited_base_change_list": self.audited_base_change_list,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def deleted_records_view(self, request):
        """The records of this model that were deleted, newest first, each with its last state."""
        if not (self.has_view_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        history = self.model.history
        pk_name = self.model._meta.pk.attname
        existing = self.model._default_manager.values(pk_name)
        deletions = (
            history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": existing})
            .select_related("history_user")
            .order_by("-history_date")
        )
        page = Paginator(deletions, 50).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "page_obj": page,
        }
        return TemplateResponse(request, self.deleted_records_template, context)
