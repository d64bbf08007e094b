"""Downloads of a listing's rows (CSV, XLSX) with the columns a listing declares, written so
that no cell runs as a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import escape_formula


@dataclass(frozen=True)
class Column:
    """One column of a download: its header and how to read it from a row."""

    header: str
    value: Callable[[Any], Any]


LIST_SEPARATOR = "; "


def coded(header, code: Callable[[Any], Any], label: Callable[[Any], Any]) -> tuple[Column, ...]:
    """A coded value as two columns: its code ("Type (code)") and its label ("Type")."""
    return (Column(format_lazy(_("{column} (code)"), column=header), code), Column(header, label))


def country(header, read: Callable[[Any], Any]) -> tuple[Column, ...]:
    """A country (django-countries' `Country`, or empty) as its ISO code and its name."""
    return (
        Column(
            format_lazy(_("{column} (ISO code)"), column=header),
            lambda row: read(row).code if read(row) else "",
        ),
        Column(header, lambda row: read(row).name if read(row) else ""),
    )


def countries(header, read: Callable[[Any], Iterable[Any]]) -> tuple[Column, ...]:
    """Several countries as their ISO codes and their names, each joined by "; "."""

    def sorted_countries(row):
        return sorted(read(row), key=lambda c: c.code)

    return (
        Column(
            format_lazy(_("{column} (ISO codes)"), column=header),
            lambda row: LIST_SEPARATOR.join(c.code for c in sorted_countries(row)),
        ),
        Column(header, lambda row: LIST_SEPARATOR.join(str(c.name) for c in sorted_countries(row))),
    )


def csv_response(
    rows: Iterable[Any], columns: Sequence[Column], filename: str
) -> StreamingHttpResponse:
    """Stream the rows as a UTF-8 CSV download (with BOM, so that Excel reads accents)."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([str(column.header) for column in columns])
        for row in rows:
            writer.writerow([escape_formula(_cell(column.value(row))) for column in columns])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[Any], columns: Sequence[Column], filename: str) -> HttpResponse:
    """The rows as an .xlsx download, written in openpyxl's memory-light write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([str(column.header) for column in columns])
    for row in rows:
        sheet.append([escape_formula(_cell(column.value(row))) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value.isoformat() if hasattr(value, "isoformat") else value
    return str(value)
