"""Reading the JVAP spreadsheet template (.xlsx or .csv) into clean, validated rows.

A pure module: it needs no database and no Django models, so every parsing rule is unit-tested
on its own. Focal points do not fill the template in perfectly, so the reader is forgiving about
form (header position, order and case, CSV encodings and delimiters, number and date formats,
country names in English, French or as ISO codes) and strict about meaning: anything it cannot
read with certainty becomes an error naming the sheet row, the column header and the value.

The file itself is opened by the portal's one spreadsheet reader (`core.spreadsheet`: file
guards, decoding, header search, row numbering, the row limit); what the columns mean is here,
in one declarative table (`COLUMNS`): each column's header, the other names people give it,
whether it must be filled in, and the function that reads its cell.
"""

from __future__ import annotations

import csv
import datetime
import gettext as gettext_module
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.spreadsheet import (
    HeaderSpec,
    Progress,
    SheetError,
    SheetLimits,
    SheetRefused,
    Source,
    Table,
    cell_text,
    header_key,
    read_table,
)
from core.text import fold

# The located error and the limits are the portal's own; JVAP code and tests name them so.
ParseError = SheetError
ParseLimits = SheetLimits


# --- The template's columns -------------------------------------------------------------------

REFERENCE = "Reference"
TITLE = "Title"
TYPE = "Type"
DOMAIN = "JVAP domain"
SECONDARY_DOMAINS = "Secondary domains"
COUNTRIES = "Countries"
IMPLEMENTERS = "Implementing organisations"
DONORS = "Donors"
BUDGET = "Budget (EUR)"
START_DATE = "Start date"
END_DATE = "End date"
STATUS = "Status"
DIALOGUE = "Dialogue"
DESCRIPTION = "Description"
WEBSITE = "Website"

HEADERS: tuple[str, ...] = (
    REFERENCE,
    TITLE,
    TYPE,
    DOMAIN,
    SECONDARY_DOMAINS,
    COUNTRIES,
    IMPLEMENTERS,
    DONORS,
    BUDGET,
    START_DATE,
    END_DATE,
    STATUS,
    DIALOGUE,
    DESCRIPTION,
    WEBSITE,
)

# How far down the header row may be (banner and instruction rows above it are skipped).
HEADER_SEARCH_ROWS = 30
REFERENCE_MAX_LENGTH = 100
TITLE_MAX_LENGTH = 500
ORGANISATION_MAX_LENGTH = 300
WEBSITE_MAX_LENGTH = 500
BUDGET_MAX = Decimal("99999999999999.99")
YEAR_MIN, YEAR_MAX = 1950, 2100

# The values of the closed columns: (code as stored, label in English, label in French). The
# template's drop-downs offer the English labels, the downloads write the labels of their
# language, and the reader accepts codes and labels in either language.
TYPE_CHOICES = (("project", "Project", "Projet"), ("policy", "Policy", "Politique"))
STATUS_CHOICES = (
    ("planned", "Planned", "Prévu"),
    ("ongoing", "Ongoing", "En cours"),
    ("completed", "Completed", "Terminé"),
)
DIALOGUE_CHOICES = (
    ("rabat", "Rabat Process", "Processus de Rabat"),
    ("khartoum", "Khartoum Process", "Processus de Khartoum"),
    ("both", "Both", "Les deux"),
)


@lru_cache(maxsize=64)
def labels(choices: Iterable[tuple[str, str, str]], language: str = "en") -> dict[str, str]:
    """Code -> label of a closed column's values, in English or French (made once: the
    downloads ask for them on every row)."""
    french = language.startswith("fr")
    return {code: fr if french else en for code, en, fr in choices}


TYPE_LABELS = labels(TYPE_CHOICES)
STATUS_LABELS = labels(STATUS_CHOICES)
DIALOGUE_LABELS = labels(DIALOGUE_CHOICES)

