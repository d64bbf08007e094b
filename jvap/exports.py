"""The one place where an entry becomes the template's cells: used by the `export_jvap`
command, the public `/jvap/export.*` downloads and the upload preview's comparisons, so that an
export re-imports unchanged.

Countries are their English names joined by "; ", domains numbers, dates yyyy-mm-dd, budgets
plain numbers. CSV and XLSX downloads escape formula-like cells (core.downloads does it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.utils import translation

from core.downloads import csv_cells_response, xlsx_cells_response
from dialogues.models import Domain

from . import spreadsheet as sheet
from .models import EntryCountry, EntryOrganisation, JvapEntry

LIST_SEPARATOR = "; "


def entry_to_row(entry: JvapEntry) -> sheet.EntryRow:
    """The entry as the parser would read it back (use a `for_listing()` queryset)."""
    organisations = sorted(entry.organisations.all(), key=lambda o: (o.role, o.position, o.pk))
    return sheet.EntryRow(
        row_number=0,
        reference=entry.reference,
        title=entry.title,
        type=entry.type,
        domain=entry.domain.number,
        secondary_domains=tuple(sorted(d.number for d in entry.secondary_domains.all())),
        countries=tuple(sorted(c.country.code for c in entry.countries.all())),
        implementers=tuple(
            o.name for o in organisations if o.role == EntryOrganisation.Role.IMPLEMENTER
        ),
        donors=tuple(o.name for o in organisations if o.role == EntryOrganisation.Role.DONOR),
        budget_eur=entry.budget_eur,
        start_date=entry.start_date,
        end_date=entry.end_date,
        status=entry.status,
        dialogue=entry.dialogue,
        description=entry.description,
        website=entry.website,
    )


def plain_number(amount: Decimal | None) -> int | float | None:
    """A budget as a plain number: 1250000, or 1250000.5 when it has cents."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def row_values(row: sheet.EntryRow, language: str = "en") -> dict[str, Any]:
    """Header -> export value of a row, in the template's column order; the labels of closed
    values and the country names in the language (English: the template's own; French: what
    the reader accepts as well). Keyed by the English headers whatever the language."""
    join = LIST_SEPARATOR.join
    types, statuses, dialogues = (
        sheet.labels(choices, language)
        for choices in (sheet.TYPE_CHOICES, sheet.STATUS_CHOICES, sheet.DIALOGUE_CHOICES)
    )
    return {
        sheet.REFERENCE: row.reference,
        sheet.TITLE: row.title,
        sheet.TYPE: types.get(row.type, row.type),
        sheet.DOMAIN: row.domain,
        sheet.SECONDARY_DOMAINS: join(str(n) for n in row.secondary_domains),
        sheet.COUNTRIES: join(sheet.country_name(code, language) for code in row.countries),
        sheet.IMPLEMENTERS: join(row.implementers),
        sheet.DONORS: join(row.donors),
        sheet.BUDGET: plain_number(row.budget_eur),
        sheet.START_DATE: row.start_date.isoformat() if row.start_date else "",
        sheet.END_DATE: row.end_date.isoformat() if row.end_date else "",
        sheet.STATUS: statuses.get(row.status, row.status),
        sheet.DIALOGUE: dialogues.get(row.dialogue, row.dialogue),
        sheet.DESCRIPTION: row.description,
        sheet.WEBSITE: row.website,
    }


def row_texts(row: sheet.EntryRow) -> dict[str, str]:
    """Header -> the value as text, for comparisons and the change history."""
    return {h: "" if v is None else str(v) for h, v in row_values(row).items()}


EXPORT_CHUNK = 2000
ROW_FIELDS = (
    "title",
    "type",
    "budget_eur",
    "start_date",
    "end_date",
    "status",
    "dialogue",
    "description",
    "website",
)


