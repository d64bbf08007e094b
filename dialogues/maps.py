"""What the maps colour: the states of a dialogue, or the MMD map of the two processes."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Membership

RABAT, KHARTOUM = "rabat-process", "khartoum-process"

MMD_MAP_LEGEND = [
    ("rabat", _("Rabat Process")),
    ("khartoum", _("Khartoum Process")),
    ("both", _("Both processes")),
]

DIALOGUE_MAP_LEGEND = [
    ("member", _("Member")),
    ("observer", _("Observer")),
]


def mmd_map_classes() -> dict[str, str]:
    """The MMD map: current member states of the Rabat Process, the Khartoum Process, or both."""
    rows = (
        Membership.objects.on(timezone.localdate())
        .filter(role=Membership.Role.MEMBER, dialogue__slug__in=[RABAT, KHARTOUM])
        .exclude(country="")
        .values_list("country", "dialogue__slug")
    )
    taking_part: dict[str, set[str]] = defaultdict(set)
    for code, slug in rows:
        taking_part[code].add(slug)
    return {
        code: "both" if len(slugs) == 2 else ("rabat" if RABAT in slugs else "khartoum")
        for code, slugs in taking_part.items()
    }


def dialogue_map_classes(memberships) -> dict[str, str]:
    """A dialogue's map: its current member and observer states (members win a tie)."""
    classes: dict[str, str] = {}
    for membership in memberships:
        if membership.country and classes.get(membership.country.code) != "member":
            classes[membership.country.code] = membership.role
    return classes
