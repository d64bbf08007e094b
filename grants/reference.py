"""The Grant Facility's reference data: its calls for proposals (`grant_calls.json`) and, once
the sources name them, its grants (`grants.json`). Follows the loaders' contract of
core.reference; `load_reference_data` runs it after the dialogues' loader it builds on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.reference import (
    Counts,
    ReferenceDataError,
    check_fields,
    date,
    integer,
    money,
    read_records,
    record_name,
    required,
    texts,
)
from dialogues.models import Dialogue, Domain, Organisation

from .models import Call, CallDocument, ConsortiumMember, Grant, GrantCountry

CALLS_FILE = "grant_calls.json"
GRANTS_FILE = "grants.json"

CALL_TEXTS = (
    "title", "title_fr", "slug", "summary", "summary_fr", "priorities", "priorities_fr",
    "eligibility_notes", "eligibility_notes_fr", "status_override", "source_note",
)  # fmt: skip
CALL_MONEY = ("budget_eur", "grant_min_eur", "grant_max_eur")
CALL_NUMBERS = (
    "expected_grants_min", "expected_grants_max", "max_countries", "min_au_member_states",
    "max_co_applicants", "duration_months_min", "duration_months_max",
)  # fmt: skip
CALL_DATES = ("opens_on", "concept_note_deadline", "full_application_deadline", "awarded_on")
CALL_FIELDS = {
    "reference", *CALL_TEXTS, *CALL_MONEY, *CALL_NUMBERS, *CALL_DATES, "applicant_types",
    "documents",
}  # fmt: skip
DOCUMENT_FIELDS = {"title", "title_fr", "kind", "url", "file"}

GRANT_TEXTS = ("title", "title_fr", "slug", "summary", "summary_fr", "status", "website")
GRANT_FIELDS = {
    "reference", "call", "source_note", *GRANT_TEXTS, "amount_eur", "co_financing_eur",
    "start", "end", "is_published", "dialogues", "domains", "countries", "consortium",
}  # fmt: skip


def _call_values(raw: dict) -> dict[str, Any]:
    required(raw, "source_note")
    values: dict[str, Any] = {
        **texts(raw, *CALL_TEXTS),
        **{name: money(raw, name) for name in CALL_MONEY},
        **{name: integer(raw, name) for name in CALL_NUMBERS},
        **{name: date(raw, name) for name in CALL_DATES},
    }
    if "applicant_types" in raw:
        values["applicant_types"] = list(raw["applicant_types"] or [])
    return {name: value for name, value in values.items() if name in raw}


def _grant_values(raw: dict) -> dict[str, Any]:
    required(raw, "source_note")
    values: dict[str, Any] = {
        **texts(raw, *GRANT_TEXTS, "source_note"),
        "amount_eur": money(raw, "amount_eur"),
        "co_financing_eur": money(raw, "co_financing_eur"),
        "start": date(raw, "start"),
        "end": date(raw, "end"),
    }
    values = {name: value for name, value in values.items() if name in raw}
    values["is_published"] = bool(raw.get("is_published", True))
    reference = required(raw, "call")
    values["call"] = Call.objects.filter(reference=reference).first()
    if values["call"] is None:
        raise ReferenceDataError(f"unknown call ({reference!r})")
    return values


def _upsert(model, key: dict, values: dict, *, update: bool, counts: Counts):
    """The record with this key, created or (with `update`) brought in line; None when it
    exists and is left as it is."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        counts.created += 1
    elif update and any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        counts.updated += 1
    else:
        return None
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ReferenceDataError("; ".join(error.messages)) from None
    obj.save()
    return obj


def _load_call(raw: dict, *, update: bool, counts: Counts) -> None:
    check_fields(raw, CALL_FIELDS)
    for document in raw.get("documents") or []:
        check_fields(document, DOCUMENT_FIELDS, "document: ")
    call = _upsert(
        Call, {"reference": required(raw, "reference")}, _call_values(raw), update=update,
        counts=counts,
    )  # fmt: skip
    if call is None:
        return
    call.documents.all().delete()
    CallDocument.objects.bulk_create(
        [
            CallDocument(call=call, display_order=order, **document)
            for order, document in enumerate(raw.get("documents") or [])
        ]
    )


def _load_grant(raw: dict, *, update: bool, counts: Counts) -> None:
    check_fields(raw, GRANT_FIELDS)
    grant = _upsert(
        Grant, {"reference": required(raw, "reference")}, _grant_values(raw), update=update,
        counts=counts,
    )  # fmt: skip
    if grant is None:
        return
    grant.dialogues.set(Dialogue.objects.filter(slug__in=raw.get("dialogues", [])))
    grant.domains.set(Domain.objects.filter(number__in=raw.get("domains", [])))
    grant.countries.all().delete()
    GrantCountry.objects.bulk_create(
        [GrantCountry(grant=grant, country=code) for code in raw.get("countries", [])]
    )
    grant.consortium.all().delete()
    for member in raw.get("consortium", []):
        organisation = Organisation.objects.filter(slug=member.get("organisation")).first()
        if organisation is None:
            raise ReferenceDataError(f"unknown organisation ({member.get('organisation')!r})")
        ConsortiumMember(grant=grant, organisation=organisation, role=member["role"]).save()


FILES: list[tuple[str, Callable[..., None]]] = [
    (CALLS_FILE, _load_call),
    (GRANTS_FILE, _load_grant),
]


@transaction.atomic
def load(fixtures_dir: Path | str, *, update: bool = False) -> dict[str, int]:
    """Create the calls and grants of the files that are missing; leave existing ones as they
    are unless `update`. Idempotent; one transaction; a bad record raises ReferenceDataError."""
    counts = Counts()
    for filename, load_record in FILES:
        for index, raw in enumerate(read_records(Path(fixtures_dir) / filename), start=1):
            where = f"{filename}: {record_name(raw, index)}"
            try:
                load_record(raw, update=update, counts=counts)
            except ReferenceDataError as error:
                raise ReferenceDataError(f"{where}: {error}") from None
            except (TypeError, AttributeError, ValueError, KeyError) as error:
                raise ReferenceDataError(f"{where}: malformed record ({error!r})") from None
    return counts.as_dict()
