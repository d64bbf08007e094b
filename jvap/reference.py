"""The JVAP database's reference data: its reporting partners (`reporting_partners.json`).

The file names the dialogues whose members report to the JVAP database; every state and
organisation that is a current member of one of them (the dialogues' memberships, loaded just
before) becomes a reporting partner, so that after `make run` the secretariat only gives focal
points access. Follows the loaders' contract of core.reference; `load_reference_data` runs it
after the dialogues' loader it builds on.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from core.reference import (
    Counts,
    ReferenceDataError,
    check_fields,
    read_records,
    record_name,
    required,
)
from dialogues.models import Dialogue, Membership

from .models import ReportingPartner

PARTNERS_FILE = "reporting_partners.json"
PARTNER_FIELDS = {"dialogue", "source_note"}
SOURCE_NOTE_LENGTH = ReportingPartner._meta.get_field("source_note").max_length


def _reporting_dialogues(records: list[dict]) -> list[tuple[Dialogue, str]]:
    """The dialogues the file names, each with its source note, in the file's order."""
    named = []
    for index, raw in enumerate(records, start=1):
        try:
            check_fields(raw, PARTNER_FIELDS)
            slug, note = required(raw, "dialogue"), required(raw, "source_note")
            dialogue = Dialogue.objects.filter(slug=slug).first()
            if dialogue is None:
                raise ReferenceDataError(f"unknown dialogue ({slug!r})")
        except ReferenceDataError as error:
            raise ReferenceDataError(
                f"{PARTNERS_FILE}: {record_name(raw, index)}: {error}"
            ) from None
        named.append((dialogue, note))
    return named


def _source_note(dialogues: list[Dialogue], notes: dict[Dialogue, str]) -> str:
    """Why the partner reports: the dialogues it is a member of, and their sources."""
    names = ", ".join(dialogue.name for dialogue in dialogues)
    sources = " ".join(dict.fromkeys(notes[dialogue] for dialogue in dialogues))
    note = f"Member of {names} (memberships.json); reports to the JVAP database: {sources}"
    return note[:SOURCE_NOTE_LENGTH]


@transaction.atomic
def load(fixtures_dir: Path | str, *, update: bool = False) -> dict[str, int]:
    """Create a reporting partner for every current member of the reporting dialogues that has
    none; with `update`, bring the source notes of existing ones back in line. Idempotent."""
    named = _reporting_dialogues(read_records(Path(fixtures_dir) / PARTNERS_FILE))
    notes = dict(named)
    members = (
        Membership.objects.current()
        .filter(dialogue__in=notes, role=Membership.Role.MEMBER)
        .select_related("dialogue", "organisation")
        .order_by("dialogue__display_order", "country", "organisation__slug")
    )
    # One partner per state or organisation, whatever the number of dialogues it belongs to.
    dialogues_of: dict[tuple[str, int | None], list[Dialogue]] = {}
    for membership in members:
        key = (str(membership.country), membership.organisation_id)
        dialogues_of.setdefault(key, [])
        if membership.dialogue not in dialogues_of[key]:
            dialogues_of[key].append(membership.dialogue)
    counts = Counts()
    for (country, organisation_id), dialogues in dialogues_of.items():
        source_note = _source_note(dialogues, notes)
        participant = {"country": country} if country else {"organisation_id": organisation_id}
        partner = ReportingPartner.objects.filter(**participant).first()
        if partner is None:
            ReportingPartner(**participant, source_note=source_note).save()
            counts.created += 1
        elif update and partner.source_note != source_note:
            partner.source_note = source_note
            partner.save(update_fields=["source_note"])
            counts.updated += 1
    return counts.as_dict()
