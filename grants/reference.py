"""Load the Grant Facility's reference data (`fixtures/reference/grants.json`): its calls for
proposals and, once the sources name them, its grants. Called by `load_reference_data`."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from dialogues.models import Dialogue, Domain, Organisation

from .models import Call, CallDocument, ConsortiumMember, Grant, GrantCountry

FILENAME = "grants.json"

CALL_FIELDS = {
    "title": str,
    "title_fr": str,
    "slug": str,
    "summary": str,
    "summary_fr": str,
    "priorities": str,
    "priorities_fr": str,
    "budget_eur": Decimal,
    "grant_min_eur": Decimal,
    "grant_max_eur": Decimal,
    "expected_grants_min": int,
    "expected_grants_max": int,
    "max_countries": int,
    "min_au_member_states": int,
    "max_co_applicants": int,
    "applicant_types": list,
    "duration_months_min": int,
    "duration_months_max": int,
    "eligibility_notes": str,
    "eligibility_notes_fr": str,
    "opens_on": datetime.date.fromisoformat,
    "concept_note_deadline": datetime.date.fromisoformat,
    "full_application_deadline": datetime.date.fromisoformat,
    "awarded_on": datetime.date.fromisoformat,
    "status_override": str,
    "source_note": str,
}

GRANT_FIELDS = {
    "title": str,
    "title_fr": str,
    "slug": str,
    "summary": str,
    "summary_fr": str,
    "amount_eur": Decimal,
    "co_financing_eur": Decimal,
    "start": datetime.date.fromisoformat,
    "end": datetime.date.fromisoformat,
    "status": str,
    "website": str,
    "source_note": str,
}


def _values(record: dict[str, Any], fields: dict) -> dict[str, Any]:
    return {
        name: (convert(record[name]) if record[name] is not None else None)
        for name, convert in fields.items()
        if name in record
    }


@transaction.atomic
def load(fixtures_dir: Path | str, *, update: bool = False) -> dict[str, int]:
    """Create the calls and grants of the fixture that are missing; leave existing ones as
    they are unless `update`. Idempotent; one transaction. Returns counts by kind."""
    data = json.loads((Path(fixtures_dir) / FILENAME).read_text(encoding="utf-8"))
    counts = {"calls created": 0, "calls updated": 0, "grants created": 0, "grants updated": 0}
    for record in data.get("calls", []):
        if not record.get("source_note"):
            raise ValueError(f"call {record.get('reference')!r} has no source_note")
        call, created = Call.objects.get_or_create(
            reference=record["reference"], defaults=_values(record, CALL_FIELDS)
        )
        if created:
            counts["calls created"] += 1
        elif update:
            for name, value in _values(record, CALL_FIELDS).items():
                setattr(call, name, value)
            call.save()
            counts["calls updated"] += 1
        else:
            continue
        call.documents.all().delete()
        CallDocument.objects.bulk_create(
            [
                CallDocument(call=call, display_order=order, **document)
                for order, document in enumerate(record.get("documents", []))
            ]
        )
    for record in data.get("grants", []):
        if not record.get("source_note"):
            raise ValueError(f"grant {record.get('reference')!r} has no source_note")
        existing = Grant.objects.filter(reference=record["reference"]).first()
        if existing and not update:
            continue
        grant = existing or Grant(reference=record["reference"])
        for name, value in _values(record, GRANT_FIELDS).items():
            setattr(grant, name, value)
        grant.call = Call.objects.get(reference=record["call"])
        grant.is_published = record.get("is_published", True)
        grant.save()
        counts["grants updated" if existing else "grants created"] += 1
        grant.dialogues.set(Dialogue.objects.filter(slug__in=record.get("dialogues", [])))
        grant.domains.set(Domain.objects.filter(number__in=record.get("domains", [])))
        grant.countries.all().delete()
        GrantCountry.objects.bulk_create(
            [GrantCountry(grant=grant, country=code) for code in record.get("countries", [])]
        )
        grant.consortium.all().delete()
        for member in record.get("consortium", []):
            ConsortiumMember(
                grant=grant,
                organisation=Organisation.objects.get(slug=member["organisation"]),
                role=member["role"],
            ).save()
    return counts
