"""The CSV and XLSX downloads of /grants/ hold exactly the rows of the filtered listing."""

import csv
import io

import pytest
from openpyxl import load_workbook

from dialogues.models import Organisation
from tests.grants.factories import CO, LEAD, GrantFactory, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    lead = organisation(Organisation.Type.CIVIL_SOCIETY, "SN", name="Sahel Solidarity")
    partner = organisation(Organisation.Type.RESEARCH, "FR", name="Paris Migration Lab")
    return [
        GrantFactory(
            reference="GF-001",
            title="In Mali",
            countries=["ML", "SN"],
            members=[(lead, LEAD), (partner, CO)],
        ),
        GrantFactory(
            reference="GF-002", title="=SUM(A1)", countries=["ML"], members=[(partner, LEAD)]
        ),
        GrantFactory(reference="GF-003", title="In Kenya", countries=["KE"]),
        GrantFactory(
            reference="GF-004", title="Draft in Mali", countries=["ML"], is_published=False
        ),
    ]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_holds_exactly_the_filtered_rows(client, grants):
    response = client.get("/grants/export.csv?country=ML&sort=title")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["Reference"] for row in rows] == ["GF-002", "GF-001"]
    first = {row["Reference"]: row for row in rows}["GF-001"]
    assert first["Lead applicant"] == "Sahel Solidarity"
    assert first["Lead applicant country"] == "Senegal"
    assert first["Other consortium members"] == "Paris Migration Lab"
    assert first["Countries of implementation"] == "Mali; Senegal"


def test_csv_export_escapes_formulas(client, grants):
    rows = csv_rows(client.get("/grants/export.csv?country=ML"))
    assert "'=SUM(A1)" in [row["Title"] for row in rows]


def test_xlsx_export_holds_exactly_the_filtered_rows(client, grants):
    response = client.get("/grants/export.xlsx?country=ML&sort=title")
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == ["GF-002", "GF-001"]


def test_export_with_an_unknown_filter_value_is_empty(client, grants):
    assert csv_rows(client.get("/grants/export.csv?country=XX")) == []


def test_listing_links_to_downloads_of_the_same_filter(client, grants):
    content = client.get("/grants/?country=ML").content.decode()
    assert 'href="/grants/export.csv?country=ML"' in content
    assert 'href="/grants/export.xlsx?country=ML"' in content


def test_unknown_download_format_is_not_found(client, grants):
    assert client.get("/grants/export.pdf").status_code == 404
