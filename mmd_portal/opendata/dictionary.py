"""The data dictionary of every dataset the portal publishes: each column's name, label in
English and French, type, allowed values (codes and labels), example and how it is read from a
record. The bulk files, the /open-data/ page, the Frictionless Data Package and the DCAT-AP
catalogue are all made from these definitions, so they cannot disagree.

Column names are the headers of every bulk file. A coded value comes as two columns, the code
and its label (`country_code`, `country_name`). Lists are joined by "; ". Nothing about people
is published: no focal points, no staff, no uploaders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from dialogues.models import (
    ChairTerm,
    Dialogue,
    Document,
    Domain,
    Meeting,
    Membership,
    Organisation,
)
from grants.models import Call, CallStatus, ConsortiumMember, Grant
from jvap import spreadsheet as jvap_sheet
from jvap.exports import flat_entries, split_list
from jvap.models import EntryOrganisation, JvapEntry, ReportingPartner

LIST_SEPARATOR = "; "
ROWS_CHUNK = 2000


def in_language(text, language: str) -> str:
    """A translatable text in the language ("en" or "fr")."""
    with translation.override(language):
        return str(text)


@dataclass(frozen=True)
class Column:
    """One column of a dataset, as the data dictionary documents it."""

    name: str
    label: Any  # translatable
    type: str  # Frictionless Table Schema type: string, integer, number, boolean, date, datetime
    value: Callable[[Any], Any]
    example: str = ""
    required: bool = False
    choices: Sequence[tuple[str, Any]] = ()  # allowed codes and their labels
    foreign_key: tuple[str, str] | None = None  # (dataset, column) of a code list

    def labels(self) -> dict[str, str]:
        return {"en": in_language(self.label, "en"), "fr": in_language(self.label, "fr")}

    def schema(self) -> dict:
        """The column as a Table Schema field."""
        described = {
            "name": self.name,
            "title": in_language(self.label, "en"),
            "description": in_language(self.label, "fr"),
            "type": self.type,
            "example": self.example,
        }
        if self.type == "date":
            described["format"] = "%Y-%m-%d"
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.choices:
            constraints["enum"] = [code for code, _label in self.choices]
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Dataset:
    """A published dataset: its records, its columns and its key."""

    name: str
    title: Any
    description: Any
    records: Callable[[], QuerySet]
    columns: Sequence[Column]
    primary_key: str
    modified_field: str | None = "modified"
    date_field: str | None = None  # for the temporal coverage
    code_list: bool = False
    # The rows of all the records from flat queries, for a dataset too big to read as model
    # instances in the bulk files; the same rows as the columns' readers give.
    flat_rows: Callable[[Dataset], Iterable[list]] | None = None

    def rows(self, records: Iterable | None = None) -> Iterable[list]:
        """The records' values in the columns' order; the dataset's own records are read in
        chunks (each with its prefetched relations) or from `flat_rows`, so a file of 100,000
        entries is written in bounded memory."""
        if records is None and self.flat_rows is not None:
            yield from self.flat_rows(self)
            return
        if records is None:
            records = self.records()
            if isinstance(records, QuerySet):
                records = records.iterator(chunk_size=ROWS_CHUNK)
        for record in records:
            yield [column.value(record) for column in self.columns]

    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def last_modified(self):
        if not self.modified_field:
            return None
        return self.records().aggregate(latest=Max(self.modified_field))["latest"]

    def table_schema(self) -> dict:
        schema = {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": [self.primary_key],
            "missingValues": [""],
        }
        foreign_keys = [
            {
                "fields": [column.name],
                "reference": {"resource": column.foreign_key[0], "fields": [column.foreign_key[1]]},
            }
            for column in self.columns
            if column.foreign_key
        ]
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        return schema


# --- Small readers --------------------------------------------------------------------------


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _country_name(code) -> str:
    code = str(code or "")
    return countries.name(code) if code else ""


def _country_name_in(code: str, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code))


def _country_columns(prefix: str, read: Callable[[Any], Any], label_code, label_name) -> list:
    return [
        Column(
            f"{prefix}_code",
            label_code,
            "string",
            lambda r: str(read(r) or ""),
            "SN",
            foreign_key=("countries", "code"),
        ),
        Column(f"{prefix}_name", label_name, "string", lambda r: _country_name(read(r)), "Senegal"),
    ]


@dataclass(frozen=True)
class Bilingual:
    """A label given in English and French (the JVAP template's headers and values), read
    in the active language like a translatable text."""

    en: str
    fr: str

    def __str__(self) -> str:
        return self.fr if (translation.get_language() or "en").startswith("fr") else self.en


def _label_column(coded: Column, read: Callable[[Any], Any]) -> Column:
    """The label of a coded column's value, in the language of the file (or API request)."""
    labels = dict(coded.choices)
    return Column(
        f"{coded.name}_label",
        format_lazy(_("{column} (label)"), column=coded.label),
        "string",
        lambda r: str(labels.get(read(r), "")),
        str(labels.get(coded.example, "")),
    )


def _coded(name: str, label, choices, read: Callable[[Any], Any], example: str, **kwargs):
    """A coded value as two columns: the code (with its allowed values) and its label."""
    coded = Column(name, label, "string", read, example, choices=tuple(choices), **kwargs)
    return [coded, _label_column(coded, read)]


def _joined(values: Iterable) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def _slug_of(related: str):
    return lambda r: getattr(getattr(r, related), "slug", "") if getattr(r, related) else ""


MODIFIED = Column("modified", _("Last modified"), "datetime", lambda r: r.modified.isoformat())


# --- The datasets ---------------------------------------------------------------------------

COUNTRIES = Dataset(
    name="countries",
    title=_("Countries"),
    description=_("The code list of countries: ISO 3166-1 alpha-2 codes and names."),
    records=lambda: [(code, name) for code, name in countries],
    columns=[
        Column("code", _("ISO 3166-1 alpha-2 code"), "string", lambda r: r[0], "SN", True),
        Column(
            "name_en",
            _("Name in English"),
            "string",
            lambda r: _country_name_in(r[0], "en"),
            "Senegal",
        ),
        Column(
            "name_fr",
            _("Name in French"),
            "string",
            lambda r: _country_name_in(r[0], "fr"),
            "Sénégal",
        ),
    ],
    primary_key="code",
    modified_field=None,
    code_list=True,
)

DOMAINS = Dataset(
    name="jvap_domains",
    title=_("JVAP domains"),
    description=_("The code list of the five domains of the Joint Valletta Action Plan."),
    records=lambda: Domain.objects.order_by("number"),
    columns=[
        Column("number", _("Domain number"), "integer", lambda d: d.number, "1", True),
        Column("name_en", _("Name in English"), "string", lambda d: d.name, "Development"),
        Column("name_fr", _("Name in French"), "string", lambda d: d.name_fr, "Développement"),
    ],
    primary_key="number",
    modified_field=None,
    code_list=True,
)

ORGANISATIONS = Dataset(
    name="organisations",
    title=_("Organisations"),
    description=_("International, regional and other organisations taking part in the dialogues."),
    records=lambda: Organisation.objects.order_by("slug"),
    columns=[
        Column("slug", _("Identifier"), "string", lambda o: o.slug, "ecowas", True),
        Column(
            "name",
            _("Name"),
            "string",
            lambda o: o.name,
            "Economic Community of West African States",
            True,
        ),
        Column(
            "name_fr",
            _("Name in French"),
            "string",
            lambda o: o.name_fr,
            "Communauté économique des États de l’Afrique de l’Ouest",
        ),
        Column("acronym", _("Acronym"), "string", lambda o: o.acronym, "ECOWAS"),
        *_coded(
            "type", _("Type"), Organisation.Type.choices, lambda o: o.type, "rec", required=True
        ),
        *_country_columns(
            "country", lambda o: o.country, _("Country code (seat)"), _("Country (seat)")
        ),
        Column("website", _("Website"), "string", lambda o: o.website, "https://www.ecowas.int/"),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda o: o.get_absolute_url(),
            "/organisations/ecowas/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
)

DIALOGUES = Dataset(
    name="dialogues",
    title=_("Dialogues"),
    description=_("The migration dialogues between Africa and Europe that the portal covers."),
    records=lambda: Dialogue.objects.order_by("display_order", "slug"),
    columns=[
        Column("slug", _("Identifier"), "string", lambda d: d.slug, "rabat-process", True),
        Column("name", _("Name"), "string", lambda d: d.name, "Rabat Process", True),
        Column("name_fr", _("Name in French"), "string", lambda d: d.name_fr, "Processus de Rabat"),
        Column("short_name", _("Short name"), "string", lambda d: d.short_name, "Rabat"),
        *_coded(
            "kind",
            _("Kind"),
            Dialogue.Kind.choices,
            lambda d: d.kind,
            Dialogue.Kind.choices[0][0],
            required=True,
        ),
        Column(
            "is_mmd_component", _("Part of MMD"), "boolean", lambda d: d.is_mmd_component, "true"
        ),
        Column(
            "year_established",
            _("Year established"),
            "integer",
            lambda d: d.year_established,
            "2006",
        ),
        Column("is_active", _("Active"), "boolean", lambda d: d.is_active, "true"),
        Column("concluded_year", _("Year concluded"), "integer", lambda d: d.concluded_year, ""),
        Column(
            "website", _("Website"), "string", lambda d: d.website, "https://www.rabat-process.org/"
        ),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda d: d.get_absolute_url(),
            "/dialogues/rabat-process/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
)


def _participant_columns() -> list[Column]:
    return [
        Column(
            "dialogue",
            _("Dialogue"),
            "string",
            lambda m: m.dialogue.slug,
            "rabat-process",
            True,
            foreign_key=("dialogues", "slug"),
        ),
        *_country_columns("country", lambda m: m.country, _("State (ISO code)"), _("State")),
        Column(
            "organisation",
            _("Organisation"),
            "string",
            _slug_of("organisation"),
            "",
            foreign_key=("organisations", "slug"),
        ),
        Column(
            "organisation_name",
            _("Organisation name"),
            "string",
            lambda m: m.organisation.name if m.organisation_id else "",
            "",
        ),
    ]


MEMBERSHIPS = Dataset(
    name="memberships",
    title=_("Memberships of the dialogues"),
    description=_(
        "Which states and organisations take or took part in each dialogue, and from when to when."
    ),
    records=lambda: Membership.objects.select_related("dialogue", "organisation").order_by("pk"),
    columns=[
        Column("id", _("Identifier"), "integer", lambda m: m.pk, "12", True),
        *_participant_columns(),
        *_coded(
            "role", _("Role"), Membership.Role.choices, lambda m: m.role, "member", required=True
        ),
        Column("start", _("Start date"), "date", lambda m: _iso(m.start), "2006-07-10"),
        Column("end", _("End date"), "date", lambda m: _iso(m.end), ""),
        MODIFIED,
    ],
    primary_key="id",
    date_field="start",
)

CHAIR_TERMS = Dataset(
    name="chair_terms",
    title=_("Chair terms"),
    description=_("Who chaired each dialogue, from when to when."),
    records=lambda: ChairTerm.objects.select_related("dialogue", "organisation").order_by("pk"),
    columns=[
        Column("id", _("Identifier"), "integer", lambda t: t.pk, "3", True),
        *_participant_columns(),
        Column("start", _("Start date"), "date", lambda t: _iso(t.start), "2023-01-01", True),
        Column("end", _("End date"), "date", lambda t: _iso(t.end), ""),
        MODIFIED,
    ],
    primary_key="id",
    date_field="start",
)

MEETINGS = Dataset(
    name="meetings",
    title=_("Meetings"),
    description=_("Conferences, meetings, workshops and trainings of the dialogues."),
    records=lambda: Meeting.objects.prefetch_related("dialogues").order_by("start_date", "slug"),
    columns=[
        Column(
            "slug",
            _("Identifier"),
            "string",
            lambda m: m.slug,
            "dakar-ministerial-conference",
            True,
        ),
        Column(
            "title", _("Title"), "string", lambda m: m.title, "Dakar Ministerial Conference", True
        ),
        Column(
            "title_fr",
            _("Title in French"),
            "string",
            lambda m: m.title_fr,
            "Conférence ministérielle de Dakar",
        ),
        *_coded(
            "type",
            _("Type"),
            Meeting.Type.choices,
            lambda m: m.type,
            "ministerial-conference",
            required=True,
        ),
        Column(
            "dialogues",
            _("Dialogues (identifiers)"),
            "string",
            lambda m: _joined(d.slug for d in m.dialogues.all()),
            "rabat-process; khartoum-process",
        ),
        Column(
            "start_date", _("Start date"), "date", lambda m: _iso(m.start_date), "2024-03-11", True
        ),
        Column("end_date", _("End date"), "date", lambda m: _iso(m.end_date), "2024-03-12"),
        Column("city", _("City"), "string", lambda m: m.city, "Dakar"),
        *_country_columns(
            "country", lambda m: m.country, _("Host country (ISO code)"), _("Host country")
        ),
        Column("is_online", _("Online"), "boolean", lambda m: m.is_online, "false"),
        *_coded(
            "status", _("Status"), Meeting.Status.choices, lambda m: m.status, "held", required=True
        ),
        Column(
            "participants_count",
            _("Participants"),
            "integer",
            lambda m: m.participants_count,
            "120",
        ),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda m: m.get_absolute_url(),
            "/meetings/dakar-ministerial-conference/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
    date_field="start_date",
)

DOCUMENTS = Dataset(
    name="documents",
    title=_("Documents"),
    description=_("Declarations, action plans, reports and other documents of the dialogues."),
    records=lambda: (
        Document.objects.select_related("meeting").prefetch_related("dialogues").order_by("slug")
    ),
    columns=[
        Column("slug", _("Identifier"), "string", lambda d: d.slug, "dakar-declaration", True),
        Column("title", _("Title"), "string", lambda d: d.title, "Dakar Declaration", True),
        Column(
            "title_fr", _("Title in French"), "string", lambda d: d.title_fr, "Déclaration de Dakar"
        ),
        *_coded(
            "kind", _("Kind"), Document.Kind.choices, lambda d: d.kind, "declaration", required=True
        ),
        *_coded(
            "language",
            _("Language"),
            Document.Language.choices,
            lambda d: d.language,
            "en",
            required=True,
        ),
        Column("date", _("Date"), "date", lambda d: _iso(d.date), "2024-03-12"),
        Column(
            "dialogues",
            _("Dialogues (identifiers)"),
            "string",
            lambda d: _joined(x.slug for x in d.dialogues.all()),
            "rabat-process",
        ),
        Column(
            "meeting",
            _("Meeting"),
            "string",
            _slug_of("meeting"),
            "dakar-ministerial-conference",
            foreign_key=("meetings", "slug"),
        ),
        Column(
            "link",
            _("Online address"),
            "string",
            lambda d: d.url,
            "https://example.org/declaration.pdf",
        ),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda d: d.get_absolute_url(),
            "/documents/dakar-declaration/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
    date_field="date",
)


def _entry_organisations(role):
    return lambda e: _joined(o.name for o in e.organisations.all() if o.role == role)


def _template_columns(
    column: jvap_sheet.Column, name: str, value: Callable[[Any], Any], **more
) -> list[Column]:
    """A JVAP template column as the dictionary documents it: label in both languages, type,
    `required`, allowed values and example all come from the template's definition (the one
    the importer reads with); a closed column gets its label column beside the code."""
    label = Bilingual(column.header, column.header_fr)
    described = Column(
        name,
        label,
        column.type,
        value,
        column.example,
        column.required,
        choices=tuple((code, Bilingual(en, fr)) for code, en, fr in column.choices),
        **more,
    )
    if not column.choices:
        return [described]
    return [described, _label_column(described, value)]


# How each JVAP template column is read from a published entry, by the template's EntryRow
# field: (column name in the files, value, what more the dictionary says). A column added to
# the template without a reader here stops the portal at start-up (KeyError), so the files,
# schema and API always carry every template column.
JVAP_TEMPLATE_READERS: dict[str, tuple[str, Callable[[Any], Any], dict]] = {
    "reference": ("reference", lambda e: e.reference, {}),
    "title": ("title", lambda e: e.title, {}),
    "type": ("type", lambda e: e.type, {}),
    "domain": ("domain", lambda e: e.domain.number, {"foreign_key": ("jvap_domains", "number")}),
    "secondary_domains": (
        "secondary_domains",
        lambda e: _joined(sorted(d.number for d in e.secondary_domains.all())),
        {},
    ),
    "countries": (
        "country_names",
        lambda e: _joined(
            _country_name(c) for c in sorted(str(c.country) for c in e.countries.all())
        ),
        {},
    ),
    "implementers": (
        "implementers",
        _entry_organisations(EntryOrganisation.Role.IMPLEMENTER),
        {},
    ),
    "donors": ("donors", _entry_organisations(EntryOrganisation.Role.DONOR), {}),
    "budget_eur": ("budget_eur", lambda e: e.budget_eur, {}),
    "start_date": ("start_date", lambda e: _iso(e.start_date), {}),
    "end_date": ("end_date", lambda e: _iso(e.end_date), {}),
    "status": ("status", lambda e: e.status, {}),
    "dialogue": ("dialogue", lambda e: e.dialogue, {}),
    "description": ("description", lambda e: e.description, {}),
    "website": ("website", lambda e: e.website, {}),
}


def _jvap_template_columns() -> dict[str, list[Column]]:
    """Template field -> its dictionary columns, in the template's order."""
    described = {}
    for column in jvap_sheet.COLUMNS:
        name, value, more = JVAP_TEMPLATE_READERS[column.field]
        described[column.field] = _template_columns(column, name, value, **more)
    return described


_TEMPLATE = _jvap_template_columns()


def _jvap_entries_rows(dataset: Dataset) -> Iterator[list]:
    """JVAP_ENTRIES' rows from one flat query (`jvap.exports.flat_entries`), the partners',
    domains' and countries' names read once: 100,000 entries without a model instance each."""
    partners = {
        partner.pk: (partner.code, str(partner))
        for partner in ReportingPartner.objects.select_related("organisation")
    }
    domains = {domain.number: domain.localized("name") for domain in Domain.objects.all()}
    country_names: dict[str, str] = {}

    def names(codes: tuple[str, ...]) -> str:
        for code in codes:
            if code not in country_names:
                country_names[code] = _country_name(code)
        return _joined(country_names[code] for code in codes)

    labels = {
        f"{column.name}_label": {code: str(label) for code, label in column.choices}
        for column in dataset.columns
        if column.choices
    }
    more = ("partner_id", "campaign_year", "updated_at")
    for values in flat_entries(dataset.records(), *more):
        (pk, reference, domain, title, entry_type, budget, start, end, status, dialogue) = values[
            :10
        ]
        description, website, secondary, codes, implementers, donors = values[10:16]
        partner, campaign_year, updated_at = values[16:]
        codes = split_list(codes)
        read = {
            "id": pk,
            "partner_code": partners[partner][0],
            "partner_name": partners[partner][1],
            "reference": reference,
            "title": title,
            "type": entry_type,
            "domain": domain,
            "domain_name": domains[domain],
            "secondary_domains": _joined(split_list(secondary)),
            "country_codes": _joined(codes),
            "country_names": names(codes),
            "implementers": _joined(split_list(implementers)),
            "donors": _joined(split_list(donors)),
            "budget_eur": budget,
            "start_date": _iso(start),
            "end_date": _iso(end),
            "status": status,
            "dialogue": dialogue,
            "description": description,
            "website": website,
            "campaign_year": campaign_year,
            "url": reverse("jvap:entry_detail", kwargs={"pk": pk}),
            "modified": updated_at.isoformat(),
        }
        for name, label in labels.items():
            read[name] = label.get(read[name.removesuffix("_label")], "")
        yield [read[column.name] for column in dataset.columns]


# The JVAP columns carry the template's headers (English and French) as their labels, so that
# a download reads like the spreadsheet partners fill in; the columns the template has not
# (the portal's identifier, the partner, the codes beside the names) come around them.
JVAP_ENTRIES = Dataset(
    name="jvap_entries",
    title=_("JVAP entries"),
    description=_(
        "Projects and policies reported under the Joint Valletta Action Plan, validated and "
        "published."
    ),
    records=lambda: JvapEntry.objects.published().for_listing().order_by("pk"),
    columns=[
        Column("id", _("Identifier"), "integer", lambda e: e.pk, "1042", True),
        Column(
            "partner_code",
            _("Reporting partner (code)"),
            "string",
            lambda e: e.partner.code,
            "SN",
            True,
        ),
        Column(
            "partner_name", _("Reporting partner"), "string", lambda e: str(e.partner), "Senegal"
        ),
        *_TEMPLATE["reference"],
        *_TEMPLATE["title"],
        *_TEMPLATE["type"],
        *_TEMPLATE["domain"],
        Column(
            "domain_name",
            _("JVAP domain (name)"),
            "string",
            lambda e: e.domain.localized("name"),
            "Legal migration and mobility",
        ),
        *_TEMPLATE["secondary_domains"],
        Column(
            "country_codes",
            _("Countries (ISO codes)"),
            "string",
            lambda e: _joined(sorted(str(c.country) for c in e.countries.all())),
            "SN; ML",
        ),
        *_TEMPLATE["countries"],
        *_TEMPLATE["implementers"],
        *_TEMPLATE["donors"],
        *_TEMPLATE["budget_eur"],
        *_TEMPLATE["start_date"],
        *_TEMPLATE["end_date"],
        *_TEMPLATE["status"],
        *_TEMPLATE["dialogue"],
        *_TEMPLATE["description"],
        *_TEMPLATE["website"],
        Column(
            "campaign_year", _("Campaign year"), "integer", lambda e: e.campaign_year, "2025", True
        ),
        Column(
            "url", _("Page on the portal"), "string", lambda e: e.get_absolute_url(), "/jvap/1042/"
        ),
        Column("modified", _("Last modified"), "datetime", lambda e: e.updated_at.isoformat()),
    ],
    primary_key="id",
    modified_field="updated_at",
    date_field="start_date",
    flat_rows=_jvap_entries_rows,
)

CALLS = Dataset(
    name="grant_calls",
    title=_("Grant calls"),
    description=_("The calls for proposals of the MMD Grant Facility."),
    records=lambda: Call.objects.published().with_status().order_by("slug"),
    columns=[
        Column("slug", _("Identifier"), "string", lambda c: c.slug, "first-call-2024", True),
        Column("reference", _("Reference"), "string", lambda c: c.reference, "MMD-GF-2024-1"),
        Column("title", _("Title"), "string", lambda c: c.title, "First call for proposals", True),
        Column(
            "title_fr",
            _("Title in French"),
            "string",
            lambda c: c.title_fr,
            "Premier appel à propositions",
        ),
        *_coded("status", _("Status"), CallStatus.choices, lambda c: c.status, "open"),
        Column("budget_eur", _("Budget (EUR)"), "number", lambda c: c.budget_eur, "2000000"),
        Column(
            "grant_min_eur",
            _("Smallest grant (EUR)"),
            "number",
            lambda c: c.grant_min_eur,
            "100000",
        ),
        Column(
            "grant_max_eur", _("Largest grant (EUR)"), "number", lambda c: c.grant_max_eur, "300000"
        ),
        Column("opens_on", _("Opening date"), "date", lambda c: _iso(c.opens_on), "2024-03-01"),
        Column(
            "concept_note_deadline",
            _("Concept note deadline"),
            "date",
            lambda c: _iso(c.concept_note_deadline),
            "2024-04-15",
        ),
        Column(
            "full_application_deadline",
            _("Full application deadline"),
            "date",
            lambda c: _iso(c.full_application_deadline),
            "2024-06-30",
        ),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda c: c.get_absolute_url(),
            "/grants/calls/first-call-2024/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
    date_field="opens_on",
)

GRANTS = Dataset(
    name="grants",
    title=_("Grants"),
    description=_(
        "The grants of the MMD Grant Facility, with their dialogues, domains and countries."
    ),
    records=lambda: (
        Grant.objects.published()
        .select_related("call")
        .prefetch_related("dialogues", "domains", "countries")
        .order_by("slug")
    ),
    columns=[
        Column(
            "slug", _("Identifier"), "string", lambda g: g.slug, "safe-mobility-west-africa", True
        ),
        Column(
            "reference", _("Reference"), "string", lambda g: g.reference, "MMD-GF-2024-07", True
        ),
        Column(
            "title", _("Title"), "string", lambda g: g.title, "Safe mobility in West Africa", True
        ),
        Column(
            "title_fr",
            _("Title in French"),
            "string",
            lambda g: g.title_fr,
            "Mobilité sûre en Afrique de l’Ouest",
        ),
        Column(
            "call",
            _("Call"),
            "string",
            lambda g: g.call.slug if g.call_id and g.call.is_published else "",
            "first-call-2024",
            foreign_key=("grant_calls", "slug"),
        ),
        Column("amount_eur", _("Grant amount (EUR)"), "number", lambda g: g.amount_eur, "250000"),
        Column(
            "co_financing_eur",
            _("Co-financing (EUR)"),
            "number",
            lambda g: g.co_financing_eur,
            "25000",
        ),
        Column("start", _("Start date"), "date", lambda g: _iso(g.start), "2024-09-01", True),
        Column("end", _("End date"), "date", lambda g: _iso(g.end), "2026-08-31", True),
        *_coded(
            "status",
            _("Status"),
            Grant.Status.choices,
            lambda g: g.status,
            "ongoing",
            required=True,
        ),
        Column(
            "dialogues",
            _("Dialogues (identifiers)"),
            "string",
            lambda g: _joined(d.slug for d in g.dialogues.all()),
            "rabat-process",
        ),
        Column(
            "domains",
            _("JVAP domains (numbers)"),
            "string",
            lambda g: _joined(sorted(d.number for d in g.domains.all())),
            "2; 3",
        ),
        Column(
            "country_codes",
            _("Countries (ISO codes)"),
            "string",
            lambda g: _joined(sorted(str(c.country) for c in g.countries.all())),
            "SN; GM",
        ),
        Column("website", _("Website"), "string", lambda g: g.website, "https://example.org/grant"),
        Column(
            "url",
            _("Page on the portal"),
            "string",
            lambda g: g.get_absolute_url(),
            "/grants/safe-mobility-west-africa/",
        ),
        MODIFIED,
    ],
    primary_key="slug",
    date_field="start",
)

CONSORTIA = Dataset(
    name="grant_consortia",
    title=_("Grant consortia"),
    description=_("The organisations of each grant's consortium and their roles."),
    records=lambda: (
        ConsortiumMember.objects.filter(grant__in=Grant.objects.published())
        .select_related("grant", "organisation")
        .order_by("pk")
    ),
    columns=[
        Column("id", _("Identifier"), "integer", lambda m: m.pk, "31", True),
        Column(
            "grant",
            _("Grant"),
            "string",
            lambda m: m.grant.slug,
            "safe-mobility-west-africa",
            True,
            foreign_key=("grants", "slug"),
        ),
        Column(
            "organisation",
            _("Organisation"),
            "string",
            lambda m: m.organisation.slug,
            "iom",
            True,
            foreign_key=("organisations", "slug"),
        ),
        Column(
            "organisation_name",
            _("Organisation name"),
            "string",
            lambda m: m.organisation.name,
            "International Organization for Migration",
        ),
        *_coded(
            "role",
            _("Role"),
            ConsortiumMember.Role.choices,
            lambda m: m.role,
            "lead",
            required=True,
        ),
    ],
    primary_key="id",
    modified_field=None,
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        DIALOGUES,
        MEMBERSHIPS,
        CHAIR_TERMS,
        MEETINGS,
        DOCUMENTS,
        ORGANISATIONS,
        JVAP_ENTRIES,
        GRANTS,
        CONSORTIA,
        CALLS,
        COUNTRIES,
        DOMAINS,
    )
}