def row_builder(**entry_filter: Any) -> Callable[[dict[str, Any]], sheet.EntryRow]:
    """Read the countries, organisations and secondary domains of the entries matching the
    filter (e.g. `partner=p` or `pk__in=[...]`) in three flat queries, and return a function
    that makes an entry's row from its `values()` (pk, reference, domain__number, ROW_FIELDS).
    """
    on_entry = {f"entry__{key}": value for key, value in entry_filter.items()}
    countries: dict[int, list[str]] = defaultdict(list)
    for entry_id, code in EntryCountry.objects.filter(**on_entry).values_list(
        "entry_id", "country"
    ):
        countries[entry_id].append(str(code))
    organisations: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for entry_id, role, name in (
        EntryOrganisation.objects.filter(**on_entry)
        .order_by("entry_id", "role", "position", "pk")
        .values_list("entry_id", "role", "name")
    ):
        organisations[entry_id].append((role, name))
    secondary: dict[int, list[int]] = defaultdict(list)
    for entry_id, number in JvapEntry.secondary_domains.through.objects.filter(
        **{f"jvapentry__{key}": value for key, value in entry_filter.items()}
    ).values_list("jvapentry_id", "domain__number"):
        secondary[entry_id].append(number)

    def build(values: dict[str, Any]) -> sheet.EntryRow:
        pk = values["pk"]
        return sheet.EntryRow(
            row_number=0,
            reference=values["reference"],
            domain=values["domain__number"],
            secondary_domains=tuple(sorted(secondary[pk])),
            countries=tuple(sorted(countries[pk])),
            implementers=tuple(
                n for role, n in organisations[pk] if role == EntryOrganisation.Role.IMPLEMENTER
            ),
            donors=tuple(
                n for role, n in organisations[pk] if role == EntryOrganisation.Role.DONOR
            ),
            **{name: values[name] for name in ROW_FIELDS},
        )

    return build


def rows_of(entries: Iterable[JvapEntry]) -> Iterator[sheet.EntryRow]:
    """The entries as the parser would read them back, in their order.

    A queryset is read as flat tuples from one query, its lists aggregated in SQL
    (`flat_entries`), through a server-side cursor: model instances and prefetch caches for
    tens of thousands of entries cost many times more. Gives the same rows as `entry_to_row`.
    """
    if not isinstance(entries, QuerySet):
        for entry in entries:
            yield entry_to_row(entry)
        return
    for values in flat_entries(entries):
        yield _row_of(values)


# Joins an entry's lists in SQL; no name or code holds this control character.
SQL_LIST_SEPARATOR = "\x1f"
FLAT_FIELDS = ("reference", "domain__number", *ROW_FIELDS)
FLAT_NAMES = ("reference", "domain", *ROW_FIELDS)  # their names in EntryRow
FLAT_LISTS = ("secondary_domains", "countries", "implementers", "donors")


def _ordered_list(connection, value: str, source: str, order: str, params: tuple = ()) -> RawSQL:
    """An entry's list as one text cell, in the order given: PostgreSQL aggregates in order;
    SQLite (before 3.44 `group_concat` takes no ORDER BY) reads an ordered subquery."""
    if connection.vendor == "postgresql":
        sql = f"(SELECT string_agg({value}, %s ORDER BY {order}) FROM {source})"
    else:
        ordered = f"SELECT {value} AS v FROM {source} ORDER BY {order}"
        sql = f"(SELECT group_concat(v, %s) FROM ({ordered}))"
    return RawSQL(sql, (SQL_LIST_SEPARATOR, *params))


def _list_columns(connection) -> list[RawSQL]:
    """The secondary domains, countries, implementers and donors of each entry (FLAT_LISTS)."""
    quote = connection.ops.quote_name
    entry = f"{quote(JvapEntry._meta.db_table)}.{quote('id')}"
    through = quote(JvapEntry.secondary_domains.through._meta.db_table)
    organisations = f"{quote(EntryOrganisation._meta.db_table)} o WHERE o.entry_id = {entry}"
    return [
        _ordered_list(
            connection,
            "CAST(d.number AS TEXT)",
            f"{through} s JOIN {quote(Domain._meta.db_table)} d ON d.id = s.domain_id "
            f"WHERE s.jvapentry_id = {entry}",
            "d.number",
        ),
        country_list_column(connection),
        *(
            _ordered_list(
                connection,
                "o.name",
                f"{organisations} AND o.role = %s",
                "o.position, o.id",
                (role,),
            )
            for role in (EntryOrganisation.Role.IMPLEMENTER, EntryOrganisation.Role.DONOR)
        ),
    ]


def country_list_column(connection) -> RawSQL:
    """An entry's country codes, in code order, as one text cell (see `split_list`)."""
    quote = connection.ops.quote_name
    entry = f"{quote(JvapEntry._meta.db_table)}.{quote('id')}"
    return _ordered_list(
        connection,
        "c.country",
        f"{quote(EntryCountry._meta.db_table)} c WHERE c.entry_id = {entry}",
        "c.country",
    )