# The five JVAP domains in English and French; the database's names are added at parse time.
DOMAIN_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "Development benefits of migration and addressing root causes of irregular migration "
        "and forced displacement",
        # The official French text of the Valletta Action Plan, as in the reference data.
        "Avantages des migrations en termes de développement et lutte contre les causes "
        "profondes de la migration irrégulière et du phénomène des personnes déplacées",
        # The wording earlier templates used, still read.
        "Bénéfices des migrations en termes de développement et lutte contre les causes "
        "profondes de la migration irrégulière et du phénomène des personnes déplacées",
    ),
    2: ("Legal migration and mobility", "Migration légale et mobilité"),
    3: ("Protection and asylum", "Protection et asile"),
    4: (
        "Prevention of and fight against irregular migration, migrant smuggling and "
        "trafficking in human beings",
        "Prévention de la migration irrégulière, du trafic de migrants et de la traite des "
        "êtres humains, et lutte contre ces phénomènes",
    ),
    5: ("Return, readmission and reintegration", "Retour, réadmission et réintégration"),
}


@dataclass(frozen=True)
class EntryRow:
    """One entry as read from a spreadsheet row, every value normalised."""

    row_number: int
    reference: str
    title: str
    type: str
    domain: int
    secondary_domains: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    donors: tuple[str, ...] = ()
    budget_eur: Decimal | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: str = ""
    dialogue: str = ""
    description: str = ""
    website: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable: amounts and dates as text, lists as lists."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name, value in values.items():
            if isinstance(value, Decimal | datetime.date):
                values[name] = str(value) if isinstance(value, Decimal) else value.isoformat()
            elif isinstance(value, tuple):
                values[name] = list(value)
        return values

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> EntryRow:
        read = dict(values)
        for name in ("secondary_domains", "countries", "implementers", "donors"):
            read[name] = tuple(read.get(name) or ())
        if read.get("budget_eur") is not None:
            read["budget_eur"] = Decimal(read["budget_eur"])
        for name in ("start_date", "end_date"):
            if read.get(name):
                read[name] = datetime.date.fromisoformat(read[name])
        return cls(**read)


@dataclass
class ParseResult:
    """Rows read, errors found and warnings to show; a result with errors is refused whole."""

    rows: list[EntryRow] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_row: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable, so a background task can store the result of a parse."""
        return {
            "rows": [row.as_dict() for row in self.rows],
            "errors": [error.as_dict() for error in self.errors],
            "warnings": list(self.warnings),
            "header_row": self.header_row,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ParseResult:
        return cls(
            rows=[EntryRow.from_dict(row) for row in values["rows"]],
            errors=[SheetError.from_dict(error) for error in values["errors"]],
            warnings=list(values["warnings"]),
            header_row=values["header_row"],
        )


# --- Normalising text -------------------------------------------------------------------------

_STOPWORDS = frozenset({"the", "of", "and", "de", "du", "des", "la", "le", "les", "l", "d", "et"})


def name_key(text: str) -> str:
    """A key for names: folded words without 'the', 'of', punctuation, in any order."""
    words = re.findall(r"[a-z0-9]+", fold(text).replace("&", " and "))
    return " ".join(sorted(w for w in words if w not in _STOPWORDS))


# --- Countries --------------------------------------------------------------------------------

COUNTRY_VARIANTS_FILE = Path(__file__).with_name("country_variants.csv")


@lru_cache(maxsize=1)
def country_variants() -> dict[str, str]:
    """Names people write that are neither django-countries' English nor French names, with
    the code each stands for: data in `country_variants.csv`, not code."""
    with COUNTRY_VARIANTS_FILE.open(encoding="utf-8", newline="") as data:
        lines = (line for line in data if not line.startswith("#"))
        return {row["name"]: row["code"] for row in csv.DictReader(lines)}


def _english(name: Any) -> str:
    """django-countries' English name without needing Django's translation machinery."""
    args = getattr(name, "_args", None)
    return str(args[0]) if args else str(name)


@lru_cache(maxsize=1)
def _french_catalogue() -> gettext_module.NullTranslations:
    """django-countries' French names, read without Django's translation machinery."""
    import django_countries

    locale_dir = Path(django_countries.__file__).parent / "locale"
    return gettext_module.translation(
        "django", localedir=str(locale_dir), languages=["fr"], fallback=True
    )


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name key -> code, code in any case -> alpha-2, alpha-2 -> English name)."""
    from django_countries.data import ALT_CODES, COUNTRIES

    english = {code: _english(name) for code, name in COUNTRIES.items()}
    french = _french_catalogue()
    names: dict[str, str | None] = {}

    def add(text: str, code: str) -> None:
        key = name_key(text)
        if not key:
            return
        if key in names and names[key] != code:
            names[key] = None  # ambiguous: never guess
        else:
            names[key] = code

    for code, name in english.items():
        add(name, code)
        add(french.gettext(name), code)
    for text, code in country_variants().items():
        key = name_key(text)
        names[key] = code  # variants are chosen by hand and win over accidental clashes
    codes: dict[str, str] = {}
    for code in english:
        codes[code.lower()] = code
        alt = ALT_CODES.get(code)
        if alt and alt[0]:
            codes[alt[0].lower()] = code
    return {k: v for k, v in names.items() if v}, codes, english


