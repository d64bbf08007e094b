"""The portal's one spreadsheet reader (core.spreadsheet): file guards, decoding, header
search, row numbering, the row and cell limits, and located errors with their summary."""

import io
import json
import zipfile

import openpyxl
import pytest

from core.spreadsheet import (
    HeaderSpec,
    SheetError,
    SheetLimits,
    SheetRefused,
    cell_text,
    column_letter,
    count_filled_rows,
    errors_workbook,
    escape_formula,
    read_table,
    summarise_errors,
)
from jvap import spreadsheet as jvap_sheet
from tests.jvap.sheets import GOOD, csv_bytes, row, xlsx_bytes, xlsx_of_many_rows

HEADER = HeaderSpec(aliases={"name": "name", "code": "code"}, min_columns=2)


def table_of(data: bytes, filename: str = "t.csv", **limits):
    table = read_table(data, filename, header=HEADER, limits=SheetLimits(**limits))
    return table, list(table.records())


def refusal_of(data: bytes, filename: str = "t.csv", **limits) -> str:
    with pytest.raises(SheetRefused) as refused:
        table_of(data, filename, **limits)
    return refused.value.message


def test_header_is_found_below_banner_rows_and_rows_keep_the_sheets_numbers():
    table, records = table_of(b"Our list\n\nname,code\nSenegal,SN\n,\nMali,ML\n")
    assert table.header_row == 3
    assert records == [(4, {"name": "Senegal", "code": "SN"}), (6, {"name": "Mali", "code": "ML"})]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_that_finds_the_header_wins(delimiter):
    data = f"name{delimiter}code\nCôte d'Ivoire{delimiter}CI\n".encode("cp1252")
    _table, records = table_of(data)
    assert records == [(2, {"name": "Côte d'Ivoire", "code": "CI"})]


def test_utf8_with_bom_and_windows_1252_are_both_read():
    text = "name,code\nSão Tomé,ST\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        assert table_of(data)[1] == [(2, {"name": "São Tomé", "code": "ST"})]


def test_the_same_reader_takes_bytes_an_open_file_or_a_path(tmp_path):
    data = xlsx_bytes([GOOD])
    path = tmp_path / "entries.xlsx"
    path.write_bytes(data)
    results = [
        jvap_sheet.parse_file(source, "entries.xlsx").rows
        for source in (data, io.BytesIO(data), path, str(path))
    ]
    assert all(rows == results[0] and len(rows) == 1 for rows in results)


def test_past_the_row_limit_reading_stops_with_one_message_not_thousands_of_errors():
    data = csv_bytes([row(Reference=str(n), Countries="Wakanda") for n in range(150)])
    result = jvap_sheet.parse_file(data, "e.csv", limits=SheetLimits(max_rows=100))
    assert [str(error) for error in result.errors] == [
        "The file has more than 100 data rows, the most one upload accepts. "
        "Split it into several files."
    ]


def test_the_default_row_limit_is_50000_and_is_written_with_its_thousands():
    lines = "name,code\n" + "x,y\n" * 50_001
    assert refusal_of(lines.encode()) == (
        "The file has more than 50,000 data rows, the most one upload accepts. "
        "Split it into several files."
    )


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (xlsx_of_many_rows(200), "e.xlsx"),
        (csv_bytes([row(Reference=str(n)) for n in range(200)]), "e.csv"),
    ],
)
def test_far_more_rows_than_the_limit_are_refused_before_any_row_is_read(data, filename):
    # read_table itself refuses: the slow reading of the rows (Table.records) never starts.
    with pytest.raises(SheetRefused, match="more than 100 data rows"):
        read_table(data, filename, header=jvap_sheet.HEADER, limits=SheetLimits(max_rows=100))


def test_the_quick_count_finds_the_rows_that_hold_a_value_in_any_namespace():
    sheet = (
        b'<x:worksheet xmlns:x="main"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>'
        b'<x:row r="2" customFormat="1"><x:c r="A2" s="3"/></x:row>'
        b'<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>  </x:t></x:is></x:c></x:row>'
        b'<x:row r="4"/>'
        b'<x:row r="5"><x:c r="B5" t="inlineStr"><x:is><x:t xml:space="preserve"> a</x:t>'
        b"</x:is></x:c></x:row></x:sheetData></x:worksheet>"
    )
    assert count_filled_rows(io.BytesIO(sheet)) == 2
    many = b"<sheetData>" + b'<row r="1"><c><v>1</v></c></row>' * 100_000 + b"</sheetData>"
    assert count_filled_rows(io.BytesIO(many)) == 100_000  # rows cut by the 1 MB chunks too


@pytest.mark.parametrize("builder", [xlsx_of_many_rows, None])
def test_the_reading_reports_rows_read_of_the_total(builder):
    if builder is None:
        data, filename = csv_bytes([row(Reference=str(n)) for n in range(1, 1201)]), "e.csv"
    else:
        data, filename = builder(1200), "e.xlsx"
    reports = []
    result = jvap_sheet.parse_file(data, filename, progress=lambda *done: reports.append(done))
    assert len(result.rows) == 1200
    assert reports[0] == (0, 1200) and reports[-1] == (1200, 1200)
    assert (500, 1200) in reports and (1000, 1200) in reports


