"""The spreadsheet reader's faster openpyxl read-only reader (core.xlsx_reading) reads every
file as openpyxl's own read-only reader does: the same values, row by row, and the same size."""

import datetime
import io

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from core.xlsx_reading import ReadOnlyReader, sheet_dimension


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
