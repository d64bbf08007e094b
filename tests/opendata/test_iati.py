"""The IATI 2.03 export of the published JVAP projects validates against the IATI schema,
reports the portal as secondary reporter and follows the listing's filters."""

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from jvap.demo import seed_jvap
from jvap.models import EntryOrganisation, JvapEntry
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db

# The IATI 2.03 schemas as published, kept with the tests (tests/standards/README.md).
SCHEMA = (
    Path(__file__).resolve().parents[1] / "standards" / "iati-2.03" / "iati-activities-schema.xsd"
)


@pytest.fixture(scope="module")
def iati_schema():
    return xmlschema.XMLSchema(str(SCHEMA))


def _export(client, query=""):
    response = client.get(f"/open-data/jvap-iati.xml{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return b"".join(response.streaming_content)


def test_export_of_demo_data_validates_against_the_iati_203_schema(client, iati_schema):
    seed_jvap(300)

    document = _export(client)

    iati_schema.validate(document.decode())
    root = ET.fromstring(document)
    expected = (
        JvapEntry.objects.published()
        .filter(type=JvapEntry.Type.PROJECT)
        .exclude(start_date__isnull=True, end_date__isnull=True)
    )
    assert len(root.findall("iati-activity")) == expected.count() > 100


def test_an_activity_says_who_reports_and_what_it_is(client, iati_schema, settings):
    settings.IATI_REPORTING_ORG_REF = "XM-TEST-1"
    domains = domains_by_number()
    entry = JvapEntryFactory(
        domain=domains[2],
        title="Xqproject on mobility",
        description="Helps people move safely.",
        type=JvapEntry.Type.PROJECT,
        countries=("SN", "ML", "GM"),
        implementers=("Implementer A",),
        donors=("Donor B",),
        budget="1250000",
        start="2020-01-01",
        end="2023-12-31",
        status=JvapEntry.Status.COMPLETED,
        website="https://example.org/project",
    )
    JvapEntryFactory(domain=domains[2], title="Xqpolicy", type=JvapEntry.Type.POLICY)
    JvapEntryFactory(
        domain=domains[2],
        title="Xqsubmitted",
        type=JvapEntry.Type.PROJECT,
        start="2020-01-01",
        review_state=JvapEntry.ReviewState.SUBMITTED,
    )

    document = _export(client)

    iati_schema.validate(document.decode())
    (activity,) = ET.fromstring(document).findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"XM-TEST-1-JVAP-{entry.pk}"
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == "XM-TEST-1"
    assert reporting.get("secondary-reporter") == "1"
    assert activity.findtext("title/narrative") == "Xqproject on mobility"
    assert activity.findtext("description/narrative") == "Helps people move safely."
    roles = {
        org.findtext("narrative"): org.get("role") for org in activity.findall("participating-org")
    }
    assert roles == {str(entry.partner): "2", "Implementer A": "4", "Donor B": "1"}
    assert activity.find("activity-status").get("code") == "3"
    assert {(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")} == {
        ("2", "2020-01-01"),
        ("4", "2023-12-31"),
    }
    countries = activity.findall("recipient-country")
    assert sorted(c.get("code") for c in countries) == ["GM", "ML", "SN"]
    assert sum(float(c.get("percentage")) for c in countries) == pytest.approx(100)
    sectors = {(s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")}
    assert sectors == {("1", "15190"), ("99", "2")}
    value = activity.find("budget/value")
    assert (value.get("currency"), value.text) == ("EUR", "1250000.00")
    links = [link.get("url") for link in activity.findall("document-link")]
    assert links == [f"http://testserver/jvap/{entry.pk}/", "https://example.org/project"]
    assert EntryOrganisation.objects.count() == 2


def test_export_is_filtered_with_the_listing_parameters(client):
    domains = domains_by_number()
    for code, domain in (("SN", 1), ("ML", 2)):
        JvapEntryFactory(
            domain=domains[domain],
            title=f"Xq{code}",
            type=JvapEntry.Type.PROJECT,
            countries=(code,),
            start="2021-05-01",
        )

    by_country = ET.fromstring(_export(client, "?country=sn"))
    by_domain = ET.fromstring(_export(client, "?domain=2"))

    assert [a.findtext("title/narrative") for a in by_country] == ["XqSN"]
    assert [a.findtext("title/narrative") for a in by_domain] == ["XqML"]
    assert client.get("/open-data/jvap-iati.xml?domain=9").status_code == 400
