"""The floor of a JVAP download (issue 13): PostgreSQL's `COPY (<the download's query>) TO
STDOUT` as CSV, the same rows with their lists aggregated in SQL, timed in the same run."""

from __future__ import annotations

import time
from urllib.parse import urlsplit


def copy_floor_ms(path: str) -> float | None:
    """Milliseconds to COPY the rows of a `/jvap/export.*?<filters>` download to CSV; None
    for any other path."""
    from django.db import connection
    from django.http import QueryDict

    from jvap.exports import flat_entries_query
    from jvap.filters import JvapEntryFilter
    from jvap.models import JvapEntry

    parts = urlsplit(path)
    if not parts.path.startswith("/jvap/export."):
        return None
    filters = JvapEntryFilter(QueryDict(parts.query), queryset=JvapEntry.objects.published())
    sql, params = flat_entries_query(filters.qs).query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        started = time.perf_counter()
        with raw.copy(f"COPY ({raw.mogrify(sql, params)}) TO STDOUT WITH (FORMAT csv)") as copy:
            for _data in copy:
                pass
        return (time.perf_counter() - started) * 1000
