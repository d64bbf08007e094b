"""The secretariat's home in the admin: the apps grouped by task, and what is waiting.

The project is the only package that knows every app, so the grouping of the admin's models
into the secretariat's tasks lives here (ADMIN_GROUPS), with the "waiting" panel that combines
the JVAP queue, the campaign's progress and the latest changes.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jvap import queues as jvap_queues

# Each task, with the models it holds: "app_label" takes every model of the app,
# "app_label.model_name" one model. Models no group names come after the groups, in their app;
# the security logs come last.
ADMIN_GROUPS: list[tuple[str, str, list[str]]] = [
    (
        "governance",
        _("Dialogues and governance"),
        [
            "dialogues.dialogue",
            "dialogues.membership",
            "dialogues.steeringcommitteeseat",
            "dialogues.chairterm",
            "dialogues.organisation",
            "dialogues.focalpoint",
            "dialogues.strategicframework",
            "dialogues.frameworkelement",
            "dialogues.programmephase",
            "dialogues.domain",
            "dialogues.dialoguelink",
        ],
    ),
    (
        "meetings",
        _("Meetings and documents"),
        ["dialogues.meeting", "dialogues.meetingphoto", "dialogues.document"],
    ),
    (
        "jvap",
        _("JVAP database"),
        [
            "jvap.jvapentry",
            "jvap.entryupload",
            "jvap.datacollectioncampaign",
            "jvap.reportingpartner",
            "jvap.entrychange",
            "jvap.entrycountry",
            "jvap.entryorganisation",
            "jvap.publicfigures",
        ],
    ),
    ("grants", _("Grant Facility"), ["grants"]),
    (
        "people",
        _("People and access"),
        ["auth", "jvap.partneraccess", "jvap.notificationsettings"],
    ),
]
LAST_GROUP = ("security", _("Security logs"), ["axes"])


def _group_of(app_label: str, model_name: str) -> str | None:
    for key, _name, members in [*ADMIN_GROUPS, LAST_GROUP]:
        if app_label in members or f"{app_label}.{model_name}" in members:
            return key
    return None


class SecretariatAdminSite(admin.AdminSite):
    """The admin, named for the portal, with its index organised by the secretariat's tasks."""

    site_header = _("MMD Portal – Secretariat")
    site_title = _("MMD Portal administration")
    index_title = _("The secretariat's home")
    index_template = "admin/mmd_index.html"

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        apps = self._build_app_dict(request)
        groups = {
            key: {"name": str(name), "app_label": key, "app_url": "", "models": []}
            for key, name, _members in [*ADMIN_GROUPS, LAST_GROUP]
        }
        leftovers = {}
        for label, app in apps.items():
            for model in app["models"]:
                key = _group_of(label, model["object_name"].lower())
                if key is None:
                    leftovers.setdefault(label, {**app, "models": []})["models"].append(model)
                else:
                    groups[key]["models"].append(model)
        ordered = [groups[key] for key, _name, _members in ADMIN_GROUPS]
        ordered += sorted(leftovers.values(), key=lambda app: str(app["name"]).lower())
        ordered.append(groups[LAST_GROUP[0]])
        for group in ordered:
            if group["app_label"] in groups:
                group["models"].sort(key=lambda model: _model_position(group, model))
        return [group for group in ordered if group["models"]]

    def index(self, request, extra_context=None):
        context = {**(extra_context or {}), **waiting_context(request)}
        return super().index(request, extra_context=context)


def _model_position(group: dict, model: dict) -> int:
    """Models in the order their group lists them (an app named whole keeps its own order)."""
    members = next(
        (members for key, _n, members in [*ADMIN_GROUPS, LAST_GROUP] if key == group["app_label"]),
        [],
    )
    name = f"{model['model']._meta.app_label}.{model['object_name'].lower()}"
    return members.index(name) if name in members else len(members)


def waiting_context(request) -> dict:
    """The panel of what waits for the secretariat, for people who may act on it."""
    if not request.user.has_perm("jvap.publish_jvapentry"):
        return {"waiting": None}
    entries_url = reverse("admin:jvap_jvapentry_changelist")
    uploads_url = reverse("admin:jvap_entryupload_changelist")
    return {
        "waiting": {
            "submitted": jvap_queues.submitted_per_partner(),
            "entries_url": entries_url,
            "uploads": jvap_queues.uploads_needing_attention(),
            "uploads_url": uploads_url,
            "campaign": jvap_queues.campaign_completeness(),
            "latest_changes": LogEntry.objects.select_related("user", "content_type").order_by(
                "-action_time"
            )[:10],
            "saved_filters": saved_filters(),
        }
    }


def saved_filters() -> list[tuple[str, str]]:
    """Links to the admin lists of the common queues (their filters in the address)."""
    entries = reverse("admin:jvap_jvapentry_changelist")
    uploads = reverse("admin:jvap_entryupload_changelist")
    return [
        (_("Entries awaiting validation"), f"{entries}?review_state__exact=submitted"),
        (_("Entries returned to their partners"), f"{entries}?review_state__exact=returned"),
        (_("Uploads refused for errors"), f"{uploads}?state__exact=refused"),
        (_("Uploads previewed, not confirmed"), f"{uploads}?state__exact=previewed"),
        (
            _("Contributors of the partners"),
            reverse("admin:jvap_partneraccess_changelist") + "?role__exact=contributor",
        ),
    ]
