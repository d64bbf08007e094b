"""Contributors by invitation: a focal point invites a colleague by e-mail address, the portal
creates an inactive account bound to that partner and mails a link to choose a password.

The answer to the focal point never depends on whether the address is known (no account
enumeration), and an existing account is never attached: staff, superusers and other partners'
people keep what they have. Only an account that is already this partner's contributor is
invited again (a new link, e.g. when the first one expired).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from .models import PartnerAccess, ReportingPartner


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of invitation links: like password-reset tokens (void once a password is set)
    but valid for JVAP_INVITATION_DAYS rather than the three hours of a reset link."""

    key_salt = "jvap.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.JVAP_INVITATION_DAYS * 24 * 60 * 60


invitation_tokens = InvitationTokenGenerator()


def invitable_accounts(partner: ReportingPartner | None = None):
    """Accounts an invitation may (re)send a link to: contributors (of `partner`, when given)
    who are neither staff nor superusers."""
    accesses = PartnerAccess.objects.filter(role=PartnerAccess.Role.CONTRIBUTOR)
    if partner is not None:
        accesses = accesses.filter(partner=partner)
    return get_user_model().objects.filter(
        is_staff=False, is_superuser=False, pk__in=accesses.values("user")
    )


def _free_username(email: str) -> str:
    """A username from the address's local part, made unique with a number."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "contributor"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def contributor_invite(*, partner: ReportingPartner, email: str, invited_by, base_url: str) -> None:
    """Invite `email` as a contributor of `partner`; returns nothing on purpose.

    Unknown address: a new inactive account with an unusable password and a contributor access
    to `partner`. This partner's contributor: a new link. Any other existing account: nothing
    happens (the focal point is told the same as in the other cases). `base_url` is the
    portal's address (scheme and host) for the link in the e-mail.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email)
        if not existing.exists():
            user = User.objects.create_user(
                username=_free_username(email), email=email, is_active=False
            )
            PartnerAccess.objects.create(
                user=user,
                partner=partner,
                role=PartnerAccess.Role.CONTRIBUTOR,
                designated_by=invited_by,
            )
        else:
            user = invitable_accounts(partner).filter(pk__in=existing).first()
            if user is None:
                return
        transaction.on_commit(
            lambda: _send_invitation(user=user, partner=partner, base_url=base_url)
        )


def _send_invitation(*, user, partner: ReportingPartner, base_url: str) -> None:
    path = reverse(
        "jvap:contributor_welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    context = {
        "user": user,
        "partner": partner,
        "link": base_url.rstrip("/") + path,
        "days": settings.JVAP_INVITATION_DAYS,
    }
    subject = render_to_string("jvap/email/invitation_subject.txt", context).strip()
    body = render_to_string("jvap/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