class FakeClock:
    """time.monotonic() that moves a second at each look."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1
        return self.now


def test_a_reading_past_its_time_limit_stops_with_a_message_naming_the_limit(monkeypatch):
    monkeypatch.setattr("core.spreadsheet.time", FakeClock())
    data = csv_bytes([row(Reference=str(n)) for n in range(20)])
    result = jvap_sheet.parse_file(data, "e.csv", limits=SheetLimits(max_seconds=5))
    assert [str(error) for error in result.errors] == [
        "Reading the file took longer than 5 seconds, the most the portal allows for one "
        "upload. Split it into smaller files."
    ]


def test_a_cell_longer_than_a_spreadsheet_cell_can_be_is_refused_with_its_place():
    assert refusal_of(b"name,code\nok,SN\n" + b"x" * 140_000 + b",ML\n") == (
        "Row 3, column A: the cell holds more than 131,072 characters, the most the portal "
        "reads in a cell."
    )
    assert refusal_of(b"name,code\nok,SN\nx," + b"y" * 2_000 + b"\n", max_cell_chars=1_000) == (
        "Row 3, column B: the cell holds more than 1,000 characters, the most the portal reads "
        "in a cell."
    )
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "code"])
    workbook.active.append(["ok", "y" * 2_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # (openpyxl itself cuts an .xlsx cell at Excel's 32,767 characters)
    assert refusal_of(buffer.getvalue(), "t.xlsx", max_cell_chars=1_000).startswith(
        "Row 2, column B: the cell holds more than 1,000 characters"
    )


def _xlsx_with_member(name: str, content: bytes) -> bytes:
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in original.infolist():
            archive.writestr(info.filename, original.read(info))
        archive.writestr(name, content)
    return buffer.getvalue()


def test_a_member_that_packs_far_better_than_any_sheet_is_a_bomb_even_under_the_size_cap():
    bomb = _xlsx_with_member("xl/media/blank.xml", b" " * (50 * 1024 * 1024))
    assert len(bomb) < 200_000
    assert refusal_of(bomb, "t.xlsx").startswith(
        "The spreadsheet unpacks to more than 100.0 MB, the most the portal accepts."
    )


def test_an_entity_declaration_deep_inside_any_xml_part_is_refused():
    part = b"<?xml version='1.0'?><x>" + b"<y/>" * 200_000 + b"<!DOCTYPE x [<!ENTITY a 'b'>]>"
    assert "XML entity declarations" in refusal_of(
        _xlsx_with_member("xl/custom.xml", part), "t.xlsx"
    )


def test_a_zip_of_too_many_parts_is_not_a_spreadsheet():
    data = xlsx_bytes([GOOD])
    assert "not a spreadsheet" in refusal_of(data, "t.xlsx", max_members=3)


def test_real_files_of_50000_rows_fit_the_unpacked_cap():
    # The measured size (see core/spreadsheet.py) of a real-looking 50,000-row JVAP file.
    assert 50_309_322 < SheetLimits().max_unpacked_bytes / 1.9


def test_our_formula_escape_is_undone_on_reading():
    assert escape_formula("=SUM(A1)") == "'=SUM(A1)" and escape_formula(5) == 5
    assert cell_text(escape_formula("=SUM(A1)")) == "=SUM(A1)"
    assert cell_text("'quoted") == "'quoted"


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


ERRORS = [
    SheetError("“Wakanda” is unknown", row=r, column="Countries", value="Wakanda", kind="Countries")
    for r in range(2, 414)
] + [
    SheetError("“x” is not a date", row=5, column="Start date", value="x", kind="Dates"),
    SheetError("“=1+1” is not a date", row=5, column="End date", value="=1+1", kind="Dates"),
]


def test_errors_are_summarised_by_kind_with_counts_of_rows_and_the_first_ones():
    summary = summarise_errors(ERRORS, first=3)
    assert [str(kind) for kind in summary] == ["412 rows: Countries", "1 rows: Dates"]
    assert [error.row for error in summary[0].first] == [2, 3, 4]


def test_the_full_error_list_is_a_workbook_a_person_fixes_the_file_from():
    workbook = openpyxl.load_workbook(io.BytesIO(errors_workbook(ERRORS)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Value", "Message")
    assert len(rows) == 1 + len(ERRORS)
    assert rows[1] == (2, "Countries", "Wakanda", "“Wakanda” is unknown")
    assert rows[-1][2] == "'=1+1"  # a value is never run as a formula


def test_a_parse_result_is_json_serialisable_for_a_background_task():
    data = csv_bytes([GOOD, row(Reference="2", Countries="Wakanda")])
    result = jvap_sheet.parse_file(data, "e.csv")
    stored = json.loads(json.dumps(result.as_dict()))
    again = jvap_sheet.ParseResult.from_dict(stored)
    assert again.rows == result.rows and again.errors == result.errors
    good = jvap_sheet.parse_file(csv_bytes([GOOD]), "e.csv")
    assert jvap_sheet.ParseResult.from_dict(json.loads(json.dumps(good.as_dict()))) == good


def test_jvap_errors_carry_a_kind_for_the_summary():
    data = csv_bytes([row(Reference=str(n), Countries="Wakanda") for n in range(5)])
    (kind,) = summarise_errors(jvap_sheet.parse_file(data, "e.csv").errors)
    assert str(kind) == "5 rows: Countries missing or not recognised"
