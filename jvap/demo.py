"""Invented JVAP entries for browsing and benchmarking (`manage.py seed_demo --jvap N`).

Every row is labelled: titles start with "Demo –", the reporting partners are invented
organisations named "Demo – …" with codes starting "DEMO-", and so are the implementing
organisations and donors the entries name. Nothing here is reference data, and
`DEMO_PREFIX` finds all of it again.

Rows are written with `bulk_create` in batches (entries, then their countries, organisations
and secondary domains), so 100,000 entries fill an empty PostgreSQL database in seconds, not
one save per row.
"""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import Decimal

from django.db import transaction

from dialogues.models import Domain, Organisation

from .models import EntryCountry, EntryOrganisation, JvapEntry, ReportingPartner

DEMO_PREFIX = "Demo –"
DEMO_SOURCE_NOTE = "Demo data invented by seed_demo – not real"
BATCH = 5000
PARTNERS = 12

_AFRICA = [
    "SN",
    "ML",
    "NE",
    "NG",
    "MA",
    "TN",
    "ET",
    "ER",
    "SD",
    "KE",
    "GH",
    "CI",
    "GN",
    "BF",
    "CM",
    "TD",
    "SO",
    "UG",
    "EG",
    "LY",
    "MR",
    "GM",
    "CV",
    "DZ",
    "SS",
    "DJ",
    "TZ",
    "CD",
]
_EUROPE = ["FR", "ES", "IT", "DE", "BE", "NL", "PT", "AT", "SE", "DK", "CH", "NO", "GR", "MT"]
_TOPICS = [
    "labour mobility",
    "missing migrants",
    "diaspora engagement",
    "reintegration",
    "migrant smuggling",
    "asylum systems",
    "remittances",
    "climate and displacement",
    "border management",
    "trafficking in human beings",
    "legal pathways",
    "data",
]
_DESCRIPTION = (
    "An invented {kind} on {topic} in {place}, created to try out the portal; it does not "
    "exist. Demo data – not real."
)


def _domain_ids() -> list[int]:
    """The five JVAP domains (created with their real names if the reference data is not
    loaded yet; `load_reference_data` completes them by number)."""
    from .spreadsheet import DOMAIN_NAMES

    existing = dict(Domain.objects.values_list("number", "pk"))
    for number, names in DOMAIN_NAMES.items():
        if number not in existing:
            existing[number] = Domain.objects.create(
                number=number, slug=f"domain-{number}", name=names[0], name_fr=names[1]
            ).pk
    return [existing[number] for number in sorted(existing)]


def _demo_partners(token: str) -> list[ReportingPartner]:
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{DEMO_PREFIX} Reporting partner {token}-{number}",
            slug=f"demo-reporting-partner-{token}-{number}",
            acronym=f"DEMO-{token}-{number}",
            type=Organisation.Type.OTHER,
            description="A reporting partner invented for trying out the portal.",
            description_fr="Un partenaire inventé pour essayer le portail.",
            source_note=DEMO_SOURCE_NOTE,
        )
        for number in range(1, PARTNERS + 1)
    )
    return ReportingPartner.objects.bulk_create(
        ReportingPartner(
            organisation=organisation, code=organisation.acronym, source_note=DEMO_SOURCE_NOTE
        )
        for organisation in organisations
    )


