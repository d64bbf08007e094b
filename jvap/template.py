"""The spreadsheet template focal points fill in: one sheet, an instruction block, the
template's headers and drop-down lists for the closed columns."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import spreadsheet as sheet

TEMPLATE_ROWS = 5000  # how far down the drop-down lists reach


def instructions() -> list[str]:
    return [
        _("JVAP database – entry template"),
        _(
            "Fill in one row per project or policy below the header row. Do not rename the "
            "headers; you may leave this block, reorder columns or add your own columns (they "
            "are ignored)."
        ),
        _(
            "Reference: your own identifier; uploading a row with the same reference later "
            "updates the entry. Required: Reference, Title, Type, JVAP domain, Countries."
        ),
        _(
            "JVAP domain: 1 to 5. Secondary domains and Countries: several values separated by "
            "';'. Countries in English or French, or ISO codes (SN, SEN)."
        ),
        _(
            "Budget in euros, digits only ('.' for decimals). Dates as yyyy-mm-dd, dd/mm/yyyy "
            "or a year. Organisations and donors: several names separated by ';'."
        ),
    ]


def build_template() -> bytes:
    """The .xlsx template as bytes."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "JVAP entries"
    lines = instructions()
    for number, line in enumerate(lines, start=1):
        worksheet.cell(row=number, column=1, value=line)
        worksheet.cell(row=number, column=1).font = Font(
            bold=number == 1, size=14 if number == 1 else 11
        )
    header_row = len(lines) + 2
    fill = PatternFill("solid", fgColor="DDE7F0")
    for column, header in enumerate(sheet.HEADERS, start=1):
        cell = worksheet.cell(row=header_row, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.column_dimensions[get_column_letter(column)].width = (
            40 if header in (sheet.TITLE, sheet.DESCRIPTION, sheet.COUNTRIES) else 20
        )
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
    # The closed columns' English labels, as the template's column definitions give them.
    choices = {
        column.header: [english for _code, english, _french in column.choices]
        for column in sheet.COLUMNS
        if column.choices
    }
    choices[sheet.DOMAIN] = ["1", "2", "3", "4", "5"]
    for header, values in choices.items():
        letter = get_column_letter(sheet.HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=_("Choose a value from the list."),
        )
        validation.add(f"{letter}{header_row + 1}:{letter}{header_row + TEMPLATE_ROWS}")
        worksheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