def flat_entries(entries: QuerySet, *more_fields: str) -> Iterator[tuple]:
    """(pk, *FLAT_FIELDS, *FLAT_LISTS, *more_fields) of each entry, in the queryset's order,
    from one query read in chunks; the lists are text joined by SQL_LIST_SEPARATOR (None when
    empty)."""
    query = flat_entries_query(entries, *more_fields)
    connection = connections[entries.db]
    if connection.vendor == "postgresql":
        return _streamed(connection, query)
    return query.iterator(chunk_size=EXPORT_CHUNK)


def _streamed(connection, query: QuerySet) -> Iterator[tuple]:
    """The query's rows streamed by psycopg in chunks of EXPORT_CHUNK rows, with the plan
    PostgreSQL makes for the whole result. Django's iterator declares a server-side cursor
    WITH HOLD (outside a transaction), which PostgreSQL plans for the first rows and stores
    whole before the first FETCH: for 15,000 entries about 1.5x the time of a COPY of the same
    rows, the stream about 1.1x. The values are psycopg's (the query's fields need no Django
    converter on PostgreSQL); the query is logged as Django logs its own."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return
    with connection.cursor() as cursor:
        logged = cursor.debug_sql(sql, params) if connection.queries_logged else nullcontext()
        with logged:
            yield from cursor.cursor.stream(sql, params, size=_stream_chunk())


def _stream_chunk() -> int:
    """Rows a stream reads at a time: chunks need libpq 17 (psycopg's binary package has it);
    an older one streams row by row."""
    import psycopg

    return EXPORT_CHUNK if psycopg.pq.version() >= 170000 else 1


def flat_entries_query(entries: QuerySet, *more_fields: str) -> QuerySet:
    """The query `flat_entries` reads (the benchmark COPYs it to time the floor)."""
    return entries.prefetch_related(None).values_list(
        "pk", *FLAT_FIELDS, *_list_columns(connections[entries.db]), *more_fields
    )


def split_list(joined: str | None) -> tuple[str, ...]:
    """A list of `flat_entries` as a tuple of its items."""
    return tuple(joined.split(SQL_LIST_SEPARATOR)) if joined else ()


def _row_of(values: tuple) -> sheet.EntryRow:
    """An EntryRow from a tuple of `flat_entries`."""
    fields = dict(zip(FLAT_NAMES, values[1 : len(FLAT_NAMES) + 1], strict=True))
    secondary, countries, implementers, donors = values[len(FLAT_NAMES) + 1 :][:4]
    return sheet.EntryRow(
        row_number=0,
        secondary_domains=tuple(int(number) for number in split_list(secondary)),
        countries=split_list(countries),
        implementers=split_list(implementers),
        donors=split_list(donors),
        **fields,
    )


def _columns(codes: bool) -> tuple:
    """The template's columns, and with `codes` the derived ones after them."""
    return (*sheet.COLUMNS, *sheet.DERIVED_COLUMNS) if codes else sheet.COLUMNS


def download_headers(language: str, *, codes: bool = True) -> list[str]:
    """The headers of a download in the language (see `download_cells` for its cells)."""
    return [column.header_in(language) for column in _columns(codes)]


# The order `_Labels.cells` and `_Labels.json_values` give the values in.
_CELL_ORDER = (
    *sheet.HEADERS,
    *(column.header for column in sheet.DERIVED_COLUMNS),
)
assert _CELL_ORDER == tuple(column.header for column in _columns(codes=True))


def _items(joined: str | None) -> list[str]:
    return joined.split(SQL_LIST_SEPARATOR) if joined else []


def _joined(joined: str | None) -> str:
    """A list of `flat_entries` joined by "; " (the same as joining its items)."""
    return joined.replace(SQL_LIST_SEPARATOR, LIST_SEPARATOR) if joined else ""


class _Labels:
    """The labels of a download in one language, made once: each entry's values then come
    straight from the tuple of `flat_entries`, with neither an EntryRow nor a call per column
    (the rows of tens of thousands of entries spent most of their time there)."""

    def __init__(self, language: str):
        self.types, self.statuses, self.dialogues = (
            sheet.labels(choices, language)
            for choices in (sheet.TYPE_CHOICES, sheet.STATUS_CHOICES, sheet.DIALOGUE_CHOICES)
        )
        french = language.startswith("fr")
        self.domains = {
            number: names[1 if french else 0] for number, names in sheet.DOMAIN_NAMES.items()
        }
        self.language = language

    def cells(self, values: tuple) -> list[Any]:
        """A tuple of `flat_entries` as the download's cells, in `_CELL_ORDER`: labels of the
        language, lists joined by "; ", dates yyyy-mm-dd, budgets plain numbers."""
        (
            _pk, reference, domain, title, entry_type, budget, start, end, status, dialogue,
            description, website, secondary, countries, implementers, donors,
        ) = values  # fmt: skip
        language, name = self.language, sheet.country_name
        return [
            reference,
            title,
            self.types.get(entry_type, entry_type),
            domain,
            _joined(secondary),
            LIST_SEPARATOR.join([name(code, language) for code in _items(countries)]),
            _joined(implementers),
            _joined(donors),
            plain_number(budget),
            start.isoformat() if start else "",
            end.isoformat() if end else "",
            self.statuses.get(status, status),
            self.dialogues.get(dialogue, dialogue),
            description,
            website,
            entry_type,
            self.domains[domain],
            _joined(countries),
            status,
            dialogue,
        ]

    def json_values(self, values: tuple) -> list[Any]:
        """A tuple of `flat_entries` as the values of its JSON object, in `_CELL_ORDER`: lists
        as lists, numbers as numbers, an empty date or closed value as null."""
        (
            _pk, reference, domain, title, entry_type, budget, start, end, status, dialogue,
            description, website, secondary, countries, implementers, donors,
        ) = values  # fmt: skip
        codes = _items(countries)
        language, name = self.language, sheet.country_name
        return [
            reference,
            title,
            self.types.get(entry_type, entry_type),
            domain,
            [int(number) for number in _items(secondary)],
            [name(code, language) for code in codes],
            _items(implementers),
            _items(donors),
            plain_number(budget),
            start.isoformat() if start else None,
            end.isoformat() if end else None,
            self.statuses.get(status, status) or None,
            self.dialogues.get(dialogue, dialogue) or None,
            description,
            website,
            entry_type,
            self.domains[domain],
            codes,
            status or None,
            dialogue or None,
        ]


def download_cells(entries: QuerySet, language: str, *, codes: bool = True) -> Iterator[list]:
    """The cells of each entry under `download_headers`, from one flat query."""
    labels = _Labels(language)
    width = len(_columns(codes))
    for values in flat_entries(entries):
        yield labels.cells(values)[:width]


def _language() -> str:
    return translation.get_language() or "en"


def export_csv(
    entries: QuerySet, filename: str = "jvap-entries", *, codes: bool = True
) -> StreamingHttpResponse:
    """The entries as CSV, in the active language (headers and labels)."""
    language = _language()
    headers = download_headers(language, codes=codes)
    return csv_cells_response(headers, download_cells(entries, language, codes=codes), filename)


def export_xlsx(entries: QuerySet, filename: str = "jvap-entries", *, codes=True):
    """The entries as .xlsx, in the active language (headers and labels)."""
    language = _language()
    headers = download_headers(language, codes=codes)
    return xlsx_cells_response(headers, download_cells(entries, language, codes=codes), filename)


def json_chunks(entries: QuerySet, language: str = "en", *, codes: bool = True) -> Iterator[str]:
    """A JSON array of entries keyed by the headers in the language, lists as lists."""
    keys = download_headers(language, codes=codes)
    labels = _Labels(language)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    yield "["
    separator = "\n"
    for values in flat_entries(entries):
        yield separator + encode(dict(zip(keys, labels.json_values(values), strict=False)))
        separator = ",\n"
    yield "\n]\n"


def export_json(entries: QuerySet, filename: str = "jvap-entries", *, codes=True):
    """The entries as JSON, in the active language (keys and labels)."""
    response = StreamingHttpResponse(
        json_chunks(entries, _language(), codes=codes), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


EXPORTERS = {"csv": export_csv, "xlsx": export_xlsx, "json": export_json}


def export_response(entries: QuerySet, export_format: str, filename: str, *, codes: bool = True):
    """The download of the entries in the format (csv, xlsx or json); without `codes`, only
    the template's columns (what `export_jvap` writes)."""
    return EXPORTERS[export_format](entries, filename, codes=codes)
