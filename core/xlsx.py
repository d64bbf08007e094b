"""A minimal .xlsx writer for downloads: one sheet of plain values (text, numbers, booleans),
its rows streamed into a zip in a temporary file, so memory stays constant whatever the
number of rows.

Why not a library: for a 10,000-row JVAP download (20 columns) openpyxl's write-only mode took
11.2 s and xlsxwriter's constant-memory mode 5.3 s on the loaded benchmark machine, both
spending their time in per-cell objects and XML escaping calls; issue 13 asks for under 2 s.
Writing each row's XML as one string does the same job in a fraction of that. A download needs
none of what those libraries add (styles, formulas, several sheets).

Cells are what openpyxl wrote: text as inline strings (cut at Excel's 32,767 characters),
numbers and booleans typed, empty text and None as blank cells. Characters XML cannot hold are
written as Excel's `_xHHHH_` escapes (openpyxl refused the whole file).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import quoteattr

# Excel's limit for the text of one cell.
CELL_CHARS = 32_767
# Control characters XML 1.0 cannot hold (tab, line feed and carriage return it can).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Every byte but those control characters, to delete from a chunk: what stays is one of them.
_XML_BYTES = bytes(byte for byte in range(256) if byte >= 32 or byte in b"\t\n\r")
_SPACES = frozenset(" \t\n\r")
FLUSH_CHARS = 256 * 1024

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_PACKAGE_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)


def _workbook(title: str) -> str:
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column_letters(count: int) -> list[str]:
    """The letters of the first `count` columns: A, B, ..., Z, AA, ..."""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _row_xml(number: int, letters: Sequence[str], cells: Iterable[Any]) -> str:
    """One row's XML: a string per cell, the text escaped in line (this loop is the writer's
    whole cost)."""
    row = str(number)
    parts = [f'<row r="{row}">']
    append = parts.append
    for letter, value in zip(letters, cells, strict=False):
        if value.__class__ is str or isinstance(value, str):
            if not value:
                append(f'<c r="{letter}{row}"/>')
                continue
            value = value[:CELL_CHARS]
            if "&" in value:
                value = value.replace("&", "&amp;")
            if "<" in value:
                value = value.replace("<", "&lt;")
            if ">" in value:
                value = value.replace(">", "&gt;")
            if "\r" in value:  # kept as it is (a parser reads a bare one as a line feed)
                value = value.replace("\r", "&#13;")
            space = ' xml:space="preserve"' if value[0] in _SPACES or value[-1] in _SPACES else ""
            append(f'<c r="{letter}{row}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
        elif value is None:
            append(f'<c r="{letter}{row}"/>')
        elif isinstance(value, bool):
            append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            text = repr(float(value)) if isinstance(value, float) else str(int(value))
            append(f'<c r="{letter}{row}" t="n"><v>{text}</v></c>')
        else:
            raise TypeError(f"An .xlsx download cell is text, a number or empty: {value!r}")
    append("</row>")
    return "".join(parts)


def write_xlsx(
    output: IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Write a workbook of one sheet named `title`: the headers, then the rows (values as
    they are: escape formulas before)."""
    letters = column_letters(len(headers))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            _write_sheet(sheet, letters, headers, rows)


def _write_sheet(sheet: IO[bytes], letters, headers, rows) -> None:
    chunk = [f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>', _row_xml(1, letters, headers)]
    size = 0
    for number, cells in enumerate(rows, start=2):
        xml = _row_xml(number, letters, cells)
        chunk.append(xml)
        size += len(xml)
        if size > FLUSH_CHARS:
            _flush(sheet, chunk)
            chunk, size = [], 0
    chunk.append("</sheetData></worksheet>")
    _flush(sheet, chunk)


def _flush(sheet: IO[bytes], chunk: list[str]) -> None:
    data = "".join(chunk).encode("utf-8")
    # Looking for the characters XML cannot hold in the bytes is four times quicker than a
    # regular expression over the text (markup holds none, so what is found is in a value).
    if data.translate(None, _XML_BYTES) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        text = _NOT_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", data.decode("utf-8"))
        data = text.encode("utf-8")
    sheet.write(data)


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The workbook's bytes, written through a temporary file (only the packed file is ever
    held in memory, never the rows)."""
    with tempfile.TemporaryFile() as output:
        write_xlsx(output, title, headers, rows)
        output.seek(0)
        return output.read()
