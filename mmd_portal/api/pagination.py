"""Cursor pages in the order a collection's `sort` asks for (the listing's own sort values),
or by primary key without one.

DRF's `CursorPagination` places its cursor on the first ordering column alone, which needs that
column unique and never empty; the listings sort by dates, amounts and titles, which repeat
and may be empty. Here the cursor is the last row's key, (sort column value, primary key),
compared as the listing orders (empty values last, the primary key breaking ties): pages
never overlap or skip a row, and stay stable while records are added.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination

from core.filters import SortFilter


def _sort_of(request, view) -> tuple[str | None, bool]:
    """(column, descending) of the request's `sort`, or (None, False) for primary-key order.
    An unknown value never gets here: the FilterSet has answered 400 already."""
    filterset_class = getattr(view, "filterset_class", None)
    sort = filterset_class.base_filters.get("sort") if filterset_class else None
    value = request.query_params.get("sort")
    if not isinstance(sort, SortFilter) or value not in sort.columns:
        return None, False
    return sort.columns[value], value.startswith("-")


def _cursor_value(value: Any) -> Any:
    if isinstance(value, datetime.date | Decimal):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value


class SortedCursorPagination(CursorPagination):
    """Cursor pagination (`cursor`, `page_size`) in `sort` order, with next and previous
    links; the envelope and schema are DRF's cursor pagination's."""

    ordering = "pk"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.column, self.descending = _sort_of(request, view)
        cursor = self.decode_cursor(request)
        reverse = bool(cursor and cursor.reverse)
        key = self._key_of_cursor(cursor)
        rows = queryset.order_by(*self._ordering(reverse))
        if key is not None:
            rows = rows.filter(self._before(key) if reverse else self._after(key))
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if reverse:
            page.reverse()
        self.page = page
        self.has_next = key is not None if reverse else more
        self.has_previous = more if reverse else key is not None
        return page

    # --- The order and the rows beyond a key -------------------------------------------------

    def _ordering(self, reverse: bool) -> list:
        """The listing's ORDER BY (empty values last, then the key), or its reverse."""
        descending = self.descending != reverse  # the direction of this query
        pk = F("pk").desc() if descending else F("pk").asc()
        if self.column is None:
            return [pk]
        column = F(self.column)
        # Empty values come last in the listing's order, so first when it is walked backwards.
        empty = {"nulls_first": True} if reverse else {"nulls_last": True}
        return [column.desc(**empty) if descending else column.asc(**empty), pk]

    def _later(self) -> str:
        """The lookup of "further in the listing's order"."""
        return "lt" if self.descending else "gt"

    def _earlier(self) -> str:
        return "gt" if self.descending else "lt"

    def _after(self, key: tuple[Any, int]) -> Q:
        value, pk = key
        later = self._later()
        if self.column is None:
            return Q(**{f"pk__{later}": pk})
        column = self.column
        if value is None:
            return Q(**{f"{column}__isnull": True, f"pk__{later}": pk})
        return (
            Q(**{f"{column}__{later}": value})
            | Q(**{column: value, f"pk__{later}": pk})
            | Q(**{f"{column}__isnull": True})
        )

    def _before(self, key: tuple[Any, int]) -> Q:
        value, pk = key
        earlier = self._earlier()
        if self.column is None:
            return Q(**{f"pk__{earlier}": pk})
        column = self.column
        if value is None:
            return Q(**{f"{column}__isnull": False}) | Q(
                **{f"{column}__isnull": True, f"pk__{earlier}": pk}
            )
        return Q(**{f"{column}__{earlier}": value}) | Q(**{column: value, f"pk__{earlier}": pk})

    # --- Cursors ------------------------------------------------------------------------------

    def _key_of(self, record) -> str:
        value = getattr(record, self.column) if self.column else None
        return json.dumps([_cursor_value(value), record.pk])

    def _key_of_cursor(self, cursor: Cursor | None) -> tuple[Any, int] | None:
        if cursor is None or cursor.position is None:
            return None
        try:
            value, pk = json.loads(cursor.position)
            return value, int(pk)
        except (TypeError, ValueError) as error:
            raise NotFound(self.invalid_cursor_message) from error

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor(Cursor(0, False, self._key_of(self.page[-1])))

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self.encode_cursor(Cursor(0, True, self._key_of(self.page[0])))
