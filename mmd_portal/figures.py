"""The key figures of the home page, computed live from the data.

Each figure provider is one function that returns a list of `Figure`s (or an empty list when
it has nothing to show yet); the home page shows the providers of `FIGURES` in order. The
JVAP and grants figures are added at merge time as one function and one list entry each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from dialogues.models import Dialogue, Document, Meeting, Membership, in_force
from grants.figures import facility_counts
from jvap.figures import jvap_figures


@dataclass(frozen=True)
class Figure:
    """One number with what it counts, and where to see the rows behind it."""

    value: int | float
    label: str
    url: str = ""
    group: str = ""


def member_states_and_dialogues() -> list[Figure]:
    """States taking part, as members, in at least one MMD dialogue today, and the MMD
    dialogues and components: one aggregate over the components and their memberships."""
    is_member_state_today = (
        Q(memberships__role=Membership.Role.MEMBER)
        & in_force(prefix="memberships__")
        & Q(memberships__country__gt="")  # a state, not an organisation
    )
    counts = (
        Dialogue.objects.filter(is_mmd_component=True)
        .order_by()
        .aggregate(
            states=Count("memberships__country", filter=is_member_state_today, distinct=True),
            dialogues=Count("pk", distinct=True),
        )
    )
    states, dialogues = counts["states"], counts["dialogues"]
    return [
        Figure(
            states, ngettext_lazy("member state", "member states", states), reverse("countries")
        ),
        Figure(
            dialogues,
            ngettext_lazy("dialogue or component", "dialogues and components", dialogues),
            reverse("dialogues:dialogue_list"),
        ),
    ]


# The main meeting types, with their labels after a count (the choices' labels are singular).
# Written out in full, so that the catalogue extracts them (ngettext of variables is never
# translated).
MEETING_TYPES_ON_HOME = {
    Meeting.Type.MINISTERIAL_CONFERENCE: lambda count: ngettext_lazy(
        "ministerial conference", "ministerial conferences", count
    ),
    Meeting.Type.SENIOR_OFFICIALS_MEETING: lambda count: ngettext_lazy(
        "senior officials' meeting", "senior officials' meetings", count
    ),
    Meeting.Type.STEERING_COMMITTEE_MEETING: lambda count: ngettext_lazy(
        "steering committee meeting", "steering committee meetings", count
    ),
    Meeting.Type.THEMATIC_MEETING: lambda count: ngettext_lazy(
        "thematic meeting", "thematic meetings", count
    ),
}


def meetings_held() -> list[Figure]:
    """Meetings held, in all and for the main types that have any (no "0 ..." cards)."""
    rows = dict(Meeting.objects.held().order_by().values_list("type").annotate(count=Count("pk")))
    listing = reverse("dialogues:meeting_list")
    total = sum(rows.values())
    figures = [
        Figure(
            total,
            ngettext_lazy("meeting held", "meetings held", total),
            f"{listing}?status=held",
        )
    ]
    for meeting_type, label in MEETING_TYPES_ON_HOME.items():
        count = rows.get(meeting_type.value, 0)
        if count:
            figures.append(
                Figure(
                    count,
                    label(count),
                    f"{listing}?status=held&type={meeting_type.value}",
                    group="meetings",
                )
            )
    return figures


def documents() -> list[Figure]:
    count = Document.objects.count()
    label = ngettext_lazy("document", "documents", count)
    return [Figure(count, label, reverse("dialogues:document_list"))]


def jvap_entries() -> list[Figure]:
    """Published JVAP entries and the investment they add up to (none before the first)."""
    figures = jvap_figures()
    if not figures.entries:
        return []
    listing = reverse("jvap:entry_list")
    millions = round(figures.total_investment_eur / 1_000_000)
    return [
        Figure(
            figures.entries,
            ngettext_lazy("project or policy", "projects and policies", figures.entries),
            listing,
            group="jvap",
        ),
        Figure(
            millions,
            ngettext_lazy("million euros invested", "million euros invested", millions),
            reverse("jvap:dashboard"),
            group="jvap",
        ),
    ]


def grants() -> list[Figure]:
    """Grants awarded by the Grant Facility (none before the first)."""
    figures = facility_counts()
    if not figures.grants:
        return []
    listing = reverse("grants:grant_list")
    return [
        Figure(
            figures.grants,
            ngettext_lazy("grant awarded", "grants awarded", figures.grants),
            listing,
            group="grants",
        ),
        Figure(
            figures.organisations,
            ngettext_lazy(
                "organisation in grant consortia",
                "organisations in grant consortia",
                figures.organisations,
            ),
            listing,
            group="grants",
        ),
    ]


FIGURES: list[Callable[[], list[Figure]]] = [
    member_states_and_dialogues,
    meetings_held,
    documents,
    jvap_entries,
    grants,
]


def home_figures() -> list[Figure]:
    """Every provider's figures, in order; a zero is left out rather than shown as a fact
    (no documents recorded yet is not "0 documents")."""
    return [figure for provider in FIGURES for figure in provider() if figure.value]
