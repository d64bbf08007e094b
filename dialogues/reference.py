"""The dialogues' reference data: real facts kept as JSON in `fixtures/reference/`.

Each file holds `{"about": ..., "records": [...]}`; every record is found again by its natural
key (a slug, a domain number, a dialogue and a date...), never by a database id, so loading twice
creates nothing new. By default a record that exists already is left as it is, so that what the
secretariat corrected in the admin survives `make run`; `update=True` brings the reference fields
back in line with the files. Records the files no longer hold are never deleted: the
secretariat retires them in the admin.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

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


class ReferenceDataError(Exception):
    """A reference file cannot be loaded; the message names the file and the record."""


@dataclass
class Row:
    """One database row a fixture record stands for, with the key that finds it again."""

    model: type[models.Model]
    key: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    many: dict[str, list[models.Model]] = field(default_factory=dict)
    label: str = ""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


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


# --- Reading values -------------------------------------------------------------------------


def _required(raw: dict, name: str) -> Any:
    if raw.get(name) in (None, ""):
        raise ReferenceDataError(f"'{name}' is missing")
    return raw[name]


def _date(raw: dict, name: str) -> datetime.date | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReferenceDataError(f"'{name}' is not a date (YYYY-MM-DD): {value!r}") from None


def _money(raw: dict, name: str) -> Decimal | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ReferenceDataError(f"'{name}' is not an amount: {value!r}") from None


def _lines(raw: dict, name: str) -> str:
    """A list of lines in the file becomes the one-item-per-line text the models keep."""
    value = raw.get(name) or []
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise ReferenceDataError(f"'{name}' must be a list of lines")
    return "\n".join(str(line) for line in value)


def _texts(raw: dict, *names: str) -> dict[str, str]:
    return {name: raw.get(name) or "" for name in names}


def _dated_participants(
    model: type[models.Model],
    raw: dict,
    lookups: Lookups,
    *,
    key: dict[str, Any],
    texts: tuple[str, ...],
) -> Iterable[Row]:
    """One row per state or organisation a dated group names (memberships, seats, chairs).

    A group gives `countries` (ISO codes) and/or `organisations` (slugs), or one `country` or
    `organisation`, with the dialogue, dates and notes they share.
    """
    dialogue = lookups.dialogue(_required(raw, "dialogue"))
    start, end = _date(raw, "start"), _date(raw, "end")
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
                "start": start,
                **key,
            },
            {"end": end, **_texts(raw, *texts)},
            label=label,
        )


# --- One builder per file: fixture record -> rows ------------------------------------------


def _domains(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Domain,
        {"number": _required(raw, "number")},
        {
            "slug": _required(raw, "slug"),
            "name": _required(raw, "name"),
            **_texts(raw, "name_fr", "description", "description_fr", "source_note"),
        },
    )


def _organisations(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Organisation,
        {"slug": _required(raw, "slug")},
        {
            "name": _required(raw, "name"),
            "type": _required(raw, "type"),
            **_texts(
                raw,
                "name_fr",
                "acronym",
                "country",
                "website",
                "description",
                "description_fr",
                "source_note",
            ),
        },
    )


def _dialogues(raw: dict, lookups: Lookups) -> Iterable[Row]:
    slug = _required(raw, "slug")
    predecessor = raw.get("predecessor")
    yield Row(
        Dialogue,
        {"slug": slug},
        {
            "name": _required(raw, "name"),
            "short_name": _required(raw, "short_name"),
            "kind": _required(raw, "kind"),
            "summary": _required(raw, "summary"),
            "is_mmd_component": bool(raw.get("is_mmd_component", False)),
            "is_active": bool(raw.get("is_active", True)),
            "year_established": raw.get("year_established"),
            "concluded_year": raw.get("concluded_year"),
            "display_order": raw.get("display_order", 100),
            "predecessor": lookups.dialogue(predecessor) if predecessor else None,
            "objectives": _lines(raw, "objectives"),
            "objectives_fr": _lines(raw, "objectives_fr"),
            "principles": _lines(raw, "principles"),
            "principles_fr": _lines(raw, "principles_fr"),
            **_texts(
                raw,
                "name_fr",
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
        _check_fields(link, LINK_FIELDS, f"link {index}: ")
        yield Row(
            DialogueLink,
            {"dialogue": DialogueKey(slug), "url": _required(link, "url")},
            {"label": _required(link, "label")},
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
    if _date(raw, "start") is None:
        raise ReferenceDataError("'start' is missing")
    return _dated_participants(ChairTerm, raw, lookups, key={}, texts=("source_note",))


def _meetings(raw: dict, lookups: Lookups) -> Iterable[Row]:
    yield Row(
        Meeting,
        {"slug": _required(raw, "slug")},
        {
            "title": _required(raw, "title"),
            "type": _required(raw, "type"),
            "start_date": _date(raw, "start_date") or _required(raw, "start_date"),
            "end_date": _date(raw, "end_date"),
            "is_online": bool(raw.get("is_online", False)),
            "status": raw.get("status") or Meeting.Status.HELD,
            "participants_count": raw.get("participants_count"),
            **_texts(
                raw,
                "title_fr",
                "city",
                "country",
                "host",
                "co_chairs",
                "summary",
                "summary_fr",
                "source_note",
            ),
        },
        {
            "dialogues": [lookups.dialogue(slug) for slug in _required(raw, "dialogues")],
            "thematic_areas": [lookups.domain(number) for number in raw.get("thematic_areas", [])],
        },
    )


def _documents(raw: dict, lookups: Lookups) -> Iterable[Row]:
    meeting = raw.get("meeting")
    yield Row(
        Document,
        {"slug": _required(raw, "slug")},
        {
            "title": _required(raw, "title"),
            "kind": _required(raw, "kind"),
            "language": raw.get("language") or Document.Language.ENGLISH,
            "date": _date(raw, "date"),
            "url": _required(raw, "url"),
            "meeting": lookups.get(Meeting, "meeting", slug=meeting) if meeting else None,
            **_texts(raw, "title_fr", "description", "description_fr", "source_note"),
        },
        {"dialogues": [lookups.dialogue(slug) for slug in raw.get("dialogues", [])]},
    )


def _frameworks(raw: dict, lookups: Lookups) -> Iterable[Row]:
    slug = _required(raw, "slug")
    document = raw.get("document")
    yield Row(
        StrategicFramework,
        {"slug": slug},
        {
            "dialogue": lookups.dialogue(_required(raw, "dialogue")),
            "name": _required(raw, "name"),
            "kind": _required(raw, "kind"),
            "adopted_on": _date(raw, "adopted_on"),
            "period_start_year": raw.get("period_start_year"),
            "period_end_year": raw.get("period_end_year"),
            "is_current": bool(raw.get("is_current", False)),
            "document": lookups.get(Document, "document", slug=document) if document else None,
            **_texts(raw, "name_fr", "adopted_at", "summary", "summary_fr", "source_note"),
        },
    )
    parent_level = {
        FrameworkElement.Level.OBJECTIVE: FrameworkElement.Level.AREA,
        FrameworkElement.Level.ACTION: FrameworkElement.Level.OBJECTIVE,
    }
    for element in raw.get("elements") or []:
        _check_fields(element, ELEMENT_FIELDS, "element: ")
        level, number = _required(element, "level"), str(_required(element, "number"))
        parent = element.get("parent")
        if parent and level not in parent_level:
            raise ReferenceDataError(f"element {level} {number}: an {level} has no parent")
        yield Row(
            FrameworkElement,
            {"framework": FrameworkKey(slug), "level": level, "number": number},
            {
                "title": _required(element, "title"),
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
        {"name": _required(raw, "name")},
        {
            "start": _date(raw, "start"),
            "end": _date(raw, "end"),
            "budget_eur": _money(raw, "budget_eur"),
            "eu_contribution_eur": _money(raw, "eu_contribution_eur"),
            "donor": lookups.organisation(donor) if donor else None,
            "implementing_organisation": lookups.organisation(implementer) if implementer else None,
            "is_current": bool(raw.get("is_current", False)),
            "objectives": _lines(raw, "objectives"),
            "objectives_fr": _lines(raw, "objectives_fr"),
            "achievements": _lines(raw, "achievements"),
            "achievements_fr": _lines(raw, "achievements_fr"),
            **_texts(raw, "name_fr", "summary", "summary_fr", "source_note"),
        },
    )


Builder = Callable[[dict, Lookups], Iterable[Row]]

_PARTICIPANT = {"dialogue", "country", "countries", "organisation", "organisations", "start", "end"}
_TEXT = {"description", "description_fr", "source_note"}

# In the order they load: a file only points at records of the files above it. Each file's
# fields are listed so that a misspelt one is reported instead of silently ignored.
FILES: list[tuple[str, Builder, set[str]]] = [
    ("domains.json", _domains, {"number", "slug", "name", "name_fr", *_TEXT}),
    (
        "organisations.json",
        _organisations,
        {"slug", "name", "name_fr", "acronym", "type", "country", "website", *_TEXT},
    ),
    (
        "dialogues.json",
        _dialogues,
        {
            "slug", "name", "name_fr", "short_name", "kind", "is_mmd_component", "display_order",
            "year_established", "concluded_year", "founding_event", "founding_event_fr",
            "summary", "summary_fr", "objectives", "objectives_fr", "principles",
            "principles_fr", "contact_email", "website", "links", "is_active", "predecessor",
            *_TEXT,
        },
    ),
    ("memberships.json", _memberships, {*_PARTICIPANT, "role", "note", "note_fr", "source_note"}),
    (
        "steering_committees.json",
        _steering_committees,
        {*_PARTICIPANT, "note", "note_fr", "source_note"},
    ),
    ("chair_terms.json", _chair_terms, {*_PARTICIPANT, "source_note"}),
    (
        "meetings.json",
        _meetings,
        {
            "slug", "title", "title_fr", "type", "dialogues", "start_date", "end_date", "city",
            "country", "is_online", "host", "co_chairs", "summary", "summary_fr",
            "participants_count", "status", "thematic_areas", "source_note",
        },
    ),
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
            "slug", "dialogue", "kind", "name", "name_fr", "adopted_on", "adopted_at",
            "period_start_year", "period_end_year", "is_current", "summary", "summary_fr",
            "document", "elements", "source_note",
        },
    ),
    (
        "programme.json",
        _programme,
        {
            "name", "name_fr", "start", "end", "budget_eur", "eu_contribution_eur", "donor",
            "implementing_organisation", "is_current", "summary", "summary_fr", "objectives",
            "objectives_fr", "achievements", "achievements_fr", "source_note",
        },
    ),
]  # fmt: skip
LINK_FIELDS = {"label", "url"}
ELEMENT_FIELDS = {"level", "number", "parent", "domain", "title", "title_fr"}


def _check_fields(raw: dict, allowed: set[str], what: str = "") -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        raise ReferenceDataError(f"{what}unknown field {names}")


# --- Loading --------------------------------------------------------------------------------


def read_records(path: Path) -> list[dict]:
    """The records of one reference file, or a clear error naming it."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError(f"{path.name}: the file is missing from {path.parent}") from None
    except json.JSONDecodeError as error:
        raise ReferenceDataError(
            f"{path.name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    records = content.get("records") if isinstance(content, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ReferenceDataError(f'{path.name}: expected {{"records": [ {{...}}, ... ]}}')
    return records


def _record_name(raw: dict, index: int) -> str:
    for key in ("slug", "number", "name", "dialogue"):
        if raw.get(key) not in (None, ""):
            return f"record {index} ({raw[key]})"
    return f"record {index}"


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
                where = f"{filename}: {_record_name(raw, index)}"
                try:
                    _check_fields(raw, fields)
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
