"""The bulk files of a dataset (CSV, XLSX, JSON), with the dictionary's column names as
headers and the licence in each file's metadata: a `Link: rel="license"` header on every
download, an "about" sheet in the workbook, and `licence` beside the rows in the JSON."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.downloads import Column as ListingColumn
from core.downloads import csv_response, escape_formula

from .dictionary import Dataset, in_language

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DATA_SHEET = "data"
ABOUT_SHEET = "about"
JSON_ROWS = "rows"


def metadata(dataset: Dataset, request) -> dict[str, Any]:
    """What every file says about itself: dataset, licence, source, date of the file."""
    return {
        "dataset": dataset.name,
        "title": in_language(dataset.title, "en"),
        "licence": settings.OPEN_DATA_LICENCE,
        "source": request.build_absolute_uri("/open-data/"),
        "schema": request.build_absolute_uri("/open-data/datapackage.json"),
        "generated": timezone.now().replace(microsecond=0).isoformat(),
    }


def _with_licence(response, dataset: Dataset, export_format: str):
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE["path"]}>; rel="license"'
    response["Content-Disposition"] = f'attachment; filename="mmd-{dataset.name}.{export_format}"'
    return response


def dataset_response(dataset: Dataset, export_format: str, request):
    """The whole dataset as a download in the format (csv, xlsx or json)."""
    writer = {"csv": _csv, "xlsx": _xlsx, "json": _json}[export_format]
    return _with_licence(writer(dataset, request), dataset, export_format)


def _csv(dataset: Dataset, request) -> StreamingHttpResponse:
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


def _xlsx(dataset: Dataset, request) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(DATA_SHEET)
    data.append(dataset.headers())
    for row in dataset.rows():
        data.append([escape_formula(_native(value)) for value in row])
    about = workbook.create_sheet(ABOUT_SHEET)
    for key, value in metadata(dataset, request).items():
        about.append([key, json.dumps(value) if isinstance(value, dict) else value])
    licence = settings.OPEN_DATA_LICENCE
    workbook.properties.title = in_language(dataset.title, "en")
    workbook.properties.description = f"Licence: {licence['title']} ({licence['path']})"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type=FORMATS["xlsx"])


def _json(dataset: Dataset, request) -> StreamingHttpResponse:
    headers = dataset.headers()

    def chunks():
        head = json.dumps(metadata(dataset, request), ensure_ascii=False)[:-1]
        yield head + f', "{JSON_ROWS}": ['
        for number, row in enumerate(dataset.rows()):
            values = {name: _native(value) for name, value in zip(headers, row, strict=True)}
            yield ("," if number else "") + "\n" + json.dumps(values, ensure_ascii=False)
        yield "\n]}\n"

    return StreamingHttpResponse(chunks(), content_type=FORMATS["json"])
