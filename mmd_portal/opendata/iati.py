"""The published JVAP projects as IATI 2.03 activities (`/open-data/jvap-iati.xml`), so that
IATI aggregators (d-portal, the IATI Datastore) can read them beside the donors' own data.

The portal is a *secondary reporter*: the reporting partner remains the participating
organisation that is accountable for the entry. Policies are not activities in IATI's sense
and stay out; so do projects without any date (IATI requires at least one activity date).
Element order follows the 2.03 schema's sequence, which validators enforce.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone

from jvap.models import EntryOrganisation, JvapEntry

IATI_VERSION = "2.03"
# DAC 5-digit sector 15190: "Facilitation of orderly, safe, regular and responsible migration
# and mobility".
DAC_MIGRATION_SECTOR = "15190"
# Sector vocabulary 1 is DAC 5-digit; 99 is the reporting organisation's own (the JVAP domains).
VOCABULARY_DAC = "1"
VOCABULARY_REPORTING_ORG = "99"
# ActivityStatus codes: 1 Pipeline/identification, 2 Implementation, 3 Finalisation.
ACTIVITY_STATUS = {
    JvapEntry.Status.PLANNED: "1",
    JvapEntry.Status.ONGOING: "2",
    JvapEntry.Status.COMPLETED: "3",
}
# ActivityDateType codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# OrganisationRole codes: 1 Funding, 2 Accountable, 4 Implementing; OrganisationType 10 is
# Government.
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
GOVERNMENT = "10"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def iati_projects(entries):
    """The entries an IATI export contains: published projects with a start or an end date."""
    return (
        entries.filter(type=JvapEntry.Type.PROJECT)
        .exclude(start_date__isnull=True, end_date__isnull=True)
        .select_related("domain", "partner", "partner__organisation")
        .prefetch_related("countries", "organisations")
    )


def activities_xml(entries: Iterable[JvapEntry], build_url) -> Iterator[str]:
    """The IATI activities document, in pieces (one per activity) for a streamed response.

    `build_url(path)` makes an absolute address of a portal path.
    """
    now = timezone.now().replace(microsecond=0).isoformat()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="{IATI_VERSION}" generated-datetime="{now}">\n'
    for entry in entries:
        yield ET.tostring(activity_element(entry, build_url), encoding="unicode") + "\n"
    yield "</iati-activities>\n"


def activity_identifier(entry: JvapEntry) -> str:
    return f"{settings.IATI_REPORTING_ORG_REF}-JVAP-{entry.pk}"


def activity_element(entry: JvapEntry, build_url) -> ET.Element:
    """One `iati-activity`, its children in the schema's order."""
    activity = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": entry.updated_at.replace(microsecond=0).isoformat(),
            "default-currency": "EUR",
            "hierarchy": "1",
        },
    )
    ET.SubElement(activity, "iati-identifier").text = activity_identifier(entry)
    reporting = ET.SubElement(
        activity,
        "reporting-org",
        {
            "ref": settings.IATI_REPORTING_ORG_REF,
            "type": settings.IATI_REPORTING_ORG_TYPE,
            "secondary-reporter": "1",
        },
    )
    _narrative(reporting, settings.IATI_REPORTING_ORG_NAME)
    _narrative(ET.SubElement(activity, "title"), entry.title)
    _narrative(
        ET.SubElement(activity, "description", {"type": "1"}),
        entry.description or entry.title,
    )
    _participating_orgs(activity, entry)
    ET.SubElement(activity, "activity-status", {"code": _status(entry)})
    _activity_dates(activity, entry)
    _recipient_countries(activity, entry)
    ET.SubElement(
        activity,
        "sector",
        {"vocabulary": VOCABULARY_DAC, "code": DAC_MIGRATION_SECTOR, "percentage": "100"},
    )
    domain = ET.SubElement(
        activity,
        "sector",
        {
            "vocabulary": VOCABULARY_REPORTING_ORG,
            "vocabulary-uri": build_url("/open-data/#jvap_domains"),
            "code": str(entry.domain.number),
            "percentage": "100",
        },
    )
    _narrative(domain, entry.domain.name)
    if entry.domain.name_fr:
        _narrative(domain, entry.domain.name_fr, "fr")
    _budget(activity, entry)
    _document_link(activity, build_url(entry.get_absolute_url()), entry.title)
    if entry.website:
        _document_link(activity, entry.website, entry.title)
    return activity