@lru_cache(maxsize=1024)
def country_name(code: str, language: str = "en") -> str:
    """The name django-countries uses for an alpha-2 code, in English or French (the names
    `match_country` reads back); each looked up once (a download names tens of thousands)."""
    english = _country_tables()[2][code]
    return _french_catalogue().gettext(english) if language.startswith("fr") else english


@lru_cache(maxsize=4096)
def match_country(text: str) -> str | None:
    """The alpha-2 code a single country name or code stands for, or None."""
    names, codes, _english_names = _country_tables()
    text = text.strip().strip(".")
    if not text:
        return None
    key = name_key(text)
    if key in names:
        return names[key]
    if re.fullmatch(r"[A-Za-z]{2,3}", text):
        return codes.get(text.lower())
    return None


_LIST_SEPARATORS = re.compile(r"[;\n\r]")


def _split_list(text: str) -> list[str]:
    """The parts of a list cell between ';' and line breaks, trimmed, blanks left out."""
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _match_comma_list(text: str, match: Callable[[str], Any]) -> tuple[list[Any], list[str]]:
    """Split on commas only where the comma is not part of a name ('Congo, The Democratic
    Republic of the'): the longest run of comma-parts that is a name wins."""
    parts = [p.strip() for p in text.split(",")]
    found, unknown = [], []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            candidate = ", ".join(parts[i:j]).strip()
            value = match(candidate) if candidate else None
            if value is not None:
                found.append(value)
                i = j
                break
        else:
            if parts[i]:
                unknown.append(parts[i])
            i += 1
    return found, unknown


def parse_list(text: str, match: Callable[[str], Any]) -> tuple[list[Any], list[str]]:
    """Values separated by ';', line breaks, or commas that are not part of a value."""
    found, unknown = [], []
    for piece in _split_list(text):
        value = match(piece)
        if value is not None:
            found.append(value)
        else:
            more, bad = _match_comma_list(piece, match)
            found.extend(more)
            unknown.extend(bad)
    return found, unknown


# --- Cell rules -------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell's value cannot be read; the message says why in the focal point's words."""


def accepted_values(choices: Iterable[tuple[str, str, str]], **more: str) -> dict[str, str]:
    """Folded text -> code: the codes, both languages' labels, and other spellings."""
    values = {fold(text): code for code, en, fr in choices for text in (code, en, fr)}
    return {**values, **more}


TYPE_VALUES = accepted_values(TYPE_CHOICES)
STATUS_VALUES = accepted_values(STATUS_CHOICES)
DIALOGUE_VALUES = accepted_values(DIALOGUE_CHOICES, rp="rabat", kp="khartoum")


_fold_short = lru_cache(maxsize=1024)(fold)


def _fold_cell(text: str) -> str:
    """`fold` of a closed column's cell: a column holds a few short values tens of thousands
    of times, each folded once (long texts, never a valid value, are not kept)."""
    return _fold_short(text) if len(text) <= 200 else fold(text)


def parse_choice(text: str, values: Mapping[str, str], allowed: str) -> str:
    value = values.get(_fold_cell(text).rstrip("."))
    if value is None:
        raise CellError(_("not one of the accepted values (%(allowed)s).") % {"allowed": allowed})
    return value


