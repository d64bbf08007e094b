"""The corpus of bad JVAP uploads: each file, and the message it must be refused with.

`python tests/jvap/bad_files/build.py` writes them into this folder (the oversized one is only
built in memory by the tests, it is too big to keep in the repository).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
# The parser's messages are Django's translations: run as a script, it configures Django too.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmd_portal.settings.base")
import django  # noqa: E402

django.setup()

from jvap.spreadsheet import HEADERS  # noqa: E402
from tests.jvap.sheets import GOOD, csv_bytes, row, xlsx_bytes  # noqa: E402


@dataclass(frozen=True)
class BadFile:
    name: str
    build: Callable[[], bytes]
    message: str  # a part of the first problem line the refusal prints
    committed: bool = True


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real .xlsx whose first sheet's XML is replaced."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD])))
    parts = {info.filename: original.read(info) for info in original.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return _zip(parts)


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def entity_bomb() -> bytes:
    return _xlsx_with_sheet(ENTITY_BOMB)


def entity_bomb_after_a_long_comment() -> bytes:
    """The declaration is hidden past the first bytes: defusedxml must still stop it."""
    head, rest = ENTITY_BOMB.split(b"\n", 1)
    return _xlsx_with_sheet(head + b"\n<!--" + b" " * 10_000 + b"-->\n" + rest)


@lru_cache(maxsize=1)
def zip_bomb() -> bytes:
    """A small .xlsx whose sheet unpacks to more than the 100 MB limit."""
    buffer = io.BytesIO()
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, original.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(210):
                part.write(chunk)
    return buffer.getvalue()


def oversized() -> bytes:
    data = csv_bytes([GOOD])
    return data + b" " * (20 * 1024 * 1024 + 1 - len(data))


def one_bad(**cells) -> Callable[[], bytes]:
    return lambda: csv_bytes([GOOD, row(Reference="2", **cells)])


def without(column: str) -> bytes:
    headers = [h for h in HEADERS if h != column]
    return csv_bytes([GOOD], headers=headers)


BAD_FILES: list[BadFile] = [
    BadFile(
        "not_a_spreadsheet.pdf",
        lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "is not a spreadsheet",
    ),
    BadFile(
        "picture_renamed.xlsx",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "is not a spreadsheet",
    ),
    BadFile("zip_of_text.xlsx", lambda: _zip({"notes.txt": b"hello"}), "is not a spreadsheet"),
    BadFile(
        "old_excel.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "old-style .xls",
    ),
    BadFile("empty.csv", lambda: b"", "The file is empty."),
    BadFile(
        "binary_nul.csv", lambda: b"Reference,Title\n\x00\x01\x02\x03" * 10, "contains binary data"
    ),
    BadFile(
        "binary_controls.csv", lambda: bytes(range(1, 32)) * 20 + b",x\n", "contains binary data"
    ),
    BadFile(
        "utf16.csv", lambda: csv_bytes([GOOD]).decode().encode("utf-16"), "contains binary data"
    ),
    BadFile("headers_only.csv", lambda: csv_bytes([]), "has a header row but no entries"),
    BadFile("headers_only.xlsx", lambda: xlsx_bytes([]), "has a header row but no entries"),
    BadFile(
        "no_header_row.csv",
        lambda: b"1003,Training,Project,4\n1004,Other,Policy,2\n",
        "No header row was found",
    ),
    BadFile(
        "wrong_headers.csv",
        lambda: b"Ref,Name,Kind,Area\n1003,Training,Project,4\n",
        "No header row was found",
    ),
    BadFile(
        "missing_countries_column.csv",
        lambda: without("Countries"),
        "The column “Countries” is missing",
    ),
    BadFile(
        "missing_budget_column.xlsx",
        lambda: xlsx_bytes([GOOD], headers=[h for h in HEADERS if h != "Budget (EUR)"]),
        "The column “Budget (EUR)” is missing",
    ),
    BadFile(
        "empty_title.csv", one_bad(Title=""), "row 3, column Title: This column must be filled in."
    ),
    BadFile("title_too_long.csv", one_bad(Title="x" * 501), "row 3, column Title:"),
    BadFile(
        "reference_too_long.csv",
        lambda: csv_bytes([row(Reference="R" * 101)]),
        "row 2, column Reference:",
    ),
    BadFile(
        "duplicate_reference.csv",
        lambda: csv_bytes([GOOD, row(Title="Again")]),
        "row 3, column Reference: “1003” is already used in row 2",
    ),
    BadFile(
        "bad_type.csv", one_bad(Type="Programme"), "row 3, column Type: “Programme” is not one of"
    ),
    BadFile(
        "bad_domain.csv",
        one_bad(**{"JVAP domain": "7"}),
        "row 3, column JVAP domain: “7” is not a JVAP domain",
    ),
    BadFile(
        "bad_secondary_domain.csv",
        one_bad(**{"Secondary domains": "2; Health"}),
        "row 3, column Secondary domains: “Health”",
    ),
    BadFile(
        "unknown_country.csv",
        one_bad(Countries="Niger; Wakanda"),
        "row 3, column Countries: “Wakanda”",
    ),
    BadFile(
        "missing_country.csv",
        one_bad(Countries=""),
        "row 3, column Countries: This column must be filled in.",
    ),
    BadFile(
        "negative_budget.csv",
        one_bad(**{"Budget (EUR)": "-1 000"}),
        "row 3, column Budget (EUR): “-1 000” is negative",
    ),
    BadFile(
        "text_budget.csv",
        one_bad(**{"Budget (EUR)": "about a million"}),
        "row 3, column Budget (EUR): “about a million” is not an amount",
    ),
    BadFile(
        "decimal_comma_budget.csv",
        one_bad(**{"Budget (EUR)": "1250,50"}),
        "row 3, column Budget (EUR): “1250,50” is not an amount",
    ),
    BadFile(
        "unreadable_date.csv",
        one_bad(**{"Start date": "spring 2020"}),
        "row 3, column Start date: “spring 2020” is not a date",
    ),
    BadFile(
        "impossible_date.csv",
        one_bad(**{"End date": "31/02/2023"}),
        "row 3, column End date: “31/02/2023” is not a date that exists",
    ),
    BadFile(
        "end_before_start.csv",
        one_bad(**{"Start date": "2022-05-01", "End date": "2021"}),
        "row 3, column End date: “2021” is before the start date (2022-05-01).",
    ),
    BadFile(
        "bad_status.csv",
        one_bad(Status="Suspended"),
        "row 3, column Status: “Suspended” is not one of",
    ),
    BadFile(
        "bad_dialogue.csv",
        one_bad(Dialogue="Budapest"),
        "row 3, column Dialogue: “Budapest” is not one of",
    ),
    BadFile(
        "bad_website.csv",
        one_bad(Website="example"),
        "row 3, column Website: “example” is not a web address",
    ),
    BadFile(
        "unknown_country.xlsx",
        lambda: xlsx_bytes(
            [GOOD, {**GOOD, "Reference": 2, "Countries": "Narnia"}], above=[["Banner"]]
        ),
        "row 4, column Countries: “Narnia”",
    ),
    BadFile("zip_bomb.xlsx", zip_bomb, "The spreadsheet unpacks to more than 100.0 MB"),
    BadFile("entity_bomb.xlsx", entity_bomb, "XML entity declarations"),
    BadFile("entity_bomb_hidden.xlsx", entity_bomb_after_a_long_comment, "XML entity declarations"),
    BadFile("oversized.csv", oversized, "The file is larger than 20.0 MB", committed=False),
]


def main() -> None:
    for bad in BAD_FILES:
        if bad.committed:
            (HERE / bad.name).write_bytes(bad.build())
    print(f"wrote {sum(b.committed for b in BAD_FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
