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
