"""Invented meetings and organisations for browsing the portal locally (`manage.py seed_demo`).

Every row is labelled: its name or title starts with "Demo –" and its source note says it is
not real, so demo content can always be told apart from the reference data (and deleted).
Nothing here is ever written to `fixtures/`.
"""

from __future__ import annotations

import datetime
import random
import secrets

from .models import Dialogue, Domain, Meeting, Organisation

DEMO_PREFIX = "Demo –"
DEMO_SOURCE_NOTE = "Demo data invented by seed_demo – not real"

_PLACES = [
    ("Dakar", "SN"),
    ("Abuja", "NG"),
    ("Rabat", "MA"),
    ("Addis Ababa", "ET"),
    ("Nairobi", "KE"),
    ("Brussels", "BE"),
    ("Madrid", "ES"),
    ("Rome", "IT"),
    ("Lisbon", "PT"),
    ("Vienna", "AT"),
    ("Accra", "GH"),
    ("Cairo", "EG"),
]
_TOPICS = [
    "labour mobility",
    "missing migrants",
    "diaspora engagement",
    "return and reintegration",
    "migrant smuggling",
    "asylum systems",
    "remittances",
    "climate and displacement",
]


def _token() -> str:
    """A short run marker, so that repeated runs never reuse a slug."""
    return secrets.token_hex(3)


def create_organisations(count: int) -> int:
    """Create `count` invented organisations in one query; return how many were created."""
    rng = random.Random()
    token = _token()
    types = [choice for choice in Organisation.Type if choice != Organisation.Type.OTHER]
    organisations = []
    for number in range(1, count + 1):
        kind = rng.choice(types)
        _, country = rng.choice(_PLACES)
        organisations.append(
            Organisation(
                name=f"{DEMO_PREFIX} {kind.label} {token}-{number}",
                slug=f"demo-organisation-{token}-{number}",
                acronym=f"DEMO{number}",
                type=kind,
                country=country,
                description="An organisation invented for trying out the portal.",
                description_fr="Une organisation inventée pour essayer le portail.",
                source_note=DEMO_SOURCE_NOTE,
            )
        )
    Organisation.objects.bulk_create(organisations)
    return len(organisations)


def _demo_dialogues() -> list[Dialogue]:
    dialogues = list(Dialogue.objects.filter(is_mmd_component=True))
    if dialogues:
        return dialogues
    # Without the reference data there is nothing to attach meetings to: make one, labelled.
    dialogue, _ = Dialogue.objects.get_or_create(
        slug="demo-dialogue",
        defaults={
            "name": f"{DEMO_PREFIX} Dialogue",
            "short_name": "Demo",
            "kind": Dialogue.Kind.INTERGOVERNMENTAL,
            "is_mmd_component": True,
            "summary": "A dialogue invented for trying out the portal.",
            "summary_fr": "Un dialogue inventé pour essayer le portail.",
            "source_note": DEMO_SOURCE_NOTE,
        },
    )
    return [dialogue]


def create_meetings(count: int) -> int:
    """Create `count` invented meetings of the MMD dialogues; return how many were created."""
    rng = random.Random()
    token = _token()
    today = datetime.date.today()
    dialogues = _demo_dialogues()
    domains = list(Domain.objects.all())
    meetings = []
    for number in range(1, count + 1):
        kind = rng.choice(list(Meeting.Type))
        topic = rng.choice(_TOPICS)
        start = today + datetime.timedelta(days=rng.randint(-9 * 365, 365))
        online = rng.random() < 0.15
        city, country = ("", "") if online else rng.choice(_PLACES)
        meetings.append(
            Meeting(
                title=f"{DEMO_PREFIX} {kind.label} on {topic} ({token}-{number})",
                slug=f"demo-meeting-{token}-{number}",
                type=kind,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(0, 2)),
                city=city,
                country=country,
                is_online=online,
                summary="A meeting invented for trying out the portal; it never took place.",
                summary_fr="Réunion inventée pour essayer le portail ; elle n'a jamais eu lieu.",
                participants_count=rng.randint(15, 250),
                status=Meeting.Status.HELD if start < today else Meeting.Status.PLANNED,
                source_note=DEMO_SOURCE_NOTE,
            )
        )
    Meeting.objects.bulk_create(meetings)
    # bulk_create does not fill many-to-many fields: write the links in two more queries.
    Meeting.dialogues.through.objects.bulk_create(
        Meeting.dialogues.through(meeting_id=meeting.pk, dialogue_id=dialogue.pk)
        for meeting in meetings
        for dialogue in rng.sample(dialogues, k=min(len(dialogues), rng.choice([1, 1, 2])))
    )
    if domains:
        Meeting.thematic_areas.through.objects.bulk_create(
            Meeting.thematic_areas.through(meeting_id=meeting.pk, domain_id=domain.pk)
            for meeting in meetings
            for domain in rng.sample(domains, k=rng.randint(1, 2))
        )
    return len(meetings)
