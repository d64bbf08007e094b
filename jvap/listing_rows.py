"""The rows of the public JVAP listing's table (`/jvap/`), as the text each cell shows.

A page of 25 entries read as model instances (with their domain, partner and organisation
joined, their countries, organisations and secondary domains prefetched) and rendered through
`get_…_display` and filters per cell cost about as much as all the page's queries at 100,000
entries. The same cells come from one flat query, the countries joined in SQL as the
downloads do (`jvap.exports`), and labels looked up once per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import get_language

from core.addresses import address_of
from core.country_names import namer
from core.numbers import whole_number

from .exports import country_list_column, split_list
from .models import JvapEntry, ReportingPartner

EMPTY = "–"


@dataclass(frozen=True, slots=True)
class ListingRow:
    """One entry as the listing's table shows it; the names are those the template reads."""

    pk: int
    url: str
    title: str
    type: str
    dialogue: str
    partner: str
    domain: str
    countries: str
    status: str
    budget: str
    years: str


def listing_rows(entries: QuerySet, partners: Mapping[int, ReportingPartner]) -> list[ListingRow]:
    """The entries of a page, in the queryset's order; `partners` holds every reporting
    partner by id (with its organisation)."""
    connection = connections[entries.db]
    values = (
        entries.select_related(None)
        .prefetch_related(None)
        .values_list(
            "pk",
            "title",
            "type",
            "dialogue",
            "partner_id",
            "domain__number",
            "domain__name",
            "domain__name_fr",
            "status",
            "budget_eur",
            "start_date",
            "end_date",
            country_list_column(connection),
        )
    )
    return list(_rows(values, partners))


def _rows(values: Iterable[tuple], partners: Mapping[int, ReportingPartner]):
    types, statuses, dialogues = (
        {value: str(label) for value, label in choices.choices}
        for choices in (JvapEntry.Type, JvapEntry.Status, JvapEntry.DialogueChoice)
    )
    french = (get_language() or "en").startswith("fr")
    address = address_of("jvap:entry_detail", "pk")
    country_name = namer()
    for (
        pk,
        title,
        kind,
        dialogue,
        partner_id,
        domain_number,
        domain_name,
        domain_name_fr,
        status,
        budget,
        start,
        end,
        countries,
    ) in values:
        yield ListingRow(
            pk=pk,
            url=address(pk),
            title=title,
            type=types.get(kind, kind),
            dialogue=dialogues.get(dialogue, dialogue) if dialogue else "",
            partner=str(partners[partner_id]),
            domain=f"{domain_number}. {(french and domain_name_fr) or domain_name}",
            countries=", ".join(country_name(code) for code in split_list(countries)),
            status=statuses.get(status, status) if status else EMPTY,
            budget=EMPTY if budget is None else whole_number(budget),
            years=_years(start, end),
        )


def _years(start, end) -> str:
    """ "2019–2021", "…–2021" or "2019–…" for an open end; "–" without dates."""
    if start is None and end is None:
        return EMPTY
    return f"{start.year if start else '…'}–{end.year if end else '…'}"
