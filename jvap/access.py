"""Who may do what with JVAP entries: the rules the upload pages and the admin share."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PartnerAccess, ReportingPartner


def can_publish(user) -> bool:
    """Secretariat staff validate, publish and return entries; focal points never do."""
    return user.is_authenticated and user.has_perm("jvap.publish_jvapentry")


def can_upload_for_any_partner(user) -> bool:
    return user.is_authenticated and user.has_perm("jvap.upload_for_any_partner")


def uploadable_partners(user) -> QuerySet[ReportingPartner]:
    """The partners a person may upload for: all for the secretariat, else their own."""
    if not user.is_authenticated:
        return ReportingPartner.objects.none()
    if can_upload_for_any_partner(user):
        return ReportingPartner.objects.all()
    return ReportingPartner.objects.filter(accesses__user=user).distinct()


def designating_partners(user) -> QuerySet[ReportingPartner]:
    """The partners for which a person may designate contributors: those they are focal
    point of (contributors designate nobody)."""
    if not user.is_authenticated:
        return ReportingPartner.objects.none()
    if can_upload_for_any_partner(user):
        return ReportingPartner.objects.all()
    return ReportingPartner.objects.filter(
        accesses__user=user, accesses__role=PartnerAccess.Role.FOCAL_POINT
    ).distinct()
