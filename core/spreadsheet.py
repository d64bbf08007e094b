"""The one spreadsheet reader of the portal: every upload and import (JVAP uploads, the grants
import, the admin imports) reads its .xlsx or .csv file through here.

It owns what is the same for every sheet, whatever its columns mean:

- guards that protect the server before anything is parsed: the file's size; for an .xlsx, the
  number of zip members, their unpacked size (declared, then counted while unpacking) and
  compression ratio, and XML entity declarations anywhere in a part;
  a per-cell size cap; and a cap on data rows that stops reading early;
- CSV decoding (UTF-8 with or without BOM, else Windows-1252; binary data refused) and
  delimiter sniffing (the delimiter that finds the best header row wins);
- the search for the header row past banner and instruction rows, and row numbers as the
  spreadsheet program shows them;
- one refusal exception (`SheetRefused`) carrying located errors (`SheetError`: row, column,
  value, message), their summary by kind, and the workbook listing them all that a person can
  fix their file from.

A pure module: no database, no models, no settings of its own (limits are passed in), so
parsing runs the same in a test, a request or a background task; its messages are translated
with Django's gettext into the language active where they are raised. The meaning of the
columns (the JVAP rules, the grants rules) stays with each app.

Measured: a real-looking 50,000-row JVAP file (bench/imports.py's `write_spreadsheet`) is 3.8 MB
and unpacks to 50 MB (its sheet compresses 13:1; an openpyxl-written file of repeated rows
18:1), so the 100 MB unpacked cap and the 100:1 ratio cap leave real files twice the room they
need while refusing zip bombs (a sheet of blanks compresses about 1000:1) in a second.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MB = 1024 * 1024
# Characters one cell may hold: the csv module's own field limit (Excel's cells hold 32,767;
# openpyxl cuts an .xlsx cell there), so a long description exported by a tool still fits.
CELL_CHARS = 131_072


@dataclass(frozen=True)
class SheetLimits:
    """Limits that protect the server; each app reads its own from settings."""

    max_bytes: int = 20 * MB
    max_rows: int = 50_000
    max_unpacked_bytes: int = 100 * MB
    max_cell_chars: int = CELL_CHARS
    max_ratio: int = 100  # unpacked / packed size of one zip member larger than RATIO_FROM
    max_members: int = 1_000
    # Past this the reading stops: a file that takes longer is not one a person can fix from.
    max_seconds: float = 300


RATIO_FROM = 1 * MB  # small members (styles, themes) may compress better than any sheet


# --- Errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetError:
    """One problem, located as a person sees it in their spreadsheet.

    `kind` is a short label that groups errors of the same rule in a summary ("Countries not
    recognised"); `value` is the cell's text. JSON-serialisable with `as_dict`/`from_dict`.
    """

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    kind: str = ""

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

    @property
    def sentence(self) -> str:
        """The error as a sentence of its own, for a list of problems ("Row 3, column ...")."""
        text = str(self)
        return text[:1].upper() + text[1:]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> SheetError:
        return cls(**values)


class SheetRefused(Exception):
    """The file is refused: `errors` say where and why, `messages` as sentences.

    Raised for a refusal of the whole file (too large, not a spreadsheet, a bomb, too many
    rows) and by importers that refuse a file for the errors of its rows.
    """

    def __init__(self, *errors: SheetError | str):
        self.errors = [e if isinstance(e, SheetError) else SheetError(str(e)) for e in errors]
        self.messages = [error.sentence for error in self.errors]
        self.message = self.messages[0] if self.messages else ""
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class ErrorKind:
    """How many rows one kind of error touches, with the first of them."""

    kind: str
    rows: int
    first: tuple[SheetError, ...]

    def __str__(self) -> str:
        return _("%(count)s rows: %(kind)s") % {"count": f"{self.rows:,}", "kind": self.kind}


def summarise_errors(errors: Iterable[SheetError], *, first: int = 5) -> list[ErrorKind]:
    """Errors grouped by kind, most rows first: "412 rows: Countries not recognised", each
    with its `first` errors by sheet row and column."""
    rows: dict[str, set] = {}
    examples: dict[str, list[SheetError]] = {}
    for error in errors:
        kind = error.kind or error.column or error.message
        rows.setdefault(kind, set()).add(error.row)
        if len(examples.setdefault(kind, [])) < first:
            examples[kind].append(error)
    counts = Counter({kind: len(numbers) for kind, numbers in rows.items()})
    return [
        ErrorKind(kind=kind, rows=count, first=tuple(examples[kind]))
        for kind, count in counts.most_common()
    ]


def errors_workbook(errors: Iterable[SheetError]) -> bytes:
    """Every error as an .xlsx (row, column, value, message) that a person fixes a file from."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    sheet.append([_("Row"), _("Column"), _("Value"), _("Message")])
    for error in errors:
        sheet.append(
            [
                error.row,
                escape_formula(error.column or ""),
                escape_formula(error.value or ""),
                escape_formula(error.message),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Cells ----------------------------------------------------------------------------------

# Spreadsheet programs run cells that start with these as formulas (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text with a leading quote;
    `cell_text` removes that quote again when the file comes back."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each prefix is one character


def escape_formulas(cells: Iterable[Any]) -> list[Any]:
    """`escape_formula` of every cell of a row (the downloads' loop, without a call a cell)."""
    return [
        "'" + value if isinstance(value, str) and value[:1] in _FORMULA_STARTS else value
        for value in cells
    ]


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as yyyy-mm-dd, everything trimmed,
    and the quote of our own formula escape removed."""
    if value is None or value == "":
        return ""
    if type(value) is str:
        text = value
        if "\u00a0" in value or value[0].isspace() or value[-1].isspace():
            text = value.replace("\u00a0", " ").strip()
        if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
            return text[1:]
        return text
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\u00a0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def header_key(text: Any) -> str:
    """How header cells are compared: case and spacing do not matter."""
    return " ".join(str(text).casefold().split())


def column_letter(index: int) -> str:
    """The spreadsheet's name of the column at a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- The header row ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderSpec:
    """What a sheet's header row looks like: `aliases` map a header's key (`header_key`) to the
    column's name; the header row is the first of the first `search_rows` rows that names every
    column of `required` and at least `min_columns` columns."""

    aliases: Mapping[str, str]
    required: Collection[str] = ()
    min_columns: int = 1
    search_rows: int = 30

    def match(self, cells: Sequence[Any]) -> dict[int, str] | None:
        mapping: dict[int, str] = {}
        for index, cell in enumerate(cells):
            name = self.aliases.get(header_key(cell_text(cell)))
            if name and name not in mapping.values():
                mapping[index] = name
        found = set(mapping.values())
        if len(found) >= self.min_columns and all(name in found for name in self.required):
            return mapping
        return None

    def find(self, rows: Iterable[tuple[int, Sequence[Any]]]) -> tuple[int, dict[int, str]] | None:
        """(row number, column index -> name) of the header row, or None."""
        for number, cells in rows:
            if number > self.search_rows:
                return None
            mapping = self.match(cells)
            if mapping is not None:
                return number, mapping
        return None


# --- Files ------------------------------------------------------------------------------------

Source = bytes | str | os.PathLike | IO[bytes]


def _open(source: Source) -> IO[bytes]:
    """A seekable binary file for bytes, a path or an open file."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")  # noqa: SIM115 - closed by the caller
    return source


def _size(file: IO[bytes]) -> int:
    position = file.tell()
    size = file.seek(0, io.SEEK_END)
    file.seek(position)
    return size


def not_a_spreadsheet() -> SheetRefused:
    return SheetRefused(
        _(
            "This file is not a spreadsheet the portal can read. Upload the .xlsx template "
            "or a .csv file."
        )
    )


def entity_refusal() -> SheetRefused:
    return SheetRefused(
        _(
            "The spreadsheet contains XML entity declarations, which the portal refuses for "
            "safety. Save it again as a normal .xlsx file from your spreadsheet program."
        )
    )


def _unpacked_refusal(limits: SheetLimits) -> SheetRefused:
    return SheetRefused(
        _(
            "The spreadsheet unpacks to more than %(max)s MB, the most the portal accepts. "
            "Remove unused sheets, images or formatting, or split the file."
        )
        % {"max": round(limits.max_unpacked_bytes / MB, 1)}
    )


def binary_refusal() -> SheetRefused:
    return SheetRefused(
        _("This .csv file contains binary data, not text. Save the spreadsheet as CSV again.")
    )


def rows_refusal(limits: SheetLimits) -> SheetRefused:
    return SheetRefused(
        _(
            "The file has more than %(max)s data rows, the most one upload accepts. "
            "Split it into several files."
        )
        % {"max": f"{limits.max_rows:,}"}
    )


def time_refusal(limits: SheetLimits) -> SheetRefused:
    return SheetRefused(
        _(
            "Reading the file took longer than %(max)s seconds, the most the portal allows "
            "for one upload. Split it into smaller files."
        )
        % {"max": f"{limits.max_seconds:g}"}
    )


def cell_refusal(row: int, column: str | None, limits: SheetLimits) -> SheetRefused:
    return SheetRefused(
        SheetError(
            _("the cell holds more than %(max)s characters, the most the portal reads in a cell.")
            % {"max": f"{limits.max_cell_chars:,}"},
            row=row,
            column=column,
            kind=_("Cells too long"),
        )
    )


def check_size(size: int, limits: SheetLimits) -> None:
    if size > limits.max_bytes:
        raise SheetRefused(
            _("The file is larger than %(max)s MB, the most one upload accepts.")
            % {"max": round(limits.max_bytes / MB, 1)}
        )
    if size == 0:
        raise SheetRefused(_("The file is empty."))


_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 * MB


def check_archive(archive: zipfile.ZipFile, limits: SheetLimits) -> None:
    """Refuse zip bombs and XML entity declarations before openpyxl reads anything.

    Every part is unpacked once here, as a stream, before openpyxl sees it: the bytes are
    counted against the cap, every checksum is verified (a damaged part is refused here, not
    half-way through the rows), and XML parts are searched for DOCTYPE and ENTITY declarations
    anywhere in them, not only at the start.
    """
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise not_a_spreadsheet()
    if len(infos) > limits.max_members:
        raise not_a_spreadsheet()
    if sum(info.file_size for info in infos) > limits.max_unpacked_bytes:
        raise _unpacked_refusal(limits)
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _unpacked_refusal(limits)
    unpacked = 0
    for info in infos:
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_bytes:
                    raise _unpacked_refusal(limits)
                if info.filename.endswith((".xml", ".rels")) and any(
                    mark in tail + chunk for mark in _ENTITY_MARKS
                ):
                    raise entity_refusal()
                tail = chunk[-16:]


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether the error, or one it was raised from, is of the kind (openpyxl wraps them)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def check_zip(file: IO[bytes], limits: SheetLimits) -> None:
    """The .xlsx guards on an open file (`check_archive`); a damaged zip is not a spreadsheet."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, ValueError) as error:
        raise not_a_spreadsheet() from error
    with archive:
        try:
            check_archive(archive, limits)
        except SheetRefused:
            raise
        except Exception as error:  # a damaged member: bad header, CRC, compression, password
            raise not_a_spreadsheet() from error
    file.seek(0)


class SheetRows(Iterator[tuple[int, Sequence[Any]]]):
    """A sheet's numbered rows as a stream, with the number of its last row as the file
    announces it (an .xlsx's dimension, a .csv's line count; None when unknown): what
    progress is measured against; and the rows that hold any value, counted by a quick pass
    before the slow reading (`count_filled_rows`)."""

    def __init__(
        self,
        rows: Iterator[tuple[int, Sequence[Any]]],
        last_row: int | None,
        filled_rows: int | None = None,
    ):
        self._rows = rows
        self.last_row = last_row
        self.filled_rows = filled_rows

    def __next__(self) -> tuple[int, Sequence[Any]]:
        return next(self._rows)


def xlsx_rows(file: IO[bytes], limits: SheetLimits, header_rows: int = 0) -> SheetRows:
    """The first sheet's rows, numbered as the spreadsheet numbers them, streamed."""
    check_zip(file, limits)
    workbook = _open_workbook(file)
    try:
        worksheet = workbook.worksheets[0]
        # openpyxl's own handle on the sheet's XML part (ReadOnlyWorksheet._get_source).
        with worksheet._get_source() as part:
            filled = count_filled_rows(part)
        check_filled_rows(filled, limits, header_rows)
    except SheetRefused:
        workbook.close()
        raise
    except Exception as error:  # no sheet, or a damaged one
        workbook.close()
        raise not_a_spreadsheet() from error
    return SheetRows(_openpyxl_rows(workbook, limits), worksheet.max_row, filled)


# A sheet's row ends with </row> (any namespace prefix); it holds a value when a <v> (value)
# or <t> (inline text) element in it has something other than blanks.
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_FILLED = re.compile(rb"<(?:\w+:)?[vt](?:\s[^>]*)?>\s*[^<\s]")
_LONGEST_ROW = 8 * MB  # what is kept of a part without any row end (only an estimate is lost)


def count_filled_rows(part: IO[bytes]) -> int:
    """The rows of a worksheet's XML that hold any value, by a scan of the bytes: a second or
    so for 50,000 rows, where reading them cell by cell takes a minute. It lets a file with
    far too many rows be refused before the slow reading starts."""
    count, tail = 0, b""
    while chunk := part.read(_CHUNK):
        buffer = tail + chunk
        rows = _ROW_END.split(buffer)
        tail = rows.pop()[-_LONGEST_ROW:]
        count += sum(1 for row in rows if _FILLED.search(row))
    return count


def _open_workbook(file: IO[bytes]) -> Any:
    from defusedxml import DefusedXmlException

    try:
        from .xlsx_reading import ReadOnlyReader

        reader = ReadOnlyReader(file, read_only=True, data_only=True)
        reader.read()
        return reader.wb
    except Exception as error:  # openpyxl raises many kinds for damaged files
        if _caused_by(error, DefusedXmlException):
            raise entity_refusal() from error
        raise not_a_spreadsheet() from error


def _openpyxl_rows(workbook: Any, limits: SheetLimits) -> Iterator[tuple[int, Sequence[Any]]]:
    from defusedxml import DefusedXmlException

    try:
        # openpyxl yields one tuple per row from row 1, filling in rows missing from the file
        # (with no values: skipped later as blank rows), so the count is the row's number.
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for number, cells in enumerate(rows, start=1):
            _check_cells(number, cells, limits)
            yield number, cells
    except SheetRefused:
        raise
    except Exception as error:
        if _caused_by(error, DefusedXmlException):
            raise entity_refusal() from error
        raise not_a_spreadsheet() from error
    finally:
        workbook.close()


def _check_cells(number: int, cells: Sequence[Any], limits: SheetLimits) -> None:
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise cell_refusal(number, column_letter(index), limits)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or else Windows-1252; binary data is refused."""
    if b"\x00" in data[:65536]:
        raise binary_refusal()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise SheetRefused(
                _(
                    "This .csv file is neither UTF-8 nor Windows-1252 text. Save it as "
                    "“CSV UTF-8” from your spreadsheet program."
                )
            ) from error
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:65536]):
        raise binary_refusal()
    return text


CSV_DELIMITERS = (",", ";", "\t")


def sniff_delimiter(text: str, header: HeaderSpec) -> str:
    """The delimiter with which the sample's header row names the most columns (',' when
    none finds one)."""
    best, delimiter = -1, ","
    sample = text[:65536]
    for candidate in CSV_DELIMITERS:
        try:
            head = list(_numbered(csv.reader(io.StringIO(sample), delimiter=candidate)))
        except csv.Error:
            continue
        found = header.find(iter(head))
        score = len(found[1]) if found else 0
        if score > best:
            best, delimiter = score, candidate
    return delimiter


def csv_rows(text: str, header: HeaderSpec, limits: SheetLimits) -> SheetRows:
    """CSV records numbered as a spreadsheet numbers its rows, in the sniffed delimiter.

    The csv module's field limit is process-wide (frictionless raises it on import), so it is
    lifted to the file size here and the cell limit is checked by `_check_cells`, with its
    column, whatever was imported before."""
    if csv.field_size_limit() < limits.max_bytes:
        csv.field_size_limit(limits.max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, header))
    # Lines, not records (a cell may hold a line break): an estimate, for progress only.
    last_row = text.count("\n") + (not text.endswith("\n"))
    filled = _filled_records(text, reader)
    check_filled_rows(filled, limits, header.search_rows)
    return SheetRows(_csv_records(reader, limits), last_row, filled)


def _filled_records(text: str, reader: Any) -> int | None:
    """The records that hold any value (the csv module's quick pass: no cell is read)."""
    try:
        quick = csv.reader(io.StringIO(text, newline=""), dialect=reader.dialect)
        return sum(1 for cells in quick if any(cell.strip() for cell in cells))
    except csv.Error:
        return None  # the slow reading reports the damage where it is


def _csv_records(
    reader: Iterator[list[str]], limits: SheetLimits
) -> Iterator[tuple[int, Sequence[Any]]]:
    number = 0
    try:
        for number, cells in _numbered(reader):
            _check_cells(number, cells, limits)
            yield number, cells
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise cell_refusal(number + 1, None, limits) from error  # the csv module's own cap
        raise not_a_spreadsheet() from error


def _numbered(reader: Iterable[list[str]]) -> Iterator[tuple[int, Sequence[Any]]]:
    yield from enumerate(reader, start=1)


OLD_EXCEL = b"\xd0\xcf\x11\xe0"


def _checked_kind(file: IO[bytes], filename: str, limits: SheetLimits) -> str:
    """ "xlsx" or "csv", by the file's first bytes, after the size check."""
    check_size(_size(file), limits)
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.startswith(OLD_EXCEL):
        raise SheetRefused(
            _(
                "This is an old-style .xls workbook. Save it as .xlsx (Excel Workbook) or .csv "
                "and upload it again."
            )
        )
    if Path(filename).suffix.lower() not in {".csv", ".txt", ""}:
        raise not_a_spreadsheet()
    return "csv"


def sheet_rows(
    source: Source, filename: str, *, header: HeaderSpec, limits: SheetLimits
) -> SheetRows:
    """The rows of an .xlsx (first sheet) or .csv file as (row number, cells), after every
    file guard. `source` is bytes, a path or an open binary file. Raises `SheetRefused`."""
    file = _open(source)
    if _checked_kind(file, filename, limits) == "xlsx":
        return xlsx_rows(file, limits, header_rows=header.search_rows)
    return csv_rows(decode_csv(file.read()), header, limits)


def check_filled_rows(filled: int | None, limits: SheetLimits, header_rows: int) -> None:
    """Far more filled rows than the limit (banner and header rows aside): refused at once,
    before the slow reading (which stops at the limit itself whatever this count says)."""
    if filled is not None and filled > limits.max_rows + header_rows:
        raise rows_refusal(limits)


def checked_file(source: Source, filename: str, *, limits: SheetLimits) -> bytes | str:
    """Every file guard, for a reader that parses the file itself (the admin's imports):
    the bytes of an .xlsx, the decoded text of a .csv. Raises `SheetRefused`."""
    file = _open(source)
    if _checked_kind(file, filename, limits) == "xlsx":
        check_zip(file, limits)
        return file.read()
    return decode_csv(file.read())


# --- Tables -----------------------------------------------------------------------------------


# Called with (sheet rows read, sheet rows in all or None) while a table's rows are read.
Progress = Callable[[int, int | None], None]
PROGRESS_EVERY = 500  # rows between two progress reports


@dataclass
class Table:
    """A sheet after its header row: which column is which, and its data rows as a stream."""

    header_row: int
    columns: dict[int, str]
    header_cells: Sequence[Any]
    rows: Iterator[tuple[int, Sequence[Any]]] = field(repr=False)
    limits: SheetLimits = field(default_factory=SheetLimits)
    last_row: int | None = None
    progress: Progress | None = field(default=None, repr=False)
    # time.monotonic() past which the reading stops (limits.max_seconds after it started).
    deadline: float | None = None

    @property
    def unknown_headers(self) -> list[str]:
        """Header cells that name none of the sheet's columns."""
        return [
            text
            for index, cell in enumerate(self.header_cells)
            if index not in self.columns and (text := cell_text(cell))
        ]

    @property
    def total_rows(self) -> int | None:
        """The rows below the header, as the file announces them (None when unknown)."""
        return None if self.last_row is None else max(self.last_row - self.header_row, 0)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, column name -> raw cell) of each data row, blank rows skipped. Past
        `limits.max_rows` data rows, or `limits.max_seconds` of reading, it stops with
        `SheetRefused`, whatever the rows hold."""
        count = 0
        total = self.total_rows
        self._report(0, total)
        for number, cells in self.rows:
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise time_refusal(self.limits)
            if (number - self.header_row) % PROGRESS_EVERY == 0:
                self._report(number - self.header_row, total)
            values = {
                name: cells[index] if index < len(cells) else None
                for index, name in self.columns.items()
            }
            if all(value is None or cell_text(value) == "" for value in values.values()):
                continue
            count += 1
            if count > self.limits.max_rows:
                raise rows_refusal(self.limits)
            yield number, values
        self._report(total if total is not None else count, total)

    def _report(self, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(min(done, total) if total else done, total)


def no_header_refusal(header: HeaderSpec, expected: Iterable[str]) -> SheetRefused:
    return SheetRefused(
        _(
            "No header row was found in the first %(rows)s rows. The file must have "
            "a row with the template's column headers: %(headers)s."
        )
        % {"rows": header.search_rows, "headers": ", ".join(expected)}
    )


def read_table(
    source: Source,
    filename: str,
    *,
    header: HeaderSpec,
    limits: SheetLimits,
    expected: Iterable[str] = (),
    progress: Progress | None = None,
) -> Table:
    """Open a sheet, pass every file guard and find its header row. `expected` lists the
    columns in the message when no header row is found; `progress` hears how far the reading
    of the rows is. Raises `SheetRefused`."""
    deadline = time.monotonic() + limits.max_seconds
    rows = sheet_rows(source, filename, header=header, limits=limits)
    looked_at: list[tuple[int, Sequence[Any]]] = []

    def head() -> Iterator[tuple[int, Sequence[Any]]]:
        for item in rows:
            looked_at.append(item)
            yield item
            if item[0] >= header.search_rows:
                return

    found = header.find(head())
    if found is None:
        raise no_header_refusal(header, expected or sorted(set(header.aliases.values())))
    number, columns = found
    remaining = [item for item in looked_at if item[0] > number]
    return Table(
        header_row=number,
        columns=columns,
        header_cells=dict(looked_at)[number],
        rows=_chain(remaining, rows),
        limits=limits,
        last_row=rows.last_row,
        progress=progress,
        deadline=deadline,
    )


def _chain(*iterables: Iterable[Any]) -> Iterator[Any]:
    for iterable in iterables:
        yield from iterable