class DomainMatcher:
    """Reads a JVAP domain: 1-5, 'Domain 3', '3. Protection and asylum' or its name."""

    _numbered = re.compile(r"^(?:domain|domaine)?\s*([1-5])(?:\s*[.):\-–]\s*.*)?$")

    def __init__(self, names: Mapping[int, Iterable[str]] | None = None):
        self.by_name: dict[str, int] = {}
        for table in (DOMAIN_NAMES, names or {}):
            for number, texts in table.items():
                for text in texts:
                    if text:
                        self.by_name[name_key(text)] = number

    def match(self, text: str) -> int | None:
        folded = _fold_cell(text)
        numbered = self._numbered.match(folded)
        if numbered:
            return int(numbered.group(1))
        return self.by_name.get(name_key(text))


_BUDGET_NUMBER = re.compile(r"^\d{1,3}(?:[,' ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def parse_budget(value: Any) -> Decimal | None:
    """A budget in euros: a number, or text with €/EUR and thousands separators."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("not an amount in euros."))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value)
        for space in ("\u00a0", "\u202f", "\u2009"):
            text = text.replace(space, " ")
        text = text.replace("’", "'").strip()
        text = re.sub(r"(?i)\s*(€|euros?|eur)\s*", " ", text).strip()
        negative = text.startswith("-")
        if negative:
            text = text[1:].strip()
        text = re.sub(r" +", " ", text)
        if not _BUDGET_NUMBER.match(text):
            raise CellError(
                _(
                    "not an amount in euros. Write digits, with '.' for decimals "
                    "(for example 1 250 000 or 1250000.50)."
                )
            )
        try:
            amount = Decimal(re.sub(r"[,' ]", "", text))
        except InvalidOperation as error:  # pragma: no cover - the pattern already checked
            raise CellError(_("not an amount in euros.")) from error
        if negative:
            amount = -amount
    if not amount.is_finite():
        raise CellError(_("not an amount in euros."))
    if amount < 0:
        raise CellError(_("negative; a budget cannot be below zero."))
    if amount > BUDGET_MAX:
        raise CellError(_("too large an amount."))
    return amount.quantize(Decimal("0.01"))


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_date(value: Any, *, is_end: bool) -> datetime.date | None:
    """A real date, yyyy-mm-dd, dd/mm/yyyy or a year (1 January, or 31 December for an end)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        text = cell_text(value)
        try:
            if match := _YEAR.match(text):
                year = int(match.group(1))
                date = datetime.date(year, 12, 31) if is_end else datetime.date(year, 1, 1)
            elif match := _ISO_DATE.match(text):
                date = datetime.date(*(int(g) for g in match.groups()))
            elif match := _DMY_DATE.match(text):
                day, month, year = (int(g) for g in match.groups())
                date = datetime.date(year, month, day)
            else:
                raise CellError(
                    _("not a date. Write yyyy-mm-dd, dd/mm/yyyy or a year such as 2024.")
                )
        except ValueError as error:
            if isinstance(error, CellError):
                raise
            raise CellError(_("not a date that exists in the calendar.")) from error
    if not YEAR_MIN <= date.year <= YEAR_MAX:
        raise CellError(
            _("outside the years %(min)s to %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return date


def parse_website(text: str) -> str:
    if not text:
        return ""
    if text.lower().startswith("www."):
        text = "https://" + text
    if not re.match(r"(?i)^https?://[^\s/$.?#][^\s]*\.[^\s]+$", text):
        raise CellError(_("not a web address (it should start with https:// or www.)."))
    if len(text) > WEBSITE_MAX_LENGTH:
        raise CellError(_("longer than %(max)s characters.") % {"max": WEBSITE_MAX_LENGTH})
    return text


# --- The columns -----------------------------------------------------------------------------


class Cell:
    """The cell of a data row a column reader is reading; `error` records a problem of it.
    One per row, moved from column to column (a 50,000-row file has 750,000 cells)."""

    __slots__ = ("row", "column", "raw", "text", "reader", "read")

    def __init__(self, reader: RowReader, row: int, read: dict):
        self.reader, self.row = reader, row
        self.read = read  # the values of the columns to the left, by EntryRow field

    def move_to(self, column: Column, raw: Any) -> Cell:
        self.column, self.raw, self.text = column, raw, cell_text(raw)
        return self

    def error(self, message: str, value: Any = None) -> None:
        self.reader.error(
            self.row,
            self.column.header,
            self.raw if value is None else value,
            message,
            kind=_(self.column.problem) if self.column.problem else "",
        )


@dataclass(frozen=True)
class Column:
    """One column of the JVAP template: its header in English (the template's, the public
    contract) and in French (French downloads; the reader accepts both), the other headers
    people write for it, the EntryRow field it fills, whether it must be filled in, how its
    cell is read (a function of the `Cell`, raising `CellError` or calling `cell.error`), and
    how its problems are named in a summary.

    The open data's dictionary describes the JVAP columns from here too (labels, `type` as a
    Table Schema type, `required`, the allowed values of `choices`, `example`), so that the
    template, the importer, the downloads and the published schema cannot drift apart."""

    header: str
    header_fr: str
    field: str
    read: Callable[[Cell], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    empty: Any = ""
    problem: str = ""
    type: str = "string"
    choices: tuple[tuple[str, str, str], ...] = ()
    example: str = ""

    def header_in(self, language: str) -> str:
        """The header in a language ("en" or "fr"; any other is English)."""
        return self.header_fr if language.startswith("fr") else self.header


def _read_reference(cell: Cell) -> str:
    reference = cell.text
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise CellError(_("longer than %(max)s characters.") % {"max": REFERENCE_MAX_LENGTH})
    seen = cell.reader.seen_references
    if reference.casefold() in seen:
        raise CellError(
            _("already used in row %(row)s of this file; each reference may appear once.")
            % {"row": seen[reference.casefold()]}
        )
    seen[reference.casefold()] = cell.row
    return reference


def _read_title(cell: Cell) -> str:
    title = " ".join(cell.text.split())
    if len(title) > TITLE_MAX_LENGTH:
        cell.error(_("longer than %(max)s characters.") % {"max": TITLE_MAX_LENGTH}, title)
    return title


def _choice(values: Mapping[str, str], allowed: str) -> Callable[[Cell], str]:
    return lambda cell: parse_choice(cell.text, values, allowed)


def _read_domain(cell: Cell) -> int | None:
    domain = cell.reader.domains.match(cell.text)
    if domain is None:
        cell.error(_("not a JVAP domain. Write a number from 1 to 5 or the domain's name."))
    return domain


def _listed(match: Callable[[Cell], Callable[[str], Any]], message: str) -> Callable[[Cell], list]:
    """A reader of a list of values; each value it cannot read is an error of its own."""

    def read(cell: Cell) -> list:
        found, unknown = parse_list(cell.text, match(cell))
        for value in unknown:
            cell.error(_(message), value)
        return found

    return read


def _read_organisations(cell: Cell) -> tuple[str, ...]:
    names: list[str] = []
    for name in _split_list(cell.text):
        name = " ".join(name.split())
        if len(name) > ORGANISATION_MAX_LENGTH:
            cell.error(
                _("longer than %(max)s characters.") % {"max": ORGANISATION_MAX_LENGTH}, name
            )
        elif name not in names:
            names.append(name)
    return tuple(names)


def _read_end_date(cell: Cell) -> datetime.date | None:
    end = parse_date(cell.raw, is_end=True)
    start = cell.read.get("start_date")
    if start and end and end < start:
        cell.error(_("before the start date (%(start)s).") % {"start": start.isoformat()})
    return end


COLUMNS: tuple[Column, ...] = (
    Column(
        REFERENCE,
        "Référence",
        "reference",
        _read_reference,
        required=True,
        problem=gettext_noop("References missing, too long or repeated"),
        example="SN-2024-001",
    ),
    Column(
        TITLE,
        "Titre",
        "title",
        _read_title,
        required=True,
        problem=gettext_noop("Titles missing or too long"),
        example="Support to labour migration governance",
    ),
    Column(
        TYPE,
        "Type",
        "type",
        _choice(TYPE_VALUES, "Project, Policy"),
        required=True,
        problem=gettext_noop("Types missing or not recognised"),
        choices=TYPE_CHOICES,
        example="project",
    ),
    Column(
        DOMAIN,
        "Domaine du PAVC",
        "domain",
        _read_domain,
        required=True,
        empty=None,
        aliases=(
            "domain",
            "jvap domains",
            "main jvap domain",
            "domaine",
            "domaine jvap",
            "domaine pavc",
        ),
        problem=gettext_noop("JVAP domains missing or not recognised"),
        type="integer",
        example="2",
    ),
    Column(
        SECONDARY_DOMAINS,
        "Domaines secondaires",
        "secondary_domains",
        _listed(
            lambda cell: cell.reader.domains.match,
            gettext_noop("not a JVAP domain. Write numbers from 1 to 5 separated by ';'."),
        ),
        empty=[],
        problem=gettext_noop("Secondary domains not recognised"),
        example="1; 3",
    ),
    Column(
        COUNTRIES,
        "Pays",
        "countries",
        _listed(
            lambda cell: match_country,
            gettext_noop(
                "not a country the portal recognises. Write the country's name in "
                "English or French, or its ISO code (for example SN or SEN)."
            ),
        ),
        required=True,
        empty=[],
        aliases=("country",),
        problem=gettext_noop("Countries missing or not recognised"),
        example="Senegal; Mali",
    ),
    Column(
        IMPLEMENTERS,
        "Organisations de mise en œuvre",
        "implementers",
        _read_organisations,
        empty=(),
        aliases=(
            "implementing organisation",
            "implementing organizations",
            "organisations de mise en oeuvre",
        ),
        problem=gettext_noop("Organisation names too long"),
        example="IOM; ICMPD",
    ),
    Column(
        DONORS,
        "Bailleurs",
        "donors",
        _read_organisations,
        empty=(),
        aliases=("donor", "bailleur", "bailleurs de fonds"),
        problem=gettext_noop("Organisation names too long"),
        example="European Union",
    ),
    Column(
        BUDGET,
        "Budget (EUR)",
        "budget_eur",
        lambda cell: parse_budget(cell.raw),
        empty=None,
        aliases=("budget", "budget eur", "budget (€)"),
        problem=gettext_noop("Budgets not read"),
        type="number",
        example="1250000",
    ),
    Column(
        START_DATE,
        "Date de début",
        "start_date",
        lambda cell: parse_date(cell.raw, is_end=False),
        empty=None,
        aliases=("date de debut",),
        problem=gettext_noop("Dates not read"),
        type="date",
        example="2022-01-01",
    ),
    Column(
        END_DATE,
        "Date de fin",
        "end_date",
        _read_end_date,
        empty=None,
        problem=gettext_noop("Dates not read"),
        type="date",
        example="2024-12-31",
    ),
    Column(
        STATUS,
        "État d’avancement",
        "status",
        _choice(STATUS_VALUES, "Planned, Ongoing, Completed"),
        aliases=("etat d’avancement", "état d'avancement", "etat d'avancement", "statut"),
        problem=gettext_noop("Statuses not recognised"),
        choices=STATUS_CHOICES,
        example="ongoing",
    ),
    Column(
        DIALOGUE,
        "Dialogue",
        "dialogue",
        _choice(DIALOGUE_VALUES, "Rabat Process, Khartoum Process, Both"),
        problem=gettext_noop("Dialogues not recognised"),
        choices=DIALOGUE_CHOICES,
        example="rabat",
    ),
    Column(DESCRIPTION, "Description", "description", lambda cell: cell.text),
    Column(
        WEBSITE,
        "Site web",
        "website",
        lambda cell: parse_website(cell.text),
        aliases=("site internet",),
        problem=gettext_noop("Websites not read"),
        example="https://example.org/project",
    ),
)
assert tuple(column.header for column in COLUMNS) == HEADERS


@dataclass(frozen=True)
class DerivedColumn:
    """A column the downloads add after the template's: the code beside a closed column's
    label, the name beside a domain's number, the ISO codes beside the country names. The
    reader ignores it without a warning, so a download re-imports as it is."""

    header: str
    header_fr: str

    def header_in(self, language: str) -> str:
        return self.header_fr if language.startswith("fr") else self.header


TYPE_CODE = DerivedColumn("Type (code)", "Type (code)")
DOMAIN_NAME = DerivedColumn("JVAP domain (name)", "Domaine du PAVC (nom)")
COUNTRY_CODES = DerivedColumn("Countries (ISO codes)", "Pays (codes ISO)")
STATUS_CODE = DerivedColumn("Status (code)", "État d’avancement (code)")
DIALOGUE_CODE = DerivedColumn("Dialogue (code)", "Dialogue (code)")
DERIVED_COLUMNS: tuple[DerivedColumn, ...] = (
    TYPE_CODE,
    DOMAIN_NAME,
    COUNTRY_CODES,
    STATUS_CODE,
    DIALOGUE_CODE,
)
DERIVED_HEADER_KEYS = frozenset(
    header_key(name) for column in DERIVED_COLUMNS for name in (column.header, column.header_fr)
)

# Every header a column is known by (its English and French headers, and other spellings).
HEADER_ALIASES = {
    header_key(name): column.header
    for column in COLUMNS
    for name in (column.header, column.header_fr, *column.aliases)
}
# The header row names the Reference column and at least two other template columns.
HEADER = HeaderSpec(
    aliases=HEADER_ALIASES, required=(REFERENCE,), min_columns=3, search_rows=HEADER_SEARCH_ROWS
)


# --- Reading rows -----------------------------------------------------------------------------


class RowReader:
    """Turns a sheet's data rows into EntryRows and errors, column by column (`COLUMNS`)."""

    def __init__(self, limits: ParseLimits, domain_names: Mapping[int, Iterable[str]] | None):
        self.limits = limits
        self.domains = DomainMatcher(domain_names)
        self.result = ParseResult()
        self.seen_references: dict[str, int] = {}

    def read(self, table: Table) -> ParseResult:
        result = self.result
        result.header_row = table.header_row
        for text in table.unknown_headers:
            if header_key(text) in DERIVED_HEADER_KEYS:
                continue  # a column of the portal's own downloads
            result.warnings.append(
                _("The column “%(column)s” is not part of the template and was ignored.")
                % {"column": text}
            )
        present = set(table.columns.values())
        for header in (h for h in HEADERS if h not in present):
            result.errors.append(
                ParseError(
                    _("The column “%(column)s” is missing from the header row.")
                    % {"column": header},
                    row=table.header_row,
                    kind=_("Columns missing"),
                )
            )
        if result.errors:
            return result
        for number, values in table.records():
            self.read_row(number, values)
        if not result.rows and not result.errors:
            result.errors.append(
                ParseError(_("The file has a header row but no entries below it."))
            )
        return result

    def error(self, row: int, column: str, value: Any, message: str, kind: str = "") -> None:
        text = cell_text(value)
        shown = text if len(text) <= 80 else text[:77] + "..."
        self.result.errors.append(
            ParseError(
                _("“%(value)s” is %(problem)s") % {"value": shown, "problem": message}
                if text
                else message,
                row=row,
                column=column,
                value=text,
                kind=kind,
            )
        )

    def read_row(self, number: int, values: Mapping[str, Any]) -> None:
        """Read each column's cell with its reader; a row with any error is not kept."""
        errors_before = len(self.result.errors)
        read: dict[str, Any] = {}
        cell = Cell(self, number, read)
        for column in COLUMNS:
            read[column.field] = self.read_cell(cell.move_to(column, values[column.header]))
        if len(self.result.errors) > errors_before or read["domain"] is None:
            return
        read["secondary_domains"] = tuple(sorted(set(read["secondary_domains"]) - {read["domain"]}))
        read["countries"] = tuple(sorted(set(read["countries"])))
        self.result.rows.append(EntryRow(row_number=number, **read))

    def read_cell(self, cell: Cell) -> Any:
        column = cell.column
        if not cell.text:
            if column.required:
                cell.error(_("This column must be filled in."), "")
            return column.empty
        try:
            return column.read(cell)
        except CellError as error:
            cell.error(str(error))
            return column.empty


def parse_file(
    data: Source,
    filename: str,
    *,
    limits: ParseLimits | None = None,
    domain_names: Mapping[int, Iterable[str]] | None = None,
    progress: Progress | None = None,
) -> ParseResult:
    """Read a whole upload (bytes, a path or an open binary file). Refusals of the file itself
    (more rows than the limit, a reading that takes too long) come back as a single error;
    `progress` hears how many of the sheet's rows are read."""
    limits = limits or ParseLimits()
    try:
        table = read_table(
            data, filename, header=HEADER, limits=limits, expected=HEADERS, progress=progress
        )
        return RowReader(limits, domain_names).read(table)
    except SheetRefused as refusal:
        return ParseResult(errors=refusal.errors)
