"""Invented JVAP entries for browsing and benchmarking (`manage.py seed_demo --jvap N`).

Every row is labelled: titles start with "Demo –", the reporting partners are invented
organisations named "Demo – …" with codes starting "DEMO-", and so are the implementing
organisations and donors the entries name. Nothing here is reference data, and
`DEMO_PREFIX` finds all of it again.

Rows are written in batches (entries, then their countries, organisations and secondary
domains) with PostgreSQL's COPY, or `bulk_create` on SQLite, never one save per row.
"""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.caching import bump_data_version
from dialogues.models import Domain, Organisation

from .indexes import create_public_indexes, drop_public_indexes
from .models import EntryCountry, EntryOrganisation, JvapEntry, ReportingPartner

DEMO_PREFIX = "Demo –"
DEMO_SOURCE_NOTE = "Demo data invented by seed_demo – not real"
BATCH = 5000
# From this many entries, the search and sort indexes are dropped and built again after the
# load (in the same transaction), which is faster than updating them row by row.
REBUILD_INDEXES_FROM = 20_000
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


def _entry(rng: random.Random, number: int, token: str, partner, domain_ids, this_year, now):
    """The columns of one invented entry, and its countries."""
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
    entry = dict(
        partner_id=partner.pk,
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
        website="",
        review_comment="",
        created_at=now,
        updated_at=now,
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


class _Writer:
    """Writes rows in bulk: PostgreSQL's COPY (with entry ids taken from the sequence first,
    so the child rows can point at them), `bulk_create` on other databases."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def entries(self, rows: list[dict]) -> list[int]:
        if not self.postgres:
            created = JvapEntry.objects.bulk_create([JvapEntry(**row) for row in rows], 2000)
            return [entry.pk for entry in created]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('jvap_jvapentry', 'id')) "
                "FROM generate_series(1, %s)",
                [len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        self.rows(JvapEntry, rows)
        return ids

    def rows(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.postgres:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
            return
        columns = list(rows[0])
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[column] for column in columns])


def seed_jvap(count: int) -> int:
    """Create `count` invented, labelled JVAP entries with their countries, organisations
    and secondary domains, in bulk; return how many entries were created."""
    if count <= 0:
        return 0
    rng = random.Random()
    token = secrets.token_hex(3)
    this_year = datetime.date.today().year
    now = timezone.now()
    writer = _Writer()
    role = EntryOrganisation.Role
    rebuild_indexes = count >= REBUILD_INDEXES_FROM
    with transaction.atomic():
        if rebuild_indexes:
            drop_public_indexes(connection)
        domain_ids = _domain_ids()
        partners = _demo_partners(token)
        implementers = [f"{DEMO_PREFIX} Implementer {n}" for n in range(1, 301)]
        donors = [f"{DEMO_PREFIX} Donor {n}" for n in range(1, 41)]
        secondary_through = JvapEntry.secondary_domains.through
        for first in range(0, count, BATCH):
            made = [
                _entry(rng, number, token, rng.choice(partners), domain_ids, this_year, now)
                for number in range(first + 1, min(first + BATCH, count) + 1)
            ]
            ids = writer.entries([row for row, _ in made])
            countries, organisations, secondary = [], [], []
            for pk, (row, codes) in zip(ids, made, strict=True):
                countries += [{"entry_id": pk, "country": code} for code in codes]
                named = [(role.IMPLEMENTER, rng.sample(implementers, k=rng.randint(1, 3)))]
                named.append((role.DONOR, rng.sample(donors, k=rng.choice([0, 1, 1, 2]))))
                organisations += [
                    {"entry_id": pk, "role": kind, "name": name, "position": position}
                    for kind, names in named
                    for position, name in enumerate(names)
                ]
                secondary += [
                    {"jvapentry_id": pk, "domain_id": domain_id}
                    for domain_id in rng.sample(domain_ids, k=rng.choice([0, 0, 1, 2]))
                    if domain_id != row["domain_id"]
                ]
            writer.rows(EntryCountry, countries)
            writer.rows(EntryOrganisation, organisations)
            writer.rows(secondary_through, secondary)
        if rebuild_indexes:
            if connection.vendor == "postgresql":
                # PostgreSQL builds no index on a table with deferred foreign-key checks
                # pending: run them now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            create_public_indexes(connection)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    bump_data_version()  # bulk writes send no signals: invalidate the cached pages and aggregates
    return count