def _entry(rng: random.Random, number: int, token: str, partner, domain_ids, this_year):
    is_project = rng.random() < 0.8
    kind = "project" if is_project else "policy"
    topic = rng.choice(_TOPICS)
    countries = rng.sample(_AFRICA, k=rng.choice([1, 1, 1, 2, 3]))
    if rng.random() < 0.2:
        countries.append(rng.choice(_EUROPE))
    dated = rng.random()
    start = end = None
    if dated > 0.03:
        start = datetime.date(rng.randint(2012, this_year + 1), rng.randint(1, 12), 1)
        if dated > 0.13:
            end = start + datetime.timedelta(days=rng.randint(180, 6 * 365))
    if start is None or start.year > this_year:
        status = JvapEntry.Status.PLANNED
    elif end is not None and end.year < this_year:
        status = JvapEntry.Status.COMPLETED
    else:
        status = JvapEntry.Status.ONGOING
    budget = None
    if (is_project and rng.random() < 0.9) or (not is_project and rng.random() < 0.1):
        budget = Decimal(int(round(10 ** rng.uniform(4.7, 7.7), -3)))
    entry = JvapEntry(
        partner=partner,
        reference=f"DEMO-{token}-{number}",
        title=f"{DEMO_PREFIX} {kind.capitalize()} on {topic} ({token}-{number})",
        type=JvapEntry.Type.PROJECT if is_project else JvapEntry.Type.POLICY,
        domain_id=rng.choice(domain_ids),
        budget_eur=budget,
        start_date=start,
        end_date=end,
        status=status,
        dialogue=rng.choice(["rabat", "rabat", "khartoum", "both", ""]),
        description=_DESCRIPTION.format(kind=kind, topic=topic, place=", ".join(countries)),
        campaign_year=rng.randint(
            min(max(2016, start.year if start else 2016), this_year), this_year
        ),
        review_state=(
            JvapEntry.ReviewState.PUBLISHED
            if rng.random() < 0.95
            else JvapEntry.ReviewState.SUBMITTED
        ),
    )
    return entry, countries


def seed_jvap(count: int) -> int:
    """Create `count` invented, labelled JVAP entries with their countries, organisations
    and secondary domains, in bulk; return how many entries were created."""
    if count <= 0:
        return 0
    rng = random.Random()
    token = secrets.token_hex(3)
    this_year = datetime.date.today().year
    with transaction.atomic():
        domain_ids = _domain_ids()
        partners = _demo_partners(token)
        implementers = [f"{DEMO_PREFIX} Implementer {n}" for n in range(1, 301)]
        donors = [f"{DEMO_PREFIX} Donor {n}" for n in range(1, 41)]
        secondary_through = JvapEntry.secondary_domains.through
        for first in range(0, count, BATCH):
            numbers = range(first + 1, min(first + BATCH, count) + 1)
            made = [
                _entry(rng, number, token, rng.choice(partners), domain_ids, this_year)
                for number in numbers
            ]
            entries = JvapEntry.objects.bulk_create([entry for entry, _ in made], batch_size=2000)
            EntryCountry.objects.bulk_create(
                [
                    EntryCountry(entry_id=entry.pk, country=code)
                    for entry, (_, codes) in zip(entries, made, strict=True)
                    for code in codes
                ],
                batch_size=5000,
            )
            organisations = []
            for entry in entries:
                for position, name in enumerate(rng.sample(implementers, k=rng.randint(1, 3))):
                    organisations.append(
                        EntryOrganisation(
                            entry_id=entry.pk,
                            role=EntryOrganisation.Role.IMPLEMENTER,
                            name=name,
                            position=position,
                        )
                    )
                for position, name in enumerate(rng.sample(donors, k=rng.choice([0, 1, 1, 2]))):
                    organisations.append(
                        EntryOrganisation(
                            entry_id=entry.pk,
                            role=EntryOrganisation.Role.DONOR,
                            name=name,
                            position=position,
                        )
                    )
            EntryOrganisation.objects.bulk_create(organisations, batch_size=5000)
            secondary_through.objects.bulk_create(
                [
                    secondary_through(jvapentry_id=entry.pk, domain_id=domain_id)
                    for entry in entries
                    for domain_id in rng.sample(domain_ids, k=rng.choice([0, 0, 1, 2]))
                    if domain_id != entry.domain_id
                ],
                batch_size=5000,
            )
    try:  # bulk writes send no signals: invalidate the cached pages and aggregates (main)
        from dialogues.caching import bump_data_version
    except ImportError:  # pragma: no cover - until dialogues.caching is merged
        pass
    else:
        bump_data_version()
    return count
