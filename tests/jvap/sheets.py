"""Building JVAP spreadsheets in code for the tests (CSV text and .xlsx bytes)."""

import csv
import io

from openpyxl import Workbook

from jvap.spreadsheet import HEADERS

GOOD = {
    "Reference": "1003",
    "Title": "Border management training",
    "Type": "Project",
    "JVAP domain": "4",
    "Secondary domains": "3",
    "Countries": "Niger; Senegal",
    "Implementing organisations": "IOM; ICMPD",
    "Donors": "EU",
    "Budget (EUR)": "1250000",
    "Start date": "2020-01-01",
    "End date": "2022-12-31",
    "Status": "Ongoing",
    "Dialogue": "Rabat Process",
    "Description": "Training for border officials.",
    "Website": "https://example.org/project",
}


def row(**changes):
    """A good row with some cells changed (keys with spaces: pass a dict to rows())."""
    return {**GOOD, **changes}


def csv_bytes(rows, headers=HEADERS, delimiter=",", encoding="utf-8", above=()):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in above:
        writer.writerow(line)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS, above=()):
    workbook = Workbook(write_only=True)  # streams rows: large benchmark files stay small
    sheet = workbook.create_sheet("JVAP entries")
    for line in above:
        sheet.append(list(line))
    sheet.append(list(headers))
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_of_many_rows(count: int) -> bytes:
    """An .xlsx of `count` good rows (references 1, 2, ...), its sheet written as XML text:
    openpyxl takes a minute to write 60,000 rows, this a second."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    def cells(number, values):
        return "".join(
            f'<c r="{get_column_letter(index)}{number}" t="inlineStr"><is><t>{escape(value)}</t>'
            "</is></c>"
            for index, value in enumerate(values, start=1)
        )

    template = cells("{n}", [GOOD[h] if h != "Reference" else "{n}" for h in HEADERS])
    template = template.replace("{", "{{").replace("}", "}}").replace("{{n}}", "{n}")
    sheet = "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{get_column_letter(len(HEADERS))}{count + 1}"/><sheetData>',
            f'<row r="1">{cells(1, HEADERS)}</row>',
            *(f'<row r="{n}">{template.format(n=n)}</row>' for n in range(2, count + 2)),
            "</sheetData></worksheet>",
        ]
    )
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, sheet)
            else:
                archive.writestr(info.filename, original.read(info))
    return buffer.getvalue()
