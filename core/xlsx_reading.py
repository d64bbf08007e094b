"""openpyxl's read-only reader of .xlsx files, with two things done faster; used by the
spreadsheet reader (`core.spreadsheet`) only, everything else is openpyxl's own code.

- A worksheet learns its size from the <dimension> at the head of its XML (`sheet_dimension`).
  openpyxl parses the whole sheet when it is opened to find out that there is none (files
  written by openpyxl, the portal's own downloads among them, have none): 1.8 s of CPU for
  the benchmark's 10,000-row file before its first row is read.
- A cell of plain inline text (how openpyxl and other tools write strings:
  `<c t="inlineStr"><is><t>text</t></is></c>`) is read as its text, where openpyxl builds a
  rich-text object for it and reads its content back: most of the reading of such a file.
- The sheet's XML is parsed by the standard library's C parser behind a refusal of any DTD
  (`WithoutDtd`), where openpyxl parses it with defusedxml's, whose element handlers are
  Python: a quarter of the reading. Without a DTD no entity can be declared, which is what
  defusedxml guards against; the spreadsheet reader's archive check refuses such parts too.

Written against openpyxl 3.1 (`ReadOnlyWorksheet._cells_by_row` and
`ExcelReader.read_worksheets` are its code with the classes below put in); the tests of the
spreadsheet reader read the same files through it.
"""

from __future__ import annotations

import re
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from defusedxml import DTDForbidden
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import INLINE_STRING, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

# The worksheet's <dimension ref="A1:O10002"/> comes before its <sheetData> (the schema's
# order); what is kept of a part while looking for them (the elements before the rows are
# small: sheet properties, views, column widths).
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s/>]")
_LONGEST_HEAD = 8 * 1024 * 1024
_CHUNK = 64 * 1024
PLAIN_TEXT = f"{{{SHEET_MAIN_NS}}}t"


def sheet_dimension(part: IO[bytes]) -> tuple[int | None, ...] | None:
    """(min column, min row, max column, max row) of a worksheet's XML as its <dimension>
    announces them, or None without one: what openpyxl's read-only worksheet reads when it
    is opened, by a look at the part's head."""
    head = b""
    while chunk := part.read(_CHUNK):
        start = max(len(head) - 64, 0)
        head += chunk
        if data := _SHEET_DATA.search(head, start):
            head = head[: data.start()]
            break
        if len(head) > _LONGEST_HEAD:
            break
    found = _DIMENSION.search(head)
    return range_boundaries(found.group(1).decode("ascii", "replace")) if found else None


def plain_inline_text(element: Any) -> str | None:
    """The text of a cell of inline text without formatting (`<is><t>text</t></is>`), as
    openpyxl's rich-text content reads it; None for any other cell."""
    if element.get("t") != "inlineStr" or len(element) != 1:
        return None
    inline = element[0]
    if inline.tag != INLINE_STRING or len(inline) != 1:
        return None
    text = inline[0]
    if text.tag != PLAIN_TEXT or len(text):
        return None
    return text.text or ""


# A DTD's markers, as bytes in any encoding the XML parser reads except UTF-16 (its other
# encodings write these ASCII characters as ASCII): UTF-16 text starts with a byte-order mark
# or has a zero byte beside its first '<'.
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_STARTS = (b"\xfe\xff", b"\xff\xfe")


def dtd_visible_in_bytes(head: bytes) -> bool:
    """Whether a DTD in an XML part starting with `head` would show as `_DTD_MARKS` in its
    bytes: it does unless the part is UTF-16."""
    return not head.startswith(_UTF16_STARTS) and b"\x00" not in head[:2]


class WithoutDtd:
    """An XML part read through, refusing any DTD in it (DTDForbidden, as defusedxml's parser
    refuses entity declarations); for a part `dtd_visible_in_bytes`."""

    def __init__(self, part: IO[bytes]):
        self.part, self.tail = part, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.part.read(size)
        seen = self.tail + chunk
        if any(mark in seen for mark in _DTD_MARKS):
            raise DTDForbidden(None, None, None)
        self.tail = seen[-16:]
        return chunk


class PlainInlineTextParser(WorkSheetParser):
    """openpyxl's sheet parser; a cell of plain inline text is read as its text, and the sheet
    is parsed by the C parser (`WithoutDtd`)."""

    def parse(self):
        """The sheet's rows, what the read-only worksheet reads of it (openpyxl's `parse` also
        reads the sheet's other parts, its print settings, merged cells and so on); a UTF-16
        part as openpyxl parses it."""
        peek = getattr(self.source, "peek", None)
        if peek is None or not dtd_visible_in_bytes(peek(2)[:2]):
            yield from super().parse()
            return
        for _event, element in iterparse(WithoutDtd(self.source)):
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row

    def parse_cell(self, element: Any) -> dict[str, Any]:
        text = None
        if self.data_only and not self.rich_text:
            text = plain_inline_text(element)
        if text is None:
            return super().parse_cell(element)
        del element.attrib["t"]  # openpyxl reads its row, column and style, and no value
        cell = super().parse_cell(element)
        cell["value"], cell["data_type"] = text, "s"
        return cell


class SizedReadOnlyWorksheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet, sized by `sheet_dimension`, read by the parser above."""

    def _get_size(self) -> None:
        with self._get_source() as part:
            dimensions = sheet_dimension(part)
        if dimensions is not None:
            self._min_column, self._min_row, self._max_column, self._max_row = dimensions

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = []
        if max_col is not None:
            empty_row = (filler,) * (max_col + 1 - min_col)
        counter, idx = min_row, 1
        with self._get_source() as src:
            parser = PlainInlineTextParser(
                src,
                self._shared_strings,
                data_only=self.parent.data_only,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,
                timedelta_formats=self.parent._timedelta_formats,
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows missing from the file
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class ReadOnlyReader(ExcelReader):
    """openpyxl's workbook reader in read-only mode, with the worksheets above."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = SizedReadOnlyWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)
