"""Reading the JVAP spreadsheet template (.xlsx or .csv) into clean, validated rows.

A pure module: it needs no database and no Django models, so every parsing rule is unit-tested
on its own. Focal points do not fill the template in perfectly, so the reader is forgiving about
form (header position, order and case, CSV encodings and delimiters, number and date formats,
country names in English, French or as ISO codes) and strict about meaning: anything it cannot
read with certainty becomes an error naming the sheet row, the column header and the value.

Files are checked before parsing against limits that protect the server (file size, data rows,
uncompressed size of an .xlsx, XML entity declarations), each with its own message.
"""

from __future__ import annotations

import csv
import datetime
import gettext as gettext_module
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.text import fold


def _(message: str) -> str:
    """Translate with Django when it is configured; plain English otherwise (unit tests)."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(message)
    except ImportError:  # pragma: no cover - Django is always installed in the project
        pass
    return message


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

# The values of the closed columns, as stored, and as the template's drop-downs offer them.
TYPE_LABELS = {"project": "Project", "policy": "Policy"}
STATUS_LABELS = {"planned": "Planned", "ongoing": "Ongoing", "completed": "Completed"}
DIALOGUE_LABELS = {"rabat": "Rabat Process", "khartoum": "Khartoum Process", "both": "Both"}

# The five JVAP domains in English and French; the database's names are added at parse time.
DOMAIN_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "Development benefits of migration and addressing root causes of irregular migration "
        "and forced displacement",
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
class ParseLimits:
    """Limits that protect the server; the project reads them from settings."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 50_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class ParseError:
    """One problem, located as the focal point sees it in their spreadsheet."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


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


class FileRefused(Exception):
    """The whole file is refused before its rows are read (limits, not a spreadsheet...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Normalising text -------------------------------------------------------------------------

_STOPWORDS = frozenset({"the", "of", "and", "de", "du", "des", "la", "le", "les", "l", "d", "et"})


def name_key(text: str) -> str:
    """A key for names: folded words without 'the', 'of', punctuation, in any order."""
    words = re.findall(r"[a-z0-9]+", fold(text).replace("&", " and "))
    return " ".join(sorted(w for w in words if w not in _STOPWORDS))


def header_key(text: str) -> str:
    return " ".join(str(text).casefold().split())


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', everything trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\u00a0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]  # the quote our own downloads put before formula-like cells
    return text


FORMULA_STARTS = "=+-@\t\r"


# --- Countries --------------------------------------------------------------------------------

# Names people write that are neither django-countries' English nor French names.
COUNTRY_VARIANTS: dict[str, str] = {
    "Tanzania (United Republic of)": "TZ",
    "United Republic of Tanzania": "TZ",
    "Tanzania": "TZ",
    "Congo (Democratic Republic of)": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo, The Democratic Republic of the": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo-Kinshasa": "CD",
    "Congo (Republic of)": "CG",
    "Republic of the Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Congo Brazzaville": "CG",
    "Ivory Coast": "CI",
    "Cote d'Ivoire": "CI",
    "Cape Verde": "CV",
    "Czech Republic": "CZ",
    "Sao Tome and Principe": "ST",
    "São Tomé and Príncipe": "ST",
    "Swaziland": "SZ",
    "United Kingdom": "GB",
    "Great Britain": "GB",
    "UK": "GB",
    "United States": "US",
    "United States of America": "US",
    "USA": "US",
    "Netherlands": "NL",
    "Holland": "NL",
    "Libya": "LY",
    "Libyan Arab Jamahiriya": "LY",
    "Egypt": "EG",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Moldova": "MD",
    "Macedonia": "MK",
    "North Macedonia": "MK",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Vatican": "VA",
    "Holy See": "VA",
    "Republic of South Sudan": "SS",
    "Guinea Bissau": "GW",
    "Central African Republic": "CF",
    "CAR": "CF",
    "Gambia": "GM",
    "Republic of Guinea": "GN",
    "Mauritania": "MR",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "Korea": "KR",
    "South Korea": "KR",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Vietnam": "VN",
    "Laos": "LA",
    "Micronesia": "FM",
    "Slovak Republic": "SK",
    "Kyrgyz Republic": "KG",
    "Burma": "MM",
    "East Timor": "TL",
    "Republic of Cabo Verde": "CV",
    "Sao Tomé-et-Principe": "ST",
    "Congo (Brazzaville)": "CG",
    "Congo (Kinshasa)": "CD",
    "République démocratique du Congo": "CD",
    "RDC": "CD",
    "République du Congo": "CG",
    "Royaume-Uni": "GB",
    "Pays-Bas": "NL",
    "Tchéquie": "CZ",
    "République tchèque": "CZ",
}


def _english(name: Any) -> str:
    """django-countries' English name without needing Django's translation machinery."""
    args = getattr(name, "_args", None)
    return str(args[0]) if args else str(name)


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name key -> code, code in any case -> alpha-2, alpha-2 -> English name)."""
    import django_countries
    from django_countries.data import ALT_CODES, COUNTRIES

    english = {code: _english(name) for code, name in COUNTRIES.items()}
    locale_dir = Path(django_countries.__file__).parent / "locale"
    french = gettext_module.translation(
        "django", localedir=str(locale_dir), languages=["fr"], fallback=True
    )
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
    for text, code in COUNTRY_VARIANTS.items():
        key = name_key(text)
        names[key] = code  # variants are chosen by hand and win over accidental clashes
    codes: dict[str, str] = {}
    for code in english:
        codes[code.lower()] = code
        alt = ALT_CODES.get(code)
        if alt and alt[0]:
            codes[alt[0].lower()] = code
    return {k: v for k, v in names.items() if v}, codes, english


def country_name(code: str) -> str:
    """The English name django-countries uses for an alpha-2 code."""
    return _country_tables()[2][code]


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


def _split_list(text: str, separators: str = ";\n\r") -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", text) if part.strip()]


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


TYPE_VALUES = {"project": "project", "projet": "project", "policy": "policy", "politique": "policy"}
STATUS_VALUES = {
    "planned": "planned",
    "prevu": "planned",
    "ongoing": "ongoing",
    "en cours": "ongoing",
    "completed": "completed",
    "termine": "completed",
}
DIALOGUE_VALUES = {
    "rabat process": "rabat",
    "rabat": "rabat",
    "rp": "rabat",
    "processus de rabat": "rabat",
    "khartoum process": "khartoum",
    "khartoum": "khartoum",
    "kp": "khartoum",
    "processus de khartoum": "khartoum",
    "both": "both",
    "les deux": "both",
}


def parse_choice(text: str, values: Mapping[str, str], allowed: str) -> str:
    value = values.get(fold(text).rstrip("."))
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
        folded = fold(text)
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


# --- Reading rows -----------------------------------------------------------------------------

HEADER_ALIASES = {
    **{header_key(h): h for h in HEADERS},
    "budget": BUDGET,
    "budget eur": BUDGET,
    "budget (€)": BUDGET,
    "domain": DOMAIN,
    "jvap domains": DOMAIN,
    "main jvap domain": DOMAIN,
    "country": COUNTRIES,
    "implementing organisation": IMPLEMENTERS,
    "implementing organizations": IMPLEMENTERS,
    "donor": DONORS,
}


def find_header(rows: Iterable[tuple[int, Sequence[Any]]]) -> tuple[int, dict[int, str]] | None:
    """The first row among the first rows that names the Reference column and at least two
    other template columns: (its row number, column index -> header)."""
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        mapping = {}
        for index, cell in enumerate(cells):
            header = HEADER_ALIASES.get(header_key(cell_text(cell)))
            if header and header not in mapping.values():
                mapping[index] = header
        if REFERENCE in mapping.values() and len(mapping) >= 3:
            return number, mapping
    return None


class RowReader:
    """Turns raw rows (row number, cells) into EntryRows and errors."""

    def __init__(self, limits: ParseLimits, domain_names: Mapping[int, Iterable[str]] | None):
        self.limits = limits
        self.domains = DomainMatcher(domain_names)
        self.result = ParseResult()
        self.seen_references: dict[str, int] = {}

    def read(self, rows: Iterator[tuple[int, Sequence[Any]]]) -> ParseResult:
        result = self.result
        looked_at: list[tuple[int, Sequence[Any]]] = []

        def head() -> Iterator[tuple[int, Sequence[Any]]]:
            for item in rows:
                looked_at.append(item)
                yield item
                if item[0] >= HEADER_SEARCH_ROWS:
                    return

        found = find_header(head())
        if found is None:
            result.errors.append(
                ParseError(
                    _(
                        "No header row was found in the first %(rows)s rows. The file must have "
                        "a row with the template's column headers: %(headers)s."
                    )
                    % {"rows": HEADER_SEARCH_ROWS, "headers": ", ".join(HEADERS)}
                )
            )
            return result
        header_number, mapping = found
        result.header_row = header_number
        missing = [h for h in HEADERS if h not in mapping.values()]
        for header in missing:
            result.errors.append(
                ParseError(
                    _("The column “%(column)s” is missing from the header row.")
                    % {"column": header},
                    row=header_number,
                )
            )
        header_cells = dict(looked_at)[header_number]
        for index, cell in enumerate(header_cells):
            text = cell_text(cell)
            if index not in mapping and text:
                result.warnings.append(
                    _("The column “%(column)s” is not part of the template and was ignored.")
                    % {"column": text}
                )
        if missing:
            return result
        data_rows = 0
        remaining = (item for item in looked_at if item[0] > header_number)
        for number, cells in _chain(remaining, rows):
            values = {header: cells[i] if i < len(cells) else None for i, header in mapping.items()}
            if all(cell_text(v) == "" for v in values.values()):
                continue
            data_rows += 1
            if data_rows > self.limits.max_rows:
                result.errors.append(
                    ParseError(
                        _(
                            "The file has more than %(max)s data rows, the most one upload "
                            "accepts. Split it into several files."
                        )
                        % {"max": self.limits.max_rows}
                    )
                )
                result.rows.clear()
                return result
            self.read_row(number, values)
        if data_rows == 0:
            result.errors.append(
                ParseError(_("The file has a header row but no entries below it."))
            )
        return result

    def error(self, row: int, column: str, value: Any, message: str) -> None:
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
            )
        )

    def read_row(self, number: int, values: Mapping[str, Any]) -> None:
        errors_before = len(self.result.errors)
        text = {header: cell_text(value) for header, value in values.items()}

        def required(header: str) -> str:
            if not text[header]:
                self.error(number, header, "", _("This column must be filled in."))
            return text[header]

        reference = required(REFERENCE)
        if len(reference) > REFERENCE_MAX_LENGTH:
            self.error(
                number,
                REFERENCE,
                reference,
                _("longer than %(max)s characters.") % {"max": REFERENCE_MAX_LENGTH},
            )
        elif reference:
            key = reference.casefold()
            if key in self.seen_references:
                self.error(
                    number,
                    REFERENCE,
                    reference,
                    _("already used in row %(row)s of this file; each reference may appear once.")
                    % {"row": self.seen_references[key]},
                )
            else:
                self.seen_references[key] = number
        title = " ".join(required(TITLE).split())
        if len(title) > TITLE_MAX_LENGTH:
            self.error(
                number,
                TITLE,
                title,
                _("longer than %(max)s characters.") % {"max": TITLE_MAX_LENGTH},
            )

        def cell(header: str, reader: Callable[[], Any], default: Any = None) -> Any:
            try:
                return reader()
            except CellError as error:
                self.error(number, header, values[header], str(error))
                return default

        entry_type = ""
        if required(TYPE):
            entry_type = cell(
                TYPE, lambda: parse_choice(text[TYPE], TYPE_VALUES, "Project, Policy"), ""
            )
        domain = None
        if required(DOMAIN):
            domain = self.domains.match(text[DOMAIN])
            if domain is None:
                self.error(
                    number,
                    DOMAIN,
                    text[DOMAIN],
                    _("not a JVAP domain. Write a number from 1 to 5 or the domain's name."),
                )
        secondary: list[int] = []
        if text[SECONDARY_DOMAINS]:
            secondary, unknown = parse_list(text[SECONDARY_DOMAINS], self.domains.match)
            for value in unknown:
                self.error(
                    number,
                    SECONDARY_DOMAINS,
                    value,
                    _("not a JVAP domain. Write numbers from 1 to 5 separated by ';'."),
                )
        countries: list[str] = []
        if required(COUNTRIES):
            countries, unknown = parse_list(text[COUNTRIES], match_country)
            for value in unknown:
                self.error(
                    number,
                    COUNTRIES,
                    value,
                    _(
                        "not a country the portal recognises. Write the country's name in "
                        "English or French, or its ISO code (for example SN or SEN)."
                    ),
                )
        implementers = self.organisations(number, IMPLEMENTERS, text[IMPLEMENTERS])
        donors = self.organisations(number, DONORS, text[DONORS])
        budget = cell(BUDGET, lambda: parse_budget(values[BUDGET]))
        start = cell(START_DATE, lambda: parse_date(values[START_DATE], is_end=False))
        end = cell(END_DATE, lambda: parse_date(values[END_DATE], is_end=True))
        if start and end and end < start:
            self.error(
                number,
                END_DATE,
                values[END_DATE],
                _("before the start date (%(start)s).") % {"start": start.isoformat()},
            )
        status = ""
        if text[STATUS]:
            status = cell(
                STATUS,
                lambda: parse_choice(text[STATUS], STATUS_VALUES, "Planned, Ongoing, Completed"),
                "",
            )
        dialogue = ""
        if text[DIALOGUE]:
            dialogue = cell(
                DIALOGUE,
                lambda: parse_choice(
                    text[DIALOGUE], DIALOGUE_VALUES, "Rabat Process, Khartoum Process, Both"
                ),
                "",
            )
        website = cell(WEBSITE, lambda: parse_website(text[WEBSITE]), "")
        if len(self.result.errors) > errors_before or domain is None:
            return
        self.result.rows.append(
            EntryRow(
                row_number=number,
                reference=reference,
                title=title,
                type=entry_type,
                domain=domain,
                secondary_domains=tuple(sorted(set(secondary) - {domain})),
                countries=tuple(sorted(set(countries))),
                implementers=implementers,
                donors=donors,
                budget_eur=budget,
                start_date=start,
                end_date=end,
                status=status,
                dialogue=dialogue,
                description=text[DESCRIPTION],
                website=website,
            )
        )

    def organisations(self, number: int, header: str, text: str) -> tuple[str, ...]:
        names: list[str] = []
        for name in _split_list(text):
            name = " ".join(name.split())
            if len(name) > ORGANISATION_MAX_LENGTH:
                self.error(
                    number,
                    header,
                    name,
                    _("longer than %(max)s characters.") % {"max": ORGANISATION_MAX_LENGTH},
                )
            elif name not in names:
                names.append(name)
        return tuple(names)


def _chain(*iterables: Iterable[Any]) -> Iterator[Any]:
    for iterable in iterables:
        yield from iterable


# --- Files ------------------------------------------------------------------------------------


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _(
            "This file is not a spreadsheet the portal can read. Upload the .xlsx template "
            "or a .csv file."
        )
    )


def check_size(size: int, limits: ParseLimits) -> None:
    if size > limits.max_bytes:
        raise FileRefused(
            _("The file is larger than %(max)s MB, the most one upload accepts.")
            % {"max": round(limits.max_bytes / 1024 / 1024, 1)}
        )
    if size == 0:
        raise FileRefused(_("The file is empty."))


def check_xlsx_archive(archive: zipfile.ZipFile, limits: ParseLimits) -> None:
    """Refuse zip bombs and XML entity declarations before openpyxl reads anything."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _not_a_spreadsheet()
    total = sum(info.file_size for info in archive.infolist())
    if total > limits.max_uncompressed_bytes:
        raise FileRefused(
            _(
                "The spreadsheet unpacks to more than %(max)s MB, the most the portal accepts. "
                "Remove unused sheets, images or formatting, or split the file."
            )
            % {"max": round(limits.max_uncompressed_bytes / 1024 / 1024, 1)}
        )
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                start = part.read(4096)
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise _entity_refusal()


