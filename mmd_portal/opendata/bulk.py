"""The bulk files of a dataset (CSV, XLSX, JSON), with the dictionary's column names as
headers and the licence in each file's metadata: a `Link: rel="license"` header on every
download, an "about" sheet in the workbook, and `licence` beside the rows in the JSON.

The files are built by the full downloads' task after each change of the data (in each
language: the label columns follow it) and served from there (core.bulk_downloads)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.bulk_downloads import FullDownload
from core.downloads import Column as ListingColumn
from core.downloads import csv_response
from core.spreadsheet import escape_formula
from core.xlsx import Sheet, workbook_bytes

from .dictionary import DATASETS, Dataset, in_language

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DATA_SHEET = "data"
ABOUT_SHEET = "about"
JSON_ROWS = "rows"


def _portal_url(path: str) -> str:
    """An address on the portal's public site (files are built outside any request)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def metadata(dataset: Dataset) -> dict[str, Any]:
    """What every file says about itself: dataset, licence, source, date of the file."""
    return {
        "dataset": dataset.name,
        "title": in_language(dataset.title, "en"),
        "licence": settings.OPEN_DATA_LICENCE,
        "source": _portal_url("/open-data/"),
        "schema": _portal_url("/open-data/datapackage.json"),
        "generated": timezone.now().replace(microsecond=0).isoformat(),
    }


def with_licence(response):
    """The licence as a `Link: rel="license"` header (prebuilt files get it when served)."""
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE["path"]}>; rel="license"'
    return response


def dataset_response(dataset: Dataset, export_format: str):
    """The whole dataset as a download in the format (csv, xlsx or json), built now."""
    writer = {"csv": _csv, "xlsx": _xlsx, "json": _json}[export_format]
    response = with_licence(writer(dataset))
    response["Content-Disposition"] = f'attachment; filename="mmd-{dataset.name}.{export_format}"'
    return response


def prebuilt_name(dataset: Dataset) -> str:
    """The name of the dataset's files in the full downloads' storage."""
    return f"open-data-{dataset.name}"


def full_downloads() -> list[FullDownload]:
    """Every dataset's files, for the task that builds them after each change of the data
    (`settings.FULL_DOWNLOAD_SETS`, core.bulk_downloads)."""
    return [
        FullDownload(
            prebuilt_name(dataset),
            tuple(FORMATS),
            lambda export_format, dataset=dataset: dataset_response(dataset, export_format),
        )
        for dataset in DATASETS.values()
    ]


def _csv(dataset: Dataset) -> StreamingHttpResponse:
    columns = [
        ListingColumn(name, lambda row, i=i: row[i]) for i, name in enumerate(dataset.headers())
    ]
    return csv_response(dataset.rows(), columns, f"mmd-{dataset.name}")


def _native(value: Any) -> Any:
    """A cell value as JSON and spreadsheets hold it (numbers stay numbers)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _xlsx(dataset: Dataset) -> HttpResponse:
    """The "data" sheet (headers, then the rows), the "about" sheet (the metadata, a key and
    its value a row) and the title and licence as the workbook's properties, written by
    core.xlsx (openpyxl's write-only mode took 28.5 min for 1,000,000 JVAP entries)."""
    data = Sheet(
        DATA_SHEET,
        ([escape_formula(_native(value)) for value in row] for row in dataset.rows()),
        dataset.headers(),
    )
    about = Sheet(
        ABOUT_SHEET,
        [
            [key, json.dumps(value) if isinstance(value, dict) else value]
            for key, value in metadata(dataset).items()
        ],
        columns=2,
    )
    licence = settings.OPEN_DATA_LICENCE
    content = workbook_bytes(
        [data, about],
        title=in_language(dataset.title, "en"),
        description=f"Licence: {licence['title']} ({licence['path']})",
    )
    return HttpResponse(content, content_type=FORMATS["xlsx"])


def _json(dataset: Dataset) -> StreamingHttpResponse:
    headers = dataset.headers()

    def chunks():
        head = json.dumps(metadata(dataset), ensure_ascii=False)[:-1]
        yield head + f', "{JSON_ROWS}": ['
        for number, row in enumerate(dataset.rows()):
            values = {name: _native(value) for name, value in zip(headers, row, strict=True)}
            yield ("," if number else "") + "\n" + json.dumps(values, ensure_ascii=False)
        yield "\n]}\n"

    return StreamingHttpResponse(chunks(), content_type=FORMATS["json"])
