"""E-mails of the JVAP database: the focal points and contributors of a partner hear when its
entries are validated or returned (with the comment), the secretariat when an upload is
confirmed. Each person can turn them off (NotificationSettings, the "E-mail notifications"
page).

The services enqueue the background tasks below (django-tasks) after the commit
(transaction.on_commit), so no mail announces a change that was rolled back and no request
waits for the mail server. They live here rather than in jvap.tasks, which imports the services
that enqueue them.
"""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import EntryChange, EntryUpload, JvapEntry, PartnerAccess

SECRETARIAT_PERMISSION = ("jvap", "publish_jvapentry")


def _receiving(users, setting: str):
    """The users of `users` with an address and the given notification left on."""
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(**{f"jvap_notification_settings__{setting}": False})
        .distinct()
        .order_by("pk")
    )


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _messages(template: str, context: dict, recipients) -> list[EmailMessage]:
    """One message per person (never a list of everyone's addresses in To)."""
    context = {**context, "settings_link": _link(reverse("jvap:notifications"))}
    subject = render_to_string(f"jvap/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"jvap/email/{template}.txt", context)
    return [EmailMessage(subject, body, None, [user.email]) for user in recipients]


def review_mails_send(*, entry_ids: list[int], action: str, comment: str = "") -> int:
    """Tell each partner's people which of its entries were validated or returned; returns
    how many e-mails were sent."""
    entries = (
        JvapEntry.objects.filter(pk__in=entry_ids)
        .select_related("partner", "partner__organisation")
        .order_by("partner__code", "reference")
    )
    messages = []
    for partner, partner_entries in groupby(entries, key=lambda entry: entry.partner):
        people = get_user_model().objects.filter(
            pk__in=PartnerAccess.objects.filter(partner=partner).values("user")
        )
        messages += _messages(
            "review",
            {
                "partner": partner,
                "entries": list(partner_entries),
                "returned": action == EntryChange.Action.RETURNED,
                "comment": comment,
                "entries_link": _link(reverse("jvap:upload_entries")),
            },
            _receiving(people, "review_mails"),
        )
    return get_connection().send_messages(messages) or 0


def upload_digest_send(*, upload_ids: list[int]) -> int:
    """One e-mail to each secretariat member summing up the confirmed uploads."""
    uploads = list(
        EntryUpload.objects.filter(pk__in=upload_ids, state=EntryUpload.State.CONFIRMED)
        .select_related("partner", "partner__organisation", "uploaded_by")
        .order_by("partner__code", "confirmed_at")
    )
    if not uploads:
        return 0
    app_label, codename = SECRETARIAT_PERMISSION
    permission = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    secretariat = get_user_model().objects.filter(permission | Q(is_superuser=True), is_staff=True)
    messages = _messages(
        "upload_digest",
        {
            "uploads": uploads,
            "waiting_link": _link(
                reverse("admin:jvap_jvapentry_changelist") + "?review_state__exact=submitted"
            ),
        },
        _receiving(secretariat, "upload_digests"),
    )
    return get_connection().send_messages(messages) or 0


@task()
def send_review_mails(*, entry_ids: list[int], action: str, comment: str = "") -> int:
    """Background task: tell the partners' people that entries were validated or returned."""
    return review_mails_send(entry_ids=entry_ids, action=action, comment=comment)


@task()
def send_upload_digest(*, upload_ids: list[int]) -> int:
    """Background task: tell the secretariat what confirmed uploads submitted for validation."""
    return upload_digest_send(upload_ids=upload_ids)
