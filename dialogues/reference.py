"""The dialogues' reference data: real facts kept as JSON in `fixtures/reference/`.

Each file holds `{"about": ..., "records": [...]}`; every record is found again by its natural
key (a slug, a domain number, a dialogue and a date...), never by a database id, so loading twice
creates nothing new. By default a record that exists already is left as it is, so that what the
secretariat corrected in the admin survives `make run`; `update=True` brings the reference fields
back in line with the files. Records the files no longer hold are never deleted: the
secretariat retires them in the admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from core.reference import (
    Counts,
    ReferenceDataError,
    check_fields,
    date,
    lines,
    money,
    precise_date,
    read_records,
    record_name,
    required,
    texts,
)

from .models import (
    ChairTerm,
    Dialogue,
    DialogueLink,
    Document,
    Domain,
    FrameworkElement,
    Meeting,
    Membership,
    Organisation,
    ProgrammePhase,
    SteeringCommitteeSeat,
    StrategicFramework,
)


@dataclass
class Row:
    """One database row a fixture record stands for, with the key that finds it again."""

    model: type[models.Model]
    key: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    many: dict[str, list[models.Model]] = field(default_factory=dict)
    label: str = ""


class Lookups:
    """Finds the records that other records point at by their natural key."""

    def __init__(self):
        self._cache: dict[tuple[type, Any], models.Model] = {}

    def get(self, model: type[models.Model], what: str, **key) -> models.Model:
        cache_key = (model, tuple(sorted(key.items())))
        if cache_key not in self._cache:
            try:
                self._cache[cache_key] = model.objects.get(**key)
            except model.DoesNotExist:
                shown = ", ".join(f"{name}={value!r}" for name, value in key.items())
                raise ReferenceDataError(f"unknown {what} ({shown})") from None
        return self._cache[cache_key]

    def dialogue(self, slug: str) -> Dialogue:
        return self.get(Dialogue, "dialogue", slug=slug)

    def organisation(self, slug: str) -> Organisation:
        return self.get(Organisation, "organisation", slug=slug)

    def domain(self, number: int) -> Domain:
        return self.get(Domain, "JVAP domain", number=number)


def _texts_of(raw: dict, names: tuple[str, ...]) -> dict[str, str]:
    return texts(raw, *names)


def _dated_participants(
    model: type[models.Model],
    raw: dict,
    lookups: Lookups,
    *,
    key: dict[str, Any],
    texts: tuple[str, ...],
    extra: dict[str, Any] | None = None,
) -> Iterable[Row]:
    """One row per state or organisation a dated group names (memberships, seats, chairs).

    A group gives `countries` (ISO codes) and/or `organisations` (slugs), or one `country` or
    `organisation`, with the dialogue, dates and notes they share.
    """
    dialogue = lookups.dialogue(required(raw, "dialogue"))
    start = precise_date(raw, "start")
    end = precise_date(raw, "end", last=True)
    countries = raw.get("countries") or ([raw["country"]] if raw.get("country") else [])
    organisations = raw.get("organisations") or (
        [raw["organisation"]] if raw.get("organisation") else []
    )
    if not countries and not organisations:
        raise ReferenceDataError("names neither a state nor an organisation")
    participants = [(code, None, code) for code in countries] + [
        ("", lookups.organisation(slug), slug) for slug in organisations
    ]
    for country, organisation, label in participants:
        yield Row(
            model,
            {
                "dialogue": dialogue,
                "country": country,
                "organisation": organisation,
                "start": start["start"],
                **key,
            },
            {
                "start_precision": start["start_precision"],
                **end,
                **(extra or {}),
                **_texts_of(raw, texts),
            },
            label=label,
        )


# --- One builder per file: fixture record -> rows ------------------------------------------


def _domains(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Domain,
        {"number": required(raw, "number")},
        {
            "slug": required(raw, "slug"),
            "name": required(raw, "name"),
            **texts(raw, "name_fr", "description", "description_fr", "source_note"),
        },
    )


def _organisations(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Organisation,
        {"slug": required(raw, "slug")},
        {
            "name": required(raw, "name"),
            "type": required(raw, "type"),
            **texts(
                raw,
                "name_fr",
                "acronym",
                "acronym_fr",
                "country",
                "website",
                "description",
                "description_fr",
                "source_note",
            ),
        },
    )


def _dialogues(raw: dict, lookups: Lookups) -> Iterable[Row]:
    slug = required(raw, "slug")
    predecessor = raw.get("predecessor")
    yield Row(
        Dialogue,
        {"slug": slug},
        {
            "name": required(raw, "name"),
            "short_name": required(raw, "short_name"),
            **texts(raw, "short_name_fr"),
            "kind": required(raw, "kind"),
            "summary": required(raw, "summary"),
            "is_mmd_component": bool(raw.get("is_mmd_component", False)),
            "is_active": bool(raw.get("is_active", True)),
            "year_established": raw.get("year_established"),
            "concluded_year": raw.get("concluded_year"),
            "display_order": raw.get("display_order", 100),
            "predecessor": lookups.dialogue(predecessor) if predecessor else None,
            "objectives": lines(raw, "objectives"),
            "objectives_fr": lines(raw, "objectives_fr"),
            "principles": lines(raw, "principles"),
            "principles_fr": lines(raw, "principles_fr"),
            **precise_date(raw, "records_as_of"),
            **texts(
                raw,
                "name_fr",
                "participants_description",
                "participants_description_fr",
                "founding_event",
                "founding_event_fr",
                "summary_fr",
                "description",
                "description_fr",
                "contact_email",
                "website",
                "source_note",
            ),
        },
    )
    for index, link in enumerate(raw.get("links") or [], start=1):
        check_fields(link, LINK_FIELDS, f"link {index}: ")
        yield Row(
            DialogueLink,
            {"dialogue": DialogueKey(slug), "url": required(link, "url")},
            {"label": required(link, "label")},
            label=f"link {index}",
        )


@dataclass(frozen=True)
class DialogueKey:
    """A dialogue named in the same record, resolved once that dialogue has been saved."""

    slug: str


def _memberships(raw: dict, lookups: Lookups) -> Iterable[Row]:
    role = raw.get("role") or Membership.Role.MEMBER
    return _dated_participants(
        Membership, raw, lookups, key={"role": role}, texts=("note", "note_fr", "source_note")
    )


def _steering_committees(raw: dict, lookups: Lookups) -> Iterable[Row]:
    return _dated_participants(
        SteeringCommitteeSeat, raw, lookups, key={}, texts=("note", "note_fr", "source_note")
    )


def _chair_terms(raw: dict, lookups: Lookups) -> Iterable[Row]:
    if date(raw, "start") is None:
        raise ReferenceDataError("'start' is missing")
    meeting = raw.get("meeting")
    return _dated_participants(
        ChairTerm,
        raw,
        lookups,
        key={},
        texts=("source_note",),
        extra={
            "handover_meeting": lookups.get(Meeting, "meeting", slug=meeting) if meeting else None
        },
    )


def _meetings(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Meeting,
        {"slug": required(raw, "slug")},
        {
            "title": required(raw, "title"),
            "type": required(raw, "type"),
            **_meeting_start(raw),
            "end_date": date(raw, "end_date"),
            "is_online": bool(raw.get("is_online", False)),
            "status": raw.get("status") or Meeting.Status.HELD,
            "participants_count": raw.get("participants_count"),
            **texts(
                raw,
                "title_fr",
                "city",
                "city_fr",
                "country",
                "host",
                "co_chairs",
                "summary",
                "summary_fr",
                "source_note",
            ),
        },
        {
            "dialogues": [lookups.dialogue(slug) for slug in required(raw, "dialogues")],
            "thematic_areas": [lookups.domain(number) for number in raw.get("thematic_areas", [])],
        },
    )


def _meeting_start(raw: dict) -> dict[str, Any]:
    required(raw, "start_date")
    return precise_date(raw, "start_date")


def _documents(raw: dict, lookups: Lookups) -> Iterable[Row]:
    meeting = raw.get("meeting")
    yield Row(
        Document,
        {"slug": required(raw, "slug")},
        {
            "title": required(raw, "title"),
            "kind": required(raw, "kind"),
            "language": raw.get("language") or Document.Language.ENGLISH,
            "date": date(raw, "date"),
            "url": required(raw, "url"),
            "meeting": lookups.get(Meeting, "meeting", slug=meeting) if meeting else None,
            **texts(raw, "title_fr", "description", "description_fr", "source_note"),
        },
        {"dialogues": [lookups.dialogue(slug) for slug in raw.get("dialogues", [])]},
    )


def _frameworks(raw: dict, lookups: Lookups) -> Iterable[Row]:
    slug = required(raw, "slug")
    document = raw.get("document")
    yield Row(
        StrategicFramework,
        {"slug": slug},
        {
            "dialogue": lookups.dialogue(required(raw, "dialogue")),
            "name": required(raw, "name"),
            "kind": required(raw, "kind"),
            **precise_date(raw, "adopted_on"),
            "period_start_year": raw.get("period_start_year"),
            "period_end_year": raw.get("period_end_year"),
            "is_current": bool(raw.get("is_current", False)),
            "document": lookups.get(Document, "document", slug=document) if document else None,
            **texts(
                raw,
                "name_fr",
                "adopted_at",
                "adopted_at_fr",
                "summary",
                "summary_fr",
                "source_note",
            ),
        },
    )
    parent_level = {
        FrameworkElement.Level.OBJECTIVE: FrameworkElement.Level.AREA,
        FrameworkElement.Level.ACTION: FrameworkElement.Level.OBJECTIVE,
    }
    for element in raw.get("elements") or []:
        check_fields(element, ELEMENT_FIELDS, "element: ")
        level, number = required(element, "level"), str(required(element, "number"))
        parent = element.get("parent")
        if parent and level not in parent_level:
            raise ReferenceDataError(f"element {level} {number}: an {level} has no parent")
        yield Row(
            FrameworkElement,
            {"framework": FrameworkKey(slug), "level": level, "number": number},
            {
                "title": required(element, "title"),
                "title_fr": element.get("title_fr") or "",
                "domain": lookups.domain(element["domain"]) if element.get("domain") else None,
                "parent": ElementKey(slug, parent_level[level], str(parent)) if parent else None,
            },
            label=f"element {level} {number}",
        )


@dataclass(frozen=True)
class FrameworkKey:
    slug: str


@dataclass(frozen=True)
class ElementKey:
    framework_slug: str
    level: str
    number: str


def _programme(raw: dict, lookups: Lookups) -> Iterable[Row]:
    donor, implementer = raw.get("donor"), raw.get("implementing_organisation")
    yield Row(
        ProgrammePhase,
        {"name": required(raw, "name")},
        {
            **precise_date(raw, "start"),
            **precise_date(raw, "end", last=True),
            "budget_eur": money(raw, "budget_eur"),
            "eu_contribution_eur": money(raw, "eu_contribution_eur"),
            "donor": lookups.organisation(donor) if donor else None,
            "implementing_organisation": lookups.organisation(implementer) if implementer else None,
            "is_current": bool(raw.get("is_current", False)),
            "objectives": lines(raw, "objectives"),
            "objectives_fr": lines(raw, "objectives_fr"),
            "achievements": lines(raw, "achievements"),
            "achievements_fr": lines(raw, "achievements_fr"),
            **texts(raw, "name_fr", "summary", "summary_fr", "source_note"),
        },
    )


Builder = Callable[[dict, Lookups], Iterable[Row]]

_PARTICIPANT = {
    "dialogue", "country", "countries", "organisation", "organisations",
    "start", "start_precision", "end", "end_precision",
}  # fmt: skip
_TEXT = {"description", "description_fr", "source_note"}

# In the order they load: a file only points at records of the files above it. Each file's
# fields are listed so that a misspelt one is reported instead of silently ignored.
FILES: list[tuple[str, Builder, set[str]]] = [
    ("domains.json", _domains, {"number", "slug", "name", "name_fr", *_TEXT}),
    (
        "organisations.json",
        _organisations,
        {"slug", "name", "name_fr", "acronym", "acronym_fr", "type", "country", "website", *_TEXT},
    ),
    (
        "dialogues.json",
        _dialogues,
        {
            "slug", "name", "name_fr", "short_name", "short_name_fr", "kind", "is_mmd_component",
            "display_order",
            "year_established", "concluded_year", "founding_event", "founding_event_fr",
            "summary", "summary_fr", "objectives", "objectives_fr", "principles",
            "principles_fr", "contact_email", "website", "links", "is_active", "predecessor",
            "participants_description", "participants_description_fr", "records_as_of",
            "records_as_of_precision", *_TEXT,
        },
    ),
    ("memberships.json", _memberships, {*_PARTICIPANT, "role", "note", "note_fr", "source_note"}),
    (
        "steering_committees.json",
        _steering_committees,
        {*_PARTICIPANT, "note", "note_fr", "source_note"},
    ),
    (
        "meetings.json",
        _meetings,
        {
            "slug", "title", "title_fr", "type", "dialogues", "start_date",
            "start_date_precision", "end_date", "city", "city_fr",
            "country", "is_online", "host", "co_chairs", "summary", "summary_fr",
            "participants_count", "status", "thematic_areas", "source_note",
        },
    ),
    ("chair_terms.json", _chair_terms, {*_PARTICIPANT, "meeting", "source_note"}),
    (
        "documents.json",
        _documents,
        {"slug", "title", "title_fr", "kind", "language", "date", "url", "dialogues", "meeting",
         *_TEXT},
    ),
    (
        "frameworks.json",
        _frameworks,
        {
            "slug", "dialogue", "kind", "name", "name_fr", "adopted_on", "adopted_on_precision",
            "adopted_at", "adopted_at_fr",
            "period_start_year", "period_end_year", "is_current", "summary", "summary_fr",
            "document", "elements", "source_note",
        },
    ),
    (
        "programme.json",
        _programme,
        {
            "name", "name_fr", "start", "start_precision", "end", "end_precision", "budget_eur",
            "eu_contribution_eur", "donor",
            "implementing_organisation", "is_current", "summary", "summary_fr", "objectives",
            "objectives_fr", "achievements", "achievements_fr", "source_note",
        },
    ),
]  # fmt: skip
LINK_FIELDS = {"label", "url"}
ELEMENT_FIELDS = {"level", "number", "parent", "domain", "title", "title_fr"}


# --- Loading --------------------------------------------------------------------------------


def _resolve(value: Any, lookups: Lookups) -> Any:
    """Turn a key to a record saved earlier in the same load into that record."""
    if isinstance(value, DialogueKey):
        return lookups.dialogue(value.slug)
    if isinstance(value, FrameworkKey):
        return lookups.get(StrategicFramework, "framework", slug=value.slug)
    if isinstance(value, ElementKey):
        return lookups.get(
            FrameworkElement,
            "framework element",
            framework__slug=value.framework_slug,
            level=value.level,
            number=value.number,
        )
    return value


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    current = getattr(obj, name)
    if isinstance(current, models.Model) or isinstance(value, models.Model):
        return getattr(current, "pk", None) != getattr(value, "pk", None)
    if current is None or value is None:
        return current != value
    # Countries, decimals and dates compare by their text, as the file gives them.
    return str(current) != str(value)


def _save(row: Row, lookups: Lookups, *, update: bool, counts: Counts) -> None:
    key = {name: _resolve(value, lookups) for name, value in row.key.items()}
    values = {name: _resolve(value, lookups) for name, value in row.fields.items()}
    obj = row.model.objects.filter(**key).first()
    if obj is None:
        obj = row.model(**key, **values)
        counts.created += 1
    elif update:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        many_changed = [
            name
            for name, targets in row.many.items()
            if set(getattr(obj, name).values_list("pk", flat=True)) != {t.pk for t in targets}
        ]
        if not changed and not many_changed:
            return
        for name in changed:
            setattr(obj, name, values[name])
        counts.updated += 1
    else:
        return
    try:
        # Uniqueness is what the natural key already looked up; the database constraints still
        # guard it, and checking them row by row here would triple the load time.
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
    except ValidationError as error:
        raise ReferenceDataError(_validation_message(error)) from None
    except IntegrityError as error:
        raise ReferenceDataError(f"clashes with an existing record ({error})") from None
    for name, targets in row.many.items():
        getattr(obj, name).set(targets)


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def load(fixtures_dir: Path | str, *, update: bool = False) -> dict[str, int]:
    """Load the dialogues' reference files from `fixtures_dir`; return created/updated counts.

    Records that exist already are left untouched unless `update` is set. Everything happens in
    one transaction: a bad record raises ReferenceDataError and nothing is written.
    """
    fixtures_dir = Path(fixtures_dir)
    counts = Counts()
    lookups = Lookups()
    with transaction.atomic():
        for filename, builder, fields in FILES:
            records = read_records(fixtures_dir / filename)
            numbered = (
                _predecessors_first(records)
                if builder is _dialogues
                else list(enumerate(records, start=1))
            )
            for index, raw in numbered:
                where = f"{filename}: {record_name(raw, index)}"
                try:
                    check_fields(raw, fields)
                    for row in builder(raw, lookups):
                        try:
                            _save(row, lookups, update=update, counts=counts)
                        except ReferenceDataError as error:
                            prefix = f"{row.label}: " if row.label else ""
                            raise ReferenceDataError(f"{prefix}{error}") from None
                except ReferenceDataError as error:
                    raise ReferenceDataError(f"{where}: {error}") from None
                except (TypeError, AttributeError, ValueError) as error:
                    raise ReferenceDataError(f"{where}: malformed record ({error})") from None
    return counts.as_dict()


def _predecessors_first(records: list[dict]) -> list[tuple[int, dict]]:
    """Dialogues in an order where each one's predecessor is saved before it."""
    numbered = list(enumerate(records, start=1))
    ordered: list[tuple[int, dict]] = []
    placed: set[str] = set()
    while numbered:
        ready = [
            (index, raw)
            for index, raw in numbered
            if not raw.get("predecessor") or raw["predecessor"] in placed
        ]
        if not ready:
            # An unknown predecessor: load the rest so that the error names the record.
            ready = numbered
        for item in ready:
            ordered.append(item)
            placed.add(item[1].get("slug"))
        numbered = [item for item in numbered if item not in ready]
    return ordered
