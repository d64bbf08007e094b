"""What the importer proofs share: a snapshot of every table to compare before and after a
refused or failed import, and spreadsheets built from arbitrary cells."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.apps import apps
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jvap.exports import entry_to_row, row_texts
from jvap.models import JvapEntry
from jvap.spreadsheet import HEADERS


def _plain(value: Any) -> Any:
    """A value that compares equal across two reads of the same row."""
    if isinstance(value, datetime.datetime | datetime.date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def table_snapshot(models=None) -> dict[str, list[tuple]]:
    """Every row of every table (of the given models, or of the whole project), sorted by
    primary key: two equal snapshots mean nothing was written."""
    models = models or apps.get_models(include_auto_created=True)
    snapshot = {}
    for model in models:
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        snapshot[model._meta.db_table] = [tuple(_plain(v) for v in row) for row in rows]
    return snapshot


def jvap_models():
    """The JVAP app's tables, the many-to-many ones included."""
    return list(apps.get_app_config("jvap").get_models(include_auto_created=True))


def assert_same_tables(before: dict, after: dict) -> None:
    """Equal snapshots, naming the first table that differs."""
    assert before.keys() == after.keys()
    for table in before:
        assert before[table] == after[table], f"table {table} changed"


def stored_texts(partner, reference: str) -> dict[str, str]:
    """The partner's entry with the reference, as the template's cells."""
    entry = JvapEntry.objects.for_listing().get(partner=partner, reference=reference)
    return row_texts(entry_to_row(entry))


def csv_of(rows: list[list[Any]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for cells in rows:
        writer.writerow(["" if c is None else c for c in cells])
    return buffer.getvalue().encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    """Cells openpyxl can store: characters XML forbids are removed, dates before 1900 (which
    Excel cannot hold) written as text."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.date) and value.year < 1900:
        return value.isoformat()
    return value


def xlsx_of(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append([_xlsx_cell(c) for c in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def grid(headers: list[str], rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The header row then one row of cells per dict, in the headers' order."""
    return [list(headers), *([r.get(h) for h in headers] for r in rows)]


TEMPLATE_HEADERS = list(HEADERS)
