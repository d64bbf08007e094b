"""What the maps colour: the states of a dialogue, or the MMD map's layers (the Rabat and
Khartoum Processes, and the C2CMMD).

The shapes are one static file (static/maps/africa-europe.svg, built by scripts/build_map.py)
that the browser caches; a page only lists which states to colour, as links in the map's list
alternative, and static/js/portal.js draws them onto the file (includes/country_map.html).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions import AFRICAN_UNION_MEMBER_STATES, EUROPEAN_UNION_MEMBER_STATES

from .models import Membership

RABAT, KHARTOUM = "rabat-process", "khartoum-process"

MMD_MAP_LEGEND = [
    ("rabat", _("Rabat Process")),
    ("khartoum", _("Khartoum Process")),
    ("both", _("Both processes")),
]

C2CMMD_MAP_LEGEND = [("c2cmmd", _("African Union and European Union member states"))]

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
        .order_by()  # not the memberships' ordering: its joins, for rows only counted here
        .values_list("country", "dialogue__slug")
    )
    taking_part: dict[str, set[str]] = defaultdict(set)
    for code, slug in rows:
        taking_part[code].add(slug)
    return {
        code: "both" if len(slugs) == 2 else ("rabat" if RABAT in slugs else "khartoum")
        for code, slugs in taking_part.items()
    }


def dialogue_map_classes(states: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A dialogue's map: its current member and observer states, given as (country code,
    role) pairs of its memberships (members win a tie)."""
    classes: dict[str, str] = {}
    for code, role in states:
        if code and classes.get(code) != "member":
            classes[code] = role
    return classes


def c2cmmd_map_classes() -> dict[str, str]:
    """The C2CMMD layer: its participants are the member states of the African Union and of
    the European Union (the two commissions take part for them)."""
    return dict.fromkeys(AFRICAN_UNION_MEMBER_STATES | EUROPEAN_UNION_MEMBER_STATES, "c2cmmd")


def mmd_map_layers(processes: dict[str, str] | None = None) -> list[dict]:
    """The MMD map's layers: the Rabat and Khartoum Processes (either or both: `processes`,
    as `mmd_map_classes()` gives them, counted now when not given), and the C2CMMD."""
    return [
        {
            "key": "processes",
            "label": _("Rabat and Khartoum Processes"),
            "classes": mmd_map_classes() if processes is None else processes,
            "legend": MMD_MAP_LEGEND,
        },
        {
            "key": "c2cmmd",
            "label": _("C2CMMD"),
            "classes": c2cmmd_map_classes(),
            "legend": C2CMMD_MAP_LEGEND,
        },
    ]
