"""The contract every app's reference data loader follows (`load_reference_data` runs them).

- **Files**: JSON in `fixtures/reference/`, each `{"about": "...", "records": [{...}, ...]}`,
  read with `read_records()`. A record names the records it points at by natural key (a slug,
  a number, a dialogue and a date), never by a database id, and keeps a `source_note`.
- **Loader**: `load(fixtures_dir, *, update=False) -> {"created": n, "updated": n}`. Records
  that exist already are left as the secretariat edited them unless `update`; loading twice
  creates nothing. Every record created or updated is counted.
- **Errors**: a file that cannot be loaded raises `ReferenceDataError`, whose message names the
  file and the record; the command turns it into a message, never a traceback.

The small readers below (`required`, `date`, `money`...) turn a record's values into model
values and raise `ReferenceDataError` for anything else, so that loaders stay declarative.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .dates import DatePrecision, truncate

Loader = Callable[..., dict[str, int]]


class ReferenceDataError(Exception):
    """A reference file cannot be loaded; the message names the file and the record."""


@dataclass
class Counts:
    """Records a loader created and updated."""

    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


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


def record_name(raw: dict, index: int) -> str:
    """How an error names a record: its position and its natural key where it has one."""
    for key in ("slug", "reference", "number", "name", "dialogue"):
        if raw.get(key) not in (None, ""):
            return f"record {index} ({raw[key]})"
    return f"record {index}"


def check_fields(raw: dict, allowed: set[str], what: str = "") -> None:
    """A misspelt field is reported rather than silently ignored."""
    unknown = sorted(set(raw) - allowed)
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        raise ReferenceDataError(f"{what}unknown field {names}")


def required(raw: dict, name: str) -> Any:
    if raw.get(name) in (None, ""):
        raise ReferenceDataError(f"'{name}' is missing")
    return raw[name]


def date(raw: dict, name: str) -> datetime.date | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReferenceDataError(f"'{name}' is not a date (YYYY-MM-DD): {value!r}") from None


def precise_date(raw: dict, name: str, *, last: bool = False) -> dict[str, Any]:
    """A date and its `<name>_precision` (a day unless the record says "month" or "year"),
    with the date kept as the model keeps it (see core.dates.PreciseDatesMixin)."""
    precision = raw.get(f"{name}_precision") or DatePrecision.DAY
    if precision not in DatePrecision.values:
        allowed = ", ".join(DatePrecision.values)
        raise ReferenceDataError(f"'{name}_precision' must be one of {allowed}: {precision!r}")
    return {
        name: truncate(date(raw, name), precision, last=last),
        f"{name}_precision": precision,
    }


def money(raw: dict, name: str) -> Decimal | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ReferenceDataError(f"'{name}' is not an amount: {value!r}") from None


def integer(raw: dict, name: str) -> int | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReferenceDataError(f"'{name}' is not a whole number: {value!r}")
    return value


def texts(raw: dict, *names: str) -> dict[str, str]:
    """Text fields, empty where the record leaves them out (the sources are silent)."""
    return {name: raw.get(name) or "" for name in names}


def lines(raw: dict, name: str) -> str:
    """A list of lines in the file becomes the one-item-per-line text the models keep."""
    value = raw.get(name) or []
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise ReferenceDataError(f"'{name}' must be a list of lines")
    return "\n".join(str(line) for line in value)
