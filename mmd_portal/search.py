"""The portal's one search: dialogues, countries, organisations, meetings and documents, with
results grouped by kind, insensitive to case and accents ("senegal" finds Sénégal).

Accents are folded in Python, which works alike on SQLite and PostgreSQL: each kind reads the
text columns of a bounded number of its rows (`SCAN_LIMIT`, newest first), keeps those whose
folded text contains every folded word, and loads those rows in one more query.

Adding a kind (JVAP entries, grants) is one function taking the words and returning
`SearchResult`s, and one `SearchKind` entry in `KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import text
from core.collation import name_order
from dialogues.models import (
    Dialogue,
    Document,
    FrameworkElement,
    Meeting,
    Membership,
    Organisation,
    StrategicFramework,
)
from grants.search import search_grants
from jvap.search import search_entries

SCAN_LIMIT = 5000
RESULTS_PER_KIND = 20
MAX_QUERY_LENGTH = 200


def words_of(query: str) -> list[str]:
    return text.words_of(query, MAX_QUERY_LENGTH)


@dataclass
class SearchResult:
    title: str
    url: str
    description: str = ""
    meta: str = ""


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    find: Callable[[list[str]], list[SearchResult]]
    # The URL name of the listing whose `q=` filter gives every result of this kind.
    listing: str = ""


@dataclass
class ResultGroup:
    kind: SearchKind
    results: list[SearchResult] = field(default_factory=list)
    more: bool = False
    more_url: str = ""


def _matching_pks(queryset, fields: Iterable[str], words: list[str]) -> list:
    """The pks of the rows whose fields hold every word; a field named `country` is read as the
    state's name in the visitor's language and in English ("senegal" finds meetings in Dakar)."""
    fields = tuple(fields)
    country_at = fields.index("country") + 1 if "country" in fields else None
    names = _country_names() if country_at else {}
    rows = queryset.values_list("pk", *fields)[:SCAN_LIMIT]
    found = []
    for row in rows:
        texts = list(row[1:])
        if country_at:
            texts.append(names.get(row[country_at], ""))
        if text.matches(words, *texts):
            found.append(row[0])
            if len(found) > RESULTS_PER_KIND:
                break
    return found


def _country_names() -> dict[str, str]:
    """Every state's name in the visitor's language and in English, by code."""
    local = {code: str(name) for code, name in countries}
    with translation.override("en"):
        return {code: f"{local.get(code, '')} {name}" for code, name in countries}


def _in_order(queryset, pks: list) -> list:
    by_pk = queryset.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _shorten(text: str, length: int = 220) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def search_dialogues(words: list[str]) -> list[SearchResult]:
    fields = ("name", "name_fr", "short_name", "summary", "summary_fr")
    pks = _matching_pks(Dialogue.objects.all(), fields, words)
    return [
        SearchResult(d.localized("name"), d.get_absolute_url(), _shorten(d.localized("summary")))
        for d in _in_order(Dialogue.objects.all(), pks)
    ]


def search_countries(words: list[str]) -> list[SearchResult]:
    """The states taking part in a dialogue or hosting a meeting, by their name in the
    visitor's language or in English, or by their code."""
    codes = set(Membership.objects.exclude(country="").values_list("country", flat=True))
    codes |= set(Meeting.objects.exclude(country="").values_list("country", flat=True))
    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    results = []
    for code, name in countries:
        if code not in codes:
            continue
        if text.matches(words, name, english.get(code, "")) or words == [code.lower()]:
            results.append(SearchResult(str(name), reverse("country_detail", args=[code.lower()])))
    return results


def search_organisations(words: list[str]) -> list[SearchResult]:
    fields = ("name", "name_fr", "acronym", "description", "description_fr")
    pks = _matching_pks(
        Organisation.objects.order_by(name_order("name", translated=True), "pk"), fields, words
    )
    return [
        SearchResult(
            o.name_with_acronym,
            o.get_absolute_url(),
            _shorten(o.localized("description")),
            o.get_type_display(),
        )
        for o in _in_order(Organisation.objects.all(), pks)
    ]


def search_meetings(words: list[str]) -> list[SearchResult]:
    fields = ("title", "title_fr", "city", "country", "summary", "summary_fr")
    pks = _matching_pks(Meeting.objects.order_by("-start_date", "pk"), fields, words)
    return [
        SearchResult(
            m.localized("title"),
            m.get_absolute_url(),
            _shorten(m.localized("summary")),
            " · ".join(
                part
                for part in (str(m.get_type_display()), m.place, m.date_as_known("start_date"))
                if part
            ),
        )
        for m in _in_order(Meeting.objects.all(), pks)
    ]


