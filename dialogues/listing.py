"""The one pattern of the portal's public listings: a FilterSet, pagination, and downloads of
the filtered rows. The JVAP and grants apps use it too, so every listing behaves alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django_filters.views import FilterView

from core.spreadsheet import escape_formula


@dataclass(frozen=True)
class Column:
    """One column of a download: its header and how to read it from a row."""

    header: str
    value: Callable[[Any], Any]


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


class FilteredListView(FilterView):
    """A public listing: filter with `filterset_class`, sort with its `sort` parameter,
    paginate, and offer the filtered rows as downloads.

    An invalid filter value (an unknown `type=`) shows the form's message and no rows, never
    everything. Subclasses set `queryset`, `filterset_class`, `template_name`, and for
    downloads `export_columns` and `export_filename`.
    """

    paginate_by = settings.PUBLIC_PAGE_SIZE
    strict = True
    export_columns: Sequence[Column] = ()
    export_filename = "export"
    export_formats = ("csv",)

    def get_filterset_kwargs(self, filterset_class):
        """Always bound, also without parameters: a bare download then exports every row
        rather than none."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        export_format = kwargs.get("export_format")
        if export_format:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def export(self, export_format: str):
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        filename = f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"
        if export_format == "xlsx":
            return xlsx_response(rows, self.export_columns, filename)
        return csv_response(rows.iterator(chunk_size=2000), self.export_columns, filename)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["export_formats"] = self.export_formats if self.export_columns else ()
        return context
