"""The downloads' .xlsx writer (core.xlsx): what a spreadsheet program reads back is the cells
given, typed as openpyxl typed them, whatever characters the text holds."""

import io
import zipfile

from openpyxl import load_workbook

from core.xlsx import CELL_CHARS, Sheet, column_letters, workbook_bytes, xlsx_bytes


def _read(content: bytes):
    worksheet = load_workbook(io.BytesIO(content)).active
    return worksheet.title, [[cell.value for cell in row] for row in worksheet.iter_rows()]


def test_a_workbook_reads_back_as_its_cells_with_their_types():
    rows = [
        ["Mobilité & <sûreté>", 3, 1250000.5, True, None, ""],
        ["  spaced  ", -7, 0.1, False, "#N/A", "=not a formula"],
    ]

    title, cells = _read(
        xlsx_bytes("jvap-entries-2026-12-02", ["A", "B", "C", "D", "E", "F"], rows)
    )

    assert title == "jvap-entries-2026-12-02"
    assert cells == [
        ["A", "B", "C", "D", "E", "F"],
        *([*row[:4], row[4] or None, row[5] or None] for row in rows),
    ]
    assert [type(value) for value in cells[1][:4]] == [str, int, float, bool]


def test_line_breaks_and_carriage_returns_are_kept():
    _title, cells = _read(xlsx_bytes("s", ["text"], [["one\r\ntwo\nthree\r"]]))

    assert cells[1] == ["one\r\ntwo\nthree\r"]


def test_a_control_character_is_written_as_excels_escape_instead_of_breaking_the_file():
    _title, cells = _read(xlsx_bytes("s", ["text"], [["bell\x07here"], ["fine"]]))

    assert cells[1:] == [["bell_x0007_here"], ["fine"]]


def test_a_text_longer_than_a_cell_holds_is_cut_at_excels_limit():
    _title, cells = _read(xlsx_bytes("s", ["text"], [["x" * (CELL_CHARS + 10)]]))

    assert cells[1] == ["x" * CELL_CHARS]


def test_many_rows_are_written_in_chunks_in_order():
    rows = [[f"row {number}", number] for number in range(20_000)]

    _title, cells = _read(xlsx_bytes("s", ["text", "number"], rows))

    assert cells[1:] == rows


def test_columns_are_lettered_as_in_a_spreadsheet():
    letters = column_letters(53)

    assert (letters[0], letters[25], letters[26], letters[51], letters[52]) == (
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
    )


def test_a_workbook_of_several_sheets_with_its_title_and_description():
    content = workbook_bytes(
        [
            Sheet("data", ([number, f"row {number}"] for number in range(3)), ["n", "text"]),
            Sheet("about", [["licence", "CC-BY-4.0"], ["note", "a & <b>"]], columns=2),
        ],
        title="JVAP entries & <more>",
        description="Licence: CC-BY-4.0\x07",
    )

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["data", "about"]
    assert [[c.value for c in row] for row in workbook["data"].iter_rows()] == [
        ["n", "text"],
        [0, "row 0"],
        [1, "row 1"],
        [2, "row 2"],
    ]
    assert list(workbook["about"].iter_rows(values_only=True)) == [
        ("licence", "CC-BY-4.0"),
        ("note", "a & <b>"),
    ]
    assert workbook.properties.title == "JVAP entries & <more>"
    assert workbook.properties.description == "Licence: CC-BY-4.0_x0007_"


def test_a_one_sheet_workbook_has_no_document_properties():
    names = zipfile.ZipFile(io.BytesIO(xlsx_bytes("s", ["a"], [["x"]]))).namelist()

    assert "docProps/core.xml" not in names
    assert "xl/worksheets/sheet1.xml" in names
