"""What in the JVAP database waits for the secretariat: submitted entries, uploads that failed
or were never confirmed, and how complete the current campaign is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import DataCollectionCampaign, EntryUpload, JvapEntry, ReportingPartner


def submitted_per_partner():
    """Partners with entries awaiting validation, with how many, most first."""
    return (
        ReportingPartner.objects.annotate(
            submitted=Count(
                "entries", filter=Q(entries__review_state=JvapEntry.ReviewState.SUBMITTED)
            )
        )
        .filter(submitted__gt=0)
        .select_related("organisation")
        .order_by("-submitted", "code")
    )


def uploads_needing_attention(limit: int = 10):
    """The latest uploads that were refused for errors or previewed and never confirmed."""
    return (
        EntryUpload.objects.filter(
            state__in=[EntryUpload.State.REFUSED, EntryUpload.State.PREVIEWED]
        )
        .select_related("partner", "partner__organisation", "uploaded_by")
        .order_by("-uploaded_at")[:limit]
    )


@dataclass(frozen=True)
class CampaignCompleteness:
    campaign: DataCollectionCampaign
    reported: int
    expected: int


def campaign_completeness() -> CampaignCompleteness | None:
    """The current campaign: partners that reported in it (a confirmed upload or entries of
    its year) out of all reporting partners."""
    campaign = DataCollectionCampaign.current()
    if campaign is None:
        return None
    reported = (
        ReportingPartner.objects.filter(
            Q(uploads__campaign=campaign, uploads__state=EntryUpload.State.CONFIRMED)
            | Q(entries__campaign_year=campaign.year)
        )
        .distinct()
        .count()
    )
    return CampaignCompleteness(
        campaign=campaign, reported=reported, expected=ReportingPartner.objects.count()
    )
