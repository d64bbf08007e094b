"""Downloads of a listing's rows (CSV, XLSX) with the columns a listing declares, written so
that no cell runs as a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import escape_formulas
from core.xlsx import xlsx_bytes


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
    return csv_cells_response(_headers(columns), _cells(rows, columns), filename)


def xlsx_response(rows: Iterable[Any], columns: Sequence[Column], filename: str) -> HttpResponse:
    """The rows as an .xlsx download (core.xlsx: constant memory)."""
    return xlsx_cells_response(_headers(columns), _cells(rows, columns), filename)


def csv_cells_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> StreamingHttpResponse:
    """Stream rows of cells (text, numbers or None) as a UTF-8 CSV download with BOM, each
    text cell escaped so that no spreadsheet program runs it as a formula."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(headers)
        for cells in rows:
            writer.writerow(escape_formulas(cells))
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cells_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    """Rows of cells (text, numbers or None) as an .xlsx download of one sheet named after the
    file, each text cell escaped so that no spreadsheet program runs it as a formula."""
    content = xlsx_bytes(filename[:31], headers, (escape_formulas(cells) for cells in rows))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers(columns: Sequence[Column]) -> list[str]:
    return [str(column.header) for column in columns]


def _cells(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[list[Any]]:
    for row in rows:
        yield [_cell(column.value(row)) for column in columns]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value.isoformat() if hasattr(value, "isoformat") else value
    return str(value)
