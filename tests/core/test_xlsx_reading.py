"""The spreadsheet reader's faster openpyxl read-only reader (core.xlsx_reading) reads every
file as openpyxl's own read-only reader does: the same values, row by row, and the same size."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from defusedxml import DefusedXmlException, DTDForbidden
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from core.xlsx_reading import ReadOnlyReader, WithoutDtd, dtd_visible_in_bytes, sheet_dimension


def openpyxl_read(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    return sheet.max_row, sheet.max_column, list(sheet.iter_rows(values_only=True))


def our_read(data: bytes):
    reader = ReadOnlyReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    sheet = reader.wb.worksheets[0]
    return sheet.max_row, sheet.max_column, list(sheet.iter_rows(values_only=True))


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CELLS = [
    ["  spaced text  ", "", None, "two\nlines", "=SUM(1,2)", 3, 1.5, True],
    ["Côte d’Ivoire", "x" * 40_000, datetime.datetime(2020, 1, 1, 5), datetime.date(2021, 2, 3)],
    ["<not xml> & ' \"", "'=escaped", -7, 0],
]


def write_only_file() -> bytes:
    """Strings written inline and no <dimension>, as openpyxl (and the portal) write files."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Entries")
    for cells in CELLS:
        sheet.append(cells)
    sheet.append([])
    sheet.append([CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")]), "after"])
    return saved(workbook)


def normal_file() -> bytes:
    """Shared strings, a <dimension>, rows missing between rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "banner"
    sheet["B3"] = "Reference"
    sheet["C3"] = datetime.date(2020, 1, 2)
    sheet["A7"] = 5.5
    sheet["D9"] = True
    for index, cells in enumerate(CELLS, start=12):
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=index, column=column, value=value)
    return saved(workbook)


@pytest.mark.parametrize("make", [write_only_file, normal_file])
def test_rows_and_size_are_those_openpyxl_reads(make):
    data = make()
    assert our_read(data) == openpyxl_read(data)


def test_a_sheet_without_dimension_has_no_announced_size():
    max_row, max_column, rows = our_read(write_only_file())
    assert (max_row, max_column) == (None, None)
    assert rows[0][0] == "  spaced text  "
    assert rows[-1] == ("plain bold", "after")


@pytest.mark.parametrize(
    "xml, size",
    [
        (b'<worksheet><dimension ref="A1:O10002"/><sheetData/></worksheet>', (1, 1, 15, 10002)),
        (b"<x:worksheet><x:dimension ref='B2:C3'/><x:sheetData></x:sheetData>", (2, 2, 3, 3)),
        (b'<worksheet><sheetData><row r="1"/></sheetData></worksheet>', None),
        # after the rows (out of the schema's order): not read, as openpyxl does not read it
        (b'<worksheet><sheetData/><dimension ref="A1:B2"/></worksheet>', None),
    ],
)
def test_the_dimension_is_read_from_the_head_of_the_sheet(xml, size):
    assert sheet_dimension(io.BytesIO(xml)) == size


def with_sheet_xml(data: bytes, change) -> bytes:
    """The file with its first sheet's XML part changed by `change` (bytes -> bytes)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = change(part)
            target.writestr(info.filename, part)
    return buffer.getvalue()


def as_utf16(xml: bytes) -> bytes:
    text = xml.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
    return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")


def with_entity(xml: bytes) -> bytes:
    """A DTD declaring an entity, used in the first cell of inline text."""
    start = xml.index(b"<worksheet")
    declared = b'<!DOCTYPE worksheet [<!ENTITY e "entity text">]>'
    return xml[:start] + declared + xml[start:].replace(b"  spaced text  ", b"&e;", 1)


def test_a_utf16_sheet_is_read_as_openpyxl_reads_it():
    data = with_sheet_xml(write_only_file(), as_utf16)
    assert our_read(data) == openpyxl_read(data)
    assert our_read(data)[2][0][0] == "  spaced text  "


@pytest.mark.parametrize("encode", [lambda xml: xml, as_utf16], ids=["utf-8", "utf-16"])
def test_a_sheet_declaring_an_entity_is_refused_as_defusedxml_refuses_it(encode):
    data = with_sheet_xml(write_only_file(), lambda xml: encode(with_entity(xml)))
    for read in (our_read, openpyxl_read):
        with pytest.raises(ValueError) as refused:  # openpyxl wraps what its parser raises
            read(data)
        assert raised_by(refused.value, DefusedXmlException)


def raised_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None and not isinstance(error, kind):
        error = error.__cause__ or error.__context__
    return error is not None


@pytest.mark.parametrize(
    "head, visible",
    [
        (b"<?", True),
        (b"\xef\xbb\xbf<", True),  # UTF-8 with a byte-order mark
        (b"\xff\xfe<\x00", False),
        (b"\xfe\xff\x00<", False),
        (b"<\x00?\x00", False),  # UTF-16 without a byte-order mark
        (b"\x00<\x00?", False),
    ],
)
def test_a_dtd_is_visible_in_the_bytes_of_any_part_but_a_utf16_one(head, visible):
    assert dtd_visible_in_bytes(head) is visible


@pytest.mark.parametrize("chunk", [1, 5, 16, 1000])
def test_a_dtd_is_found_whatever_the_reads_cut_it_into(chunk):
    part = WithoutDtd(io.BytesIO(b"<?xml version='1.0'?>\n<!DOCTYPE x><x/>"))
    with pytest.raises(DTDForbidden):
        while part.read(chunk):
            pass