def _entity_refusal() -> FileRefused:
    return FileRefused(
        _(
            "The spreadsheet contains XML entity declarations, which the portal refuses for "
            "safety. Save it again as a normal .xlsx file from your spreadsheet program."
        )
    )


def xlsx_rows(data: bytes, limits: ParseLimits) -> Iterator[tuple[int, Sequence[Any]]]:
    """The first sheet's rows, numbered as the spreadsheet numbers them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise _not_a_spreadsheet() from error
    with archive:
        try:
            check_xlsx_archive(archive, limits)
        except FileRefused:
            raise
        except Exception as error:  # a damaged member: bad header, CRC, compression, password
            raise _not_a_spreadsheet() from error
    import openpyxl
    from defusedxml import DefusedXmlException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        if _caused_by(error, DefusedXmlException):
            raise _entity_refusal() from error
        raise _not_a_spreadsheet() from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            cells = tuple(cell.value for cell in row)
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            if number is None:
                continue  # an empty row openpyxl fills in; blank rows are skipped anyway
            yield number, cells
    except Exception as error:
        if _caused_by(error, DefusedXmlException):
            raise _entity_refusal() from error
        raise _not_a_spreadsheet() from error
    finally:
        workbook.close()


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether the error, or one it was raised from, is of the kind (openpyxl wraps them)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or else Windows-1252; binary data is refused."""
    if b"\x00" in data[:65536]:
        raise FileRefused(
            _("This .csv file contains binary data, not text. Save the spreadsheet as CSV again.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise FileRefused(
                _(
                    "This .csv file is neither UTF-8 nor Windows-1252 text. Save it as "
                    "“CSV UTF-8” from your spreadsheet program."
                )
            ) from error
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\r\n")
    if controls:
        raise FileRefused(
            _("This .csv file contains binary data, not text. Save the spreadsheet as CSV again.")
        )
    return text


def csv_rows(text: str) -> Iterator[tuple[int, Sequence[Any]]]:
    """CSV records numbered as a spreadsheet numbers its rows; ',' or ';' as delimiter."""
    delimiter = ","
    best = -1
    sample = text[:65536]
    for candidate in (",", ";"):
        try:
            head = list(_numbered(csv.reader(io.StringIO(sample), delimiter=candidate)))
        except csv.Error:
            continue
        found = find_header(iter(head))
        score = len(found[1]) if found else 0
        if score > best:
            best, delimiter = score, candidate
    try:
        yield from _numbered(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise _not_a_spreadsheet() from error


def _numbered(reader: Iterable[list[str]]) -> Iterator[tuple[int, Sequence[Any]]]:
    yield from enumerate(reader, start=1)


def parse_file(
    data: bytes,
    filename: str,
    *,
    limits: ParseLimits | None = None,
    domain_names: Mapping[int, Iterable[str]] | None = None,
) -> ParseResult:
    """Read a whole upload. Refusals of the file itself come back as a single error."""
    limits = limits or ParseLimits()
    try:
        check_size(len(data), limits)
        rows = _rows_of(data, filename, limits)
        return RowReader(limits, domain_names).read(rows)
    except FileRefused as refusal:
        return ParseResult(errors=[ParseError(refusal.message)])


def _rows_of(
    data: bytes, filename: str, limits: ParseLimits
) -> Iterator[tuple[int, Sequence[Any]]]:
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return xlsx_rows(data, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This is an old-style .xls workbook. Save it as .xlsx (Excel Workbook) or .csv "
                "and upload it again."
            )
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise _not_a_spreadsheet()
    if suffix not in {".csv", ".txt", ""}:
        raise _not_a_spreadsheet()
    return csv_rows(decode_csv(data))
