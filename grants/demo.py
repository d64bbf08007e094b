"""Invented grants for trying the portal with realistic volumes (`seed_demo --grants N`).

Everything made here is labelled: titles start with "Demo –" and the source note says the
data is invented, so it never passes for the Facility's real grants."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from dialogues.models import Dialogue, Domain, Organisation

from .models import Call, ConsortiumMember, Grant, GrantCountry
from .regions import AFRICAN_COUNTRIES

DEMO_PREFIX = "Demo –"
DEMO_SOURCE_NOTE = "Demo data invented by seed_demo – not real"
DEMO_CALL_REFERENCE = "DEMO-CALL"

# Demo partners come from a few EU states, as the Facility's European partners mostly do.
DEMO_EUROPEAN_COUNTRIES = ["BE", "DE", "ES", "FR", "IT", "NL", "PT", "SE"]
ORGANISATION_TYPES = [
    Organisation.Type.CIVIL_SOCIETY,
    Organisation.Type.RESEARCH,
    Organisation.Type.DIASPORA,
    Organisation.Type.LOCAL_AUTHORITY,
    Organisation.Type.SOCIAL_ENTERPRISE,
]
THEMES = [
    "labour mobility",
    "diaspora investment",
    "protection of migrants in transit",
    "reintegration of returnees",
    "missing migrants",
    "climate and mobility",
    "fair recruitment",
    "student mobility",
]


@transaction.atomic
def seed_grants(count: int, *, seed: int = 2025) -> dict[str, int]:
    """Add `count` demo grants, each with a consortium of demo organisations, countries,
    dialogues and domains, written with bulk inserts. Returns what was created."""
    rng = random.Random(seed + Grant.objects.count())
    call, _created = Call.objects.get_or_create(
        reference=DEMO_CALL_REFERENCE,
        defaults={
            "title": f"{DEMO_PREFIX} call for proposals",
            "title_fr": f"{DEMO_PREFIX} appel à propositions",
            "slug": "demo-call",
            "summary": "An invented call that groups the demo grants.",
            "summary_fr": "Un appel inventé qui regroupe les subventions de démonstration.",
            "grant_min_eur": Decimal(100_000),
            "grant_max_eur": Decimal(1_500_000),
            "source_note": DEMO_SOURCE_NOTE,
        },
    )
    start_number = Grant.objects.filter(reference__startswith="DEMO-GF-").count() + 1
    african, european = sorted(AFRICAN_COUNTRIES), DEMO_EUROPEAN_COUNTRIES

    organisation_count = max(4, count * 2)
    first_org = Organisation.objects.filter(name__startswith=DEMO_PREFIX).count() + 1
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{DEMO_PREFIX} organisation {n}",
                slug=f"demo-organisation-{n}",
                type=rng.choice(ORGANISATION_TYPES),
                country=rng.choice(african if rng.random() < 0.7 else european),
                source_note=DEMO_SOURCE_NOTE,
            )
            for n in range(first_org, first_org + organisation_count)
        ]
    )
    if organisations[0].pk is None:  # databases that do not return keys from bulk inserts
        organisations = list(
            Organisation.objects.filter(slug__in=[o.slug for o in organisations]).order_by("pk")
        )

    grants = []
    for n in range(start_number, start_number + count):
        start = datetime.date(2025, 3, 1) + datetime.timedelta(days=rng.randrange(0, 300))
        theme = rng.choice(THEMES)
        grants.append(
            Grant(
                reference=f"DEMO-GF-{n:05d}",
                title=f"{DEMO_PREFIX} initiative on {theme} {n}",
                title_fr=f"{DEMO_PREFIX} initiative {n} ({theme})",
                slug=f"demo-grant-{n}",
                summary=f"An invented initiative on {theme}, made to try the portal.",
                summary_fr="Une initiative inventée pour essayer le portail.",
                call=call,
                amount_eur=Decimal(rng.randrange(100, 1500) * 1000),
                co_financing_eur=Decimal(rng.randrange(0, 100) * 1000),
                start=start,
                end=start + datetime.timedelta(days=rng.choice([182, 365, 730])),
                status=rng.choice(list(Grant.Status.values)),
                is_published=True,
                source_note=DEMO_SOURCE_NOTE,
            )
        )
    grants = Grant.objects.bulk_create(grants)
    if grants and grants[0].pk is None:
        grants = list(
            Grant.objects.filter(reference__in=[g.reference for g in grants]).order_by("pk")
        )

    members, countries, dialogue_links, domain_links = [], [], [], []
    dialogue_ids = list(Dialogue.objects.values_list("pk", flat=True))
    domain_ids = list(Domain.objects.values_list("pk", flat=True))
    for grant in grants:
        chosen = rng.sample(organisations, k=min(len(organisations), rng.randint(2, 4)))
        for index, organisation in enumerate(chosen):
            role = (
                ConsortiumMember.Role.LEAD
                if index == 0
                else rng.choice(
                    [ConsortiumMember.Role.CO_APPLICANT, ConsortiumMember.Role.AFFILIATED]
                )
            )
            members.append(
                ConsortiumMember(
                    grant=grant,
                    organisation=organisation,
                    role=role,
                    role_order=ConsortiumMember.ROLE_ORDER[role],
                )
            )
        for code in rng.sample(african, k=rng.randint(1, 3)):
            countries.append(GrantCountry(grant=grant, country=code))
        for pk in rng.sample(dialogue_ids, k=min(len(dialogue_ids), rng.randint(0, 2))):
            dialogue_links.append(Grant.dialogues.through(grant_id=grant.pk, dialogue_id=pk))
        for pk in rng.sample(domain_ids, k=min(len(domain_ids), rng.randint(1, 2))):
            domain_links.append(Grant.domains.through(grant_id=grant.pk, domain_id=pk))
    ConsortiumMember.objects.bulk_create(members, batch_size=1000)
    GrantCountry.objects.bulk_create(countries, batch_size=1000)
    Grant.dialogues.through.objects.bulk_create(dialogue_links, batch_size=1000)
    Grant.domains.through.objects.bulk_create(domain_links, batch_size=1000)
    return {
        "grants": len(grants),
        "organisations": len(organisations),
        "consortium members": len(members),
        "countries of implementation": len(countries),
    }