def search_documents(words: list[str]) -> list[SearchResult]:
    fields = ("title", "title_fr", "description", "description_fr")
    pks = _matching_pks(Document.objects.order_by("-date", "pk"), fields, words)
    return [
        SearchResult(
            d.localized("title"),
            d.get_absolute_url(),
            _shorten(d.localized("description")),
            " · ".join(
                part
                for part in (str(d.get_kind_display()), date_format(d.date) if d.date else "")
                if part
            ),
        )
        for d in _in_order(Document.objects.all(), pks)
    ]


def _framework_url(framework) -> str:
    """Where a framework is shown: its section of its dialogue's page."""
    return f"{framework.dialogue.get_absolute_url()}#framework-{framework.slug}"


def search_frameworks(words: list[str]) -> list[SearchResult]:
    """Strategic frameworks (the Rabat Process's Cadiz Political Declaration and Action Plan,
    the Khartoum Process's Rome Declaration...) and their areas, objectives and actions."""
    fields = ("name", "name_fr", "summary", "summary_fr", "adopted_at", "dialogue__name")
    frameworks = StrategicFramework.objects.select_related("dialogue")
    pks = _matching_pks(StrategicFramework.objects.order_by("dialogue", "pk"), fields, words)
    results = [
        SearchResult(
            f.localized("name"),
            _framework_url(f),
            _shorten(f.localized("summary")),
            " · ".join(
                part
                for part in (str(f.get_kind_display()), f.dialogue.localized("short_name"))
                if part
            ),
        )
        for f in _in_order(frameworks, pks)
    ]
    elements = FrameworkElement.objects.select_related("framework__dialogue")
    fields = ("title", "title_fr", "number", "framework__name", "framework__name_fr")
    pks = _matching_pks(FrameworkElement.objects.order_by("framework", "pk"), fields, words)
    results += [
        SearchResult(
            " ".join(part for part in (e.number, e.localized("title")) if part),
            _framework_url(e.framework),
            "",
            " · ".join((str(e.get_level_display()), e.framework.localized("name"))),
        )
        for e in _in_order(elements, pks[: RESULTS_PER_KIND + 1 - len(results)])
    ]
    return results


def search_jvap_entries(words: list[str]) -> list[SearchResult]:
    """Published JVAP entries, searched in the database (there may be a hundred thousand)."""
    return [
        SearchResult(
            entry.title,
            entry.get_absolute_url(),
            _shorten(entry.description),
            str(entry.get_type_display()),
        )
        for entry in search_entries(" ".join(words), limit=RESULTS_PER_KIND + 1)
    ]


def search_grants_facility(words: list[str]) -> list[SearchResult]:
    return [
        SearchResult(
            grant.localized("title"), grant.get_absolute_url(), _shorten(grant.localized("summary"))
        )
        for grant in search_grants(" ".join(words), limit=RESULTS_PER_KIND + 1)
    ]


KINDS: list[SearchKind] = [
    SearchKind("dialogues", _("Dialogues"), search_dialogues),
    SearchKind("countries", _("Countries"), search_countries),
    SearchKind(
        "organisations", _("Organisations"), search_organisations, "dialogues:organisation_list"
    ),
    SearchKind("meetings", _("Meetings"), search_meetings, "dialogues:meeting_list"),
    SearchKind("documents", _("Documents"), search_documents, "dialogues:document_list"),
    SearchKind("frameworks", _("Strategic frameworks and their actions"), search_frameworks),
    SearchKind("jvap", _("JVAP projects and policies"), search_jvap_entries, "jvap:entry_list"),
    SearchKind("grants", _("Grants"), search_grants_facility, "grants:grant_list"),
]


def search(query: str) -> list[ResultGroup]:
    """The results of every kind that has some, in the order of `KINDS`."""
    words = words_of(query)
    if not words:
        return []
    groups = []
    for kind in KINDS:
        results = kind.find(words)
        if results:
            more = len(results) > RESULTS_PER_KIND
            more_url = ""
            if more and kind.listing:
                more_url = f"{reverse(kind.listing)}?{urlencode({'q': query})}"
            groups.append(ResultGroup(kind, results[:RESULTS_PER_KIND], more, more_url))
    return groups