def _narrative(parent: ET.Element, text: str, language: str = "") -> None:
    narrative = ET.SubElement(parent, "narrative", {XML_LANG: language} if language else {})
    narrative.text = text


def _participating_orgs(activity: ET.Element, entry: JvapEntry) -> None:
    partner = entry.partner
    accountable = {"role": ROLE_ACCOUNTABLE}
    if partner.country:
        accountable["type"] = GOVERNMENT
    _narrative(ET.SubElement(activity, "participating-org", accountable), str(partner))
    roles = {
        EntryOrganisation.Role.DONOR: ROLE_FUNDING,
        EntryOrganisation.Role.IMPLEMENTER: ROLE_IMPLEMENTING,
    }
    for organisation in sorted(entry.organisations.all(), key=lambda o: (o.role, o.position)):
        element = ET.SubElement(activity, "participating-org", {"role": roles[organisation.role]})
        _narrative(element, organisation.name)


def _status(entry: JvapEntry) -> str:
    if entry.status:
        return ACTIVITY_STATUS[entry.status]
    today = timezone.localdate()
    if entry.start_date and entry.start_date > today:
        return ACTIVITY_STATUS[JvapEntry.Status.PLANNED]
    if entry.end_date and entry.end_date < today:
        return ACTIVITY_STATUS[JvapEntry.Status.COMPLETED]
    return ACTIVITY_STATUS[JvapEntry.Status.ONGOING]


def _activity_dates(activity: ET.Element, entry: JvapEntry) -> None:
    """Start and end, actual once the day has passed (and, for the end, the entry ended)."""
    today = timezone.localdate()
    if entry.start_date:
        kind = ACTUAL_START if entry.start_date <= today else PLANNED_START
        _date(activity, kind, entry.start_date)
    if entry.end_date:
        ended = entry.end_date <= today and entry.status != JvapEntry.Status.ONGOING
        _date(activity, ACTUAL_END if ended else PLANNED_END, entry.end_date)


def _date(activity: ET.Element, kind: str, day: datetime.date) -> None:
    ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})


def _recipient_countries(activity: ET.Element, entry: JvapEntry) -> None:
    """The countries of implementation, sharing 100 percent (IATI's rule for several)."""
    codes = sorted(str(c.country) for c in entry.countries.all())
    for code, percentage in zip(codes, shares(len(codes)), strict=True):
        ET.SubElement(activity, "recipient-country", {"code": code, "percentage": percentage})


def shares(count: int) -> list[str]:
    """`count` percentages with two decimals that add up to exactly 100."""
    if not count:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [str(share)] * (count - 1) + [str(Decimal(100) - share * (count - 1))]


def _budget(activity: ET.Element, entry: JvapEntry) -> None:
    """The whole budget over the entry's period (IATI needs both ends of the period)."""
    if entry.budget_eur is None or not (entry.start_date and entry.end_date):
        return
    # BudgetType 1 original, BudgetStatus 1 indicative.
    budget = ET.SubElement(activity, "budget", {"type": "1", "status": "1"})
    ET.SubElement(budget, "period-start", {"iso-date": entry.start_date.isoformat()})
    ET.SubElement(budget, "period-end", {"iso-date": entry.end_date.isoformat()})
    value = ET.SubElement(
        budget, "value", {"currency": "EUR", "value-date": entry.start_date.isoformat()}
    )
    value.text = str(entry.budget_eur)


def _document_link(activity: ET.Element, url: str, title: str) -> None:
    """A web page about the activity (DocumentCategory A12, "Activity web page")."""
    link = ET.SubElement(activity, "document-link", {"url": url, "format": "text/html"})
    _narrative(ET.SubElement(link, "title"), title)
    ET.SubElement(link, "category", {"code": "A12"})
