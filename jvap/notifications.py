"""E-mails of the JVAP database: the focal points and contributors of a partner hear when its
entries are validated or returned (with the comment), the secretariat when an upload is
confirmed, in one digest for all the uploads confirmed within `JVAP_DIGEST_DELAY_MINUTES`.
Each person can turn them off (NotificationSettings, the "E-mail notifications" page).

The services enqueue the background tasks below (django-tasks) after the commit
(transaction.on_commit), so no mail announces a change that was rolled back and no request
waits for the mail server. They live here rather than in jvap.tasks, which imports the services
that enqueue them.
"""

from __future__ import annotations

import datetime
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
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


def _secretariat():
    """Staff who validate entries (the permission to publish them), and superusers."""
    app_label, codename = SECRETARIAT_PERMISSION
    permission = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    return get_user_model().objects.filter(permission | Q(is_superuser=True), is_staff=True)


def _unannounced():
    """Confirmed uploads that submitted something for validation and no digest told of yet."""
    return EntryUpload.objects.filter(
        Q(new_count__gt=0) | Q(updated_count__gt=0),
        state=EntryUpload.State.CONFIRMED,
        publish=False,
        announced_at__isnull=True,
    )


def upload_digest_send() -> int:
    """One e-mail to each secretariat member listing every confirmed upload that no digest
    has told of yet, however many partners confirmed since the last one; returns how many
    e-mails were sent. Each upload is announced once: a digest claims its uploads with one
    UPDATE, so two digests running at once never list the same upload, and gives them back
    when the mail server fails, for the next digest."""
    claimed_at = timezone.now()
    if not _unannounced().update(announced_at=claimed_at):
        return 0
    claimed = EntryUpload.objects.filter(announced_at=claimed_at)
    uploads = list(
        claimed.select_related("partner", "partner__organisation", "uploaded_by").order_by(
            "partner__code", "confirmed_at", "pk"
        )
    )
    messages = _messages(
        "upload_digest",
        {
            "uploads": uploads,
            "waiting_link": _link(
                reverse("admin:jvap_jvapentry_changelist") + "?review_state__exact=submitted"
            ),
        },
        _receiving(_secretariat(), "upload_digests"),
    )
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        claimed.update(announced_at=None)
        raise


def upload_digest_schedule() -> None:
    """Ask for the next digest: `JVAP_DIGEST_DELAY_MINUTES` from now where the task backend
    can wait, so that the uploads confirmed meanwhile go out in the same e-mail (the digests
    asked for by those find nothing left to tell and send nothing); at once otherwise."""
    task = send_upload_digest
    delay = datetime.timedelta(minutes=settings.JVAP_DIGEST_DELAY_MINUTES)
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue()


@task()
def send_review_mails(*, entry_ids: list[int], action: str, comment: str = "") -> int:
    """Background task: tell the partners' people that entries were validated or returned."""
    return review_mails_send(entry_ids=entry_ids, action=action, comment=comment)


@task()
def send_upload_digest(*, upload_ids: list[int] | None = None) -> int:
    """Background task: tell the secretariat what the confirmed uploads not yet announced
    submitted for validation (`upload_ids`, from tasks queued before the digest, is not
    needed: every such upload is in it)."""
    return upload_digest_send()
