"""The grants spreadsheet: one row per grant and one row per consortium member, in one sheet.

Staff keep the Facility's grants in this sheet; the admin imports it (all rows or none) and
exports the same layout, so a download can be edited and uploaded again. `COLUMNS` documents
every column; the admin's import page shows that documentation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.spreadsheet import (
    HeaderSpec,
    SheetError,
    SheetLimits,
    SheetRefused,
    cell_text,
    read_table,
)
from dialogues.models import Organisation

from .models import RESERVED_GRANT_SLUGS, ConsortiumMember, Grant

GRANT = "grant"
MEMBER = "member"


@dataclass(frozen=True)
class SheetColumn:
    name: str
    rows: str  # which rows use it: "grant", "member" or "both"
    required: bool
    help: Any


COLUMNS: list[SheetColumn] = [
    SheetColumn(
        "record",
        "both",
        True,
        gettext_lazy('"grant" for a grant row, "member" for a consortium member row.'),
    ),
    SheetColumn(
        "grant_reference",
        "both",
        True,
        gettext_lazy(
            "The grant's reference; a member row names the grant it belongs to, "
            "which must have its own row in the file."
        ),
    ),
    SheetColumn("title", GRANT, True, gettext_lazy("The grant's title in English.")),
    SheetColumn("title_fr", GRANT, False, gettext_lazy("The title in French.")),
    SheetColumn(
        "slug",
        GRANT,
        False,
        gettext_lazy("Part of the page address; made from the title when empty."),
    ),
    SheetColumn(
        "call",
        GRANT,
        True,
        gettext_lazy("The reference of the call for proposals, which must already exist."),
    ),
    SheetColumn("summary", GRANT, True, gettext_lazy("What the initiative does, in English.")),
    SheetColumn("summary_fr", GRANT, False, gettext_lazy("The summary in French.")),
    SheetColumn(
        "amount_eur",
        GRANT,
        True,
        gettext_lazy("Amount awarded in euros, a number of zero or more (e.g. 150000)."),
    ),
    SheetColumn(
        "co_financing_eur",
        GRANT,
        False,
        gettext_lazy("Co-financing in euros, zero or more; empty means 0."),
    ),
    SheetColumn("start", GRANT, True, gettext_lazy("Start date, YYYY-MM-DD.")),
    SheetColumn("end", GRANT, True, gettext_lazy("End date, YYYY-MM-DD, not before the start.")),
    SheetColumn("status", GRANT, True, gettext_lazy("ongoing, completed or suspended.")),
    SheetColumn(
        "countries",
        GRANT,
        False,
        gettext_lazy(
            "Countries of implementation as ISO codes separated by semicolons (SN; ML; NE)."
        ),
    ),
    SheetColumn(
        "dialogues",
        GRANT,
        False,
        gettext_lazy("Dialogue slugs separated by semicolons (rabat-process; khartoum-process)."),
    ),
    SheetColumn(
        "domains",
        GRANT,
        False,
        gettext_lazy("JVAP domain numbers 1 to 5, separated by semicolons."),
    ),
    SheetColumn("website", GRANT, False, gettext_lazy("The initiative's website.")),
    SheetColumn(
        "published",
        GRANT,
        False,
        gettext_lazy("yes to show the grant on the public pages; empty or no keeps it a draft."),
    ),
    SheetColumn("source_note", GRANT, False, gettext_lazy("Where the facts come from.")),
    SheetColumn(
        "organisation",
        MEMBER,
        True,
        gettext_lazy(
            "The organisation's name; an existing organisation is matched by name or "
            "slug, a new one is created."
        ),
    ),
    SheetColumn(
        "acronym",
        MEMBER,
        False,
        gettext_lazy("The organisation's acronym, for a new organisation."),
    ),
    SheetColumn(
        "organisation_type",
        MEMBER,
        False,
        gettext_lazy(
            "Required for a new organisation; for an existing one, empty or its recorded type."
        ),
    ),
    SheetColumn(
        "organisation_country",
        MEMBER,
        False,
        gettext_lazy(
            "ISO code of the country where it is based; for an existing one, empty or "
            "its recorded country."
        ),
    ),
    SheetColumn(
        "role",
        MEMBER,
        True,
        gettext_lazy("lead, co-applicant or affiliated; exactly one lead per grant."),
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_HEADERS = {"record", "grant_reference"}


# The portal's one refusal of a spreadsheet; `messages` name each row and column.
SpreadsheetRefused = SheetRefused
# The header row is the first of the first 30 rows that names at least two of the columns.
HEADER = HeaderSpec(aliases={name: name for name in COLUMN_NAMES}, min_columns=2)


def upload_limits() -> SheetLimits:
    """The server-protecting limits of a grants import, from settings."""
    return SheetLimits(
        max_bytes=settings.GRANTS_UPLOAD_MAX_BYTES, max_rows=settings.GRANTS_UPLOAD_MAX_ROWS
    )


@dataclass
class MemberRow:
    row: int
    organisation_name: str
    acronym: str
    organisation_type: str
    organisation_country: str
    role: str


@dataclass
class GrantRow:
    row: int
    reference: str
    values: dict[str, Any]
    countries: list[str]
    dialogues: list[str]
    domains: list[int]
    members: list[MemberRow] = field(default_factory=list)


# --- Reading --------------------------------------------------------------------------------


def read_rows(upload, filename: str) -> list[dict[str, Any]]:
    """The sheet's rows as dicts keyed by header, with `_row` the spreadsheet row number.

    The file passes the portal's spreadsheet guards (`core.spreadsheet`: size, zip bombs,
    entity declarations, binary CSV, rows) and must have the record and grant_reference
    columns and no unknown ones."""
    table = read_table(
        upload, filename, header=HEADER, limits=upload_limits(), expected=COLUMN_NAMES
    )
    present = set(table.columns.values())
    missing = sorted(REQUIRED_HEADERS - present)
    problems = []
    if missing:
        problems.append(
            SheetError(
                _("the columns %(columns)s are missing.") % {"columns": ", ".join(missing)},
                row=table.header_row,
            )
        )
    if unknown := table.unknown_headers:
        problems.append(
            SheetError(
                _("unknown columns %(columns)s; the columns are: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(COLUMN_NAMES)},
                row=table.header_row,
            )
        )
    if problems:
        raise SpreadsheetRefused(*problems)
    return [{**values, "_row": number} for number, values in table.records()]


# --- Checking -------------------------------------------------------------------------------


class _Checker:
    """Collects every problem of the file, so staff fix them all in one go."""

    def __init__(self):
        self.errors: list[SheetError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(SheetError(message, row=row, column=column))

    def text(self, values, column, required=False) -> str:
        text = cell_text(values.get(column))
        if required and not text:
            self.error(values["_row"], column, _("this column is required."))
        return text

    def date(self, values, column) -> datetime.date | None:
        value = values.get(column)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = self.text(values, column, required=True)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.error(
                values["_row"],
                column,
                _("“%(value)s” is not a date; write YYYY-MM-DD.") % {"value": text},
            )
            return None

    def amount(self, values, column, required) -> Decimal | None:
        text = self.text(values, column, required=required)
        if not text:
            return None if required else Decimal(0)
        try:
            amount = Decimal(text.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            self.error(values["_row"], column, _("“%(value)s” is not a number.") % {"value": text})
            return None
        if amount < 0:
            self.error(values["_row"], column, _("the amount cannot be negative."))
            return None
        return amount

    def choice(self, values, column, choices, required=True) -> str:
        text = self.text(values, column, required=required)
        if text and text not in dict(choices):
            self.error(
                values["_row"],
                column,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(dict(choices))},
            )
            return ""
        return text

    def country(self, values, column, text) -> str:
        code = text.strip().upper()
        if code and code not in countries:
            self.error(
                values["_row"],
                column,
                _("“%(value)s” is not an ISO country code.") % {"value": text},
            )
            return ""
        return code


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def check_rows(
    rows: list[dict[str, Any]], *, calls: dict, dialogues: set, domains: set
) -> list[GrantRow]:
    """Check every row against the rules and the records they name; refuse the whole file
    with every problem found, or return the grants with their members."""
    check = _Checker()
    grants: dict[str, GrantRow] = {}
    member_rows: list[tuple[str, MemberRow, dict]] = []
    for values in rows:
        row = values["_row"]
        record = check.text(values, "record", required=True).lower()
        reference = check.text(values, "grant_reference", required=True)
        if record == GRANT:
            grant = _check_grant(check, values, calls=calls, dialogues=dialogues, domains=domains)
            if reference in grants:
                check.error(
                    row,
                    "grant_reference",
                    _("the grant “%(reference)s” already has a row (row %(other)s).")
                    % {"reference": reference, "other": grants[reference].row},
                )
            elif reference and grant is not None:
                grants[reference] = GrantRow(row=row, reference=reference, **grant)
        elif record == MEMBER:
            member = MemberRow(
                row=row,
                organisation_name=check.text(values, "organisation", required=True),
                acronym=check.text(values, "acronym"),
                organisation_type=check.choice(
                    values, "organisation_type", Organisation.Type.choices, required=False
                ),
                organisation_country=check.country(
                    values, "organisation_country", check.text(values, "organisation_country")
                ),
                role=check.choice(values, "role", ConsortiumMember.Role.choices),
            )
            member_rows.append((reference, member, values))
        elif record:
            check.error(
                row, "record", _("“%(value)s” is neither “grant” nor “member”.") % {"value": record}
            )
    _attach_members(check, grants, member_rows)
    _check_leads(check, grants)
    if check.errors:
        raise SpreadsheetRefused(*check.errors)
    return list(grants.values())


def _attach_members(check: _Checker, grants: dict[str, GrantRow], member_rows) -> None:
    """Give each member row to the grant it names, once per organisation."""
    for reference, member, _values in member_rows:
        grant = grants.get(reference)
        if grant is None:
            if reference:
                check.error(
                    member.row,
                    "grant_reference",
                    _("no grant row in this file has the reference “%(reference)s”.")
                    % {"reference": reference},
                )
            continue
        if any(
            m.organisation_name.lower() == member.organisation_name.lower() for m in grant.members
        ):
            check.error(
                member.row,
                "organisation",
                _("“%(name)s” is already in this grant's consortium.")
                % {"name": member.organisation_name},
            )
            continue
        grant.members.append(member)


def _check_leads(check: _Checker, grants: dict[str, GrantRow]) -> None:
    for grant in grants.values():
        leads = [m for m in grant.members if m.role == ConsortiumMember.Role.LEAD]
        # A draft may wait for its consortium; a published grant shows its lead applicant.
        if len(leads) != 1 and (grant.members or grant.values["is_published"]):
            check.error(
                leads[1].row if len(leads) > 1 else grant.row,
                "role",
                _(
                    "the grant “%(reference)s” must have exactly one lead applicant; "
                    "it has %(count)s."
                )
                % {"reference": grant.reference, "count": len(leads)},
            )


def _check_grant(check: _Checker, values, *, calls, dialogues, domains) -> dict | None:
    row = values["_row"]
    errors_before = len(check.errors)
    call_reference = check.text(values, "call", required=True)
    if call_reference and call_reference not in calls:
        check.error(
            row,
            "call",
            _("no call for proposals has the reference “%(value)s”.") % {"value": call_reference},
        )
    start, end = check.date(values, "start"), check.date(values, "end")
    if start and end and end < start:
        check.error(
            row,
            "end",
            _("the end date %(end)s is before the start date %(start)s.")
            % {"end": end, "start": start},
        )
    country_codes = [
        check.country(values, "countries", code) for code in _split(check.text(values, "countries"))
    ]
    dialogue_slugs = _split(check.text(values, "dialogues"))
    for slug in dialogue_slugs:
        if slug not in dialogues:
            check.error(
                row, "dialogues", _("no dialogue has the slug “%(value)s”.") % {"value": slug}
            )
    domain_numbers = []
    for text in _split(check.text(values, "domains")):
        number = int(float(text)) if text.replace(".", "", 1).isdigit() else None
        if number not in domains:
            check.error(
                row,
                "domains",
                _("“%(value)s” is not a JVAP domain number (1 to 5).") % {"value": text},
            )
        else:
            domain_numbers.append(number)
    slug = check.text(values, "slug")
    if slug and (slug in RESERVED_GRANT_SLUGS or slug != slugify(slug)):
        check.error(
            row,
            "slug",
            _(
                "“%(value)s” cannot be a page address; use lower-case letters, digits "
                "and hyphens, and not “calls” or “export”."
            )
            % {"value": slug},
        )
    published = check.text(values, "published").lower()
    # Spreadsheet programs turn a typed TRUE into a boolean cell; read it as yes.
    if published not in {"", "yes", "no", "true", "false"}:
        check.error(row, "published", _("write yes or no."))
    grant = {
        "values": {
            "title": check.text(values, "title", required=True),
            "title_fr": check.text(values, "title_fr"),
            "slug": slug,
            "call": calls.get(call_reference),
            "summary": check.text(values, "summary", required=True),
            "summary_fr": check.text(values, "summary_fr"),
            "amount_eur": check.amount(values, "amount_eur", required=True),
            "co_financing_eur": check.amount(values, "co_financing_eur", required=False),
            "start": start,
            "end": end,
            "status": check.choice(values, "status", Grant.Status.choices),
            "website": check.text(values, "website"),
            "is_published": published in {"yes", "true"},
            "source_note": check.text(values, "source_note"),
        },
        "countries": sorted(set(filter(None, country_codes))),
        "dialogues": dialogue_slugs,
        "domains": domain_numbers,
    }
    return grant if len(check.errors) == errors_before else None


# --- Writing the sheet ----------------------------------------------------------------------


def sheet_rows(grants) -> list[list[Any]]:
    """The grants (with consortium, countries, dialogues, domains prefetched) as sheet rows,
    header first: the layout `read_rows` reads back."""
    rows: list[list[Any]] = [COLUMN_NAMES]
    for grant in grants:
        grant_values = {
            "record": GRANT,
            "grant_reference": grant.reference,
            "title": grant.title,
            "title_fr": grant.title_fr,
            "slug": grant.slug,
            "call": grant.call.reference,
            "summary": grant.summary,
            "summary_fr": grant.summary_fr,
            "amount_eur": grant.amount_eur,
            "co_financing_eur": grant.co_financing_eur,
            "start": grant.start.isoformat(),
            "end": grant.end.isoformat(),
            "status": grant.status,
            "countries": "; ".join(c.country.code for c in grant.countries.all()),
            "dialogues": "; ".join(d.slug for d in grant.dialogues.all()),
            "domains": "; ".join(str(d.number) for d in grant.domains.all()),
            "website": grant.website,
            "published": "yes" if grant.is_published else "no",
            "source_note": grant.source_note,
        }
        rows.append([grant_values.get(name, "") for name in COLUMN_NAMES])
        for member in grant.consortium.all():
            organisation = member.organisation
            member_values = {
                "record": MEMBER,
                "grant_reference": grant.reference,
                "organisation": organisation.name,
                "acronym": organisation.acronym,
                "organisation_type": organisation.type,
                "organisation_country": organisation.country.code if organisation.country else "",
                "role": member.role,
            }
            rows.append([member_values.get(name, "") for name in COLUMN_NAMES])
    return rows
