"""The key figures of the home page and the numbers behind them.

The numbers (and the states of the home page's map) are counted by a background task after
each change of the data and kept in `HomeFigures` for the day they were counted (`refresh`);
the page reads them in one query (`home_counts`), and counts them itself when there are none
for today, or when its own connection has changed the data since (a test, a service). The
JVAP figures are the JVAP dashboard's, precomputed by the JVAP app (`jvap.figures`).

Each figure provider is one function that turns the numbers into a list of `Figure`s (or an
empty list when it has nothing to show yet); the home page shows the providers of `FIGURES`
in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from core.caching import data_version, uncommitted_changes
from dialogues.maps import mmd_map_classes
from dialogues.models import Dialogue, Document, Meeting, Membership, in_force
from grants.figures import facility_counts
from jvap.figures import jvap_figures

from .models import HomeFigures

PENDING_KEY = "mmd:home-figures:pending"


@dataclass(frozen=True)
class Figure:
    """One number with what it counts, and where to see the rows behind it."""

    value: int | float
    label: str
    url: str = ""
    group: str = ""


def member_states_and_dialogues_counted() -> dict[str, int]:
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
    return {"member_states": counts["states"], "dialogues": counts["dialogues"]}


def counted_now() -> dict[str, Any]:
    """The numbers behind the home page's figures (but the JVAP ones) and the states of its
    map, counted now: five queries (the map's one of them)."""
    grants = facility_counts()
    return {
        **member_states_and_dialogues_counted(),
        "meetings_held": dict(
            Meeting.objects.held().order_by().values_list("type").annotate(count=Count("pk"))
        ),
        "documents": Document.objects.count(),
        "grants": grants.grants,
        "grant_organisations": grants.organisations,
        "mmd_map": mmd_map_classes(),
    }


def home_counts() -> dict[str, Any]:
    """The numbers behind the home page's figures and map: today's from the last completed
    refresh (one query), else counted now (a refresh is scheduled when there are none for
    today)."""
    return precomputed_counts() or counted_now()


def precomputed_counts() -> dict[str, Any] | None:
    """The last completed refresh's numbers, or None: when it did not count them today (a
    refresh is scheduled), and on a connection whose own uncommitted changes they do not
    include. Off with the other precomputed figures (`settings.PRECOMPUTED_FIGURES`)."""
    if not settings.PRECOMPUTED_FIGURES:
        return None
    row = HomeFigures.objects.filter(pk=1).first()
    if row is None or row.counted_on != timezone.localdate():
        schedule_refresh()
        return None
    if uncommitted_changes() and row.data_version != data_version():
        return None
    return row.counts


def schedule_refresh(**kwargs: Any) -> None:
    """Enqueue one refresh of the numbers (a burst of changes enqueues one task)."""
    from core.tasks import enqueue_once_per_burst

    from .tasks import refresh_home_figures

    if settings.PRECOMPUTED_FIGURES:
        enqueue_once_per_burst(PENDING_KEY, refresh_home_figures)


def refresh() -> str:
    """Count the numbers now and keep them for today (the task); the day counted for."""
    cache.delete(PENDING_KEY)
    # Read before counting: a change meanwhile draws a new version, and schedules a refresh.
    version = data_version()
    today = timezone.localdate()
    HomeFigures.objects.update_or_create(
        pk=1,
        defaults={
            "counted_on": today,
            "data_version": version,
            "computed_at": timezone.now(),
            "counts": counted_now(),
        },
    )
    return today.isoformat()


def member_states_and_dialogues(counts: dict[str, Any]) -> list[Figure]:
    """The states that are members of an MMD dialogue today, and the MMD dialogues and
    components."""
    states, dialogues = counts["member_states"], counts["dialogues"]
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


def meetings_held(counts: dict[str, Any]) -> list[Figure]:
    """Meetings held, in all and for the main types that have any (no "0 ..." cards)."""
    rows = counts["meetings_held"]
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


def documents(counts: dict[str, Any]) -> list[Figure]:
    count = counts["documents"]
    label = ngettext_lazy("document", "documents", count)
    return [Figure(count, label, reverse("dialogues:document_list"))]


def jvap_entries(counts: dict[str, Any]) -> list[Figure]:
    """Published JVAP entries and the investment they add up to (none before the first): the
    JVAP app's own precomputed figures, not the counts."""
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


def grants(counts: dict[str, Any]) -> list[Figure]:
    """Grants awarded by the Grant Facility (none before the first)."""
    awarded, organisations = counts["grants"], counts["grant_organisations"]
    if not awarded:
        return []
    listing = reverse("grants:grant_list")
    return [
        Figure(
            awarded,
            ngettext_lazy("grant awarded", "grants awarded", awarded),
            listing,
            group="grants",
        ),
        Figure(
            organisations,
            ngettext_lazy(
                "organisation in grant consortia",
                "organisations in grant consortia",
                organisations,
            ),
            listing,
            group="grants",
        ),
    ]


FIGURES: list[Callable[[dict[str, Any]], list[Figure]]] = [
    member_states_and_dialogues,
    meetings_held,
    documents,
    jvap_entries,
    grants,
]


def home_figures(counts: dict[str, Any]) -> list[Figure]:
    """Every provider's figures from the numbers (`home_counts`), in order; a zero is left out
    rather than shown as a fact (no documents recorded yet is not "0 documents")."""
    return [figure for provider in FIGURES for figure in provider(counts) if figure.value]
