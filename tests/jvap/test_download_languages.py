"""The JVAP downloads speak the page's language (headers, closed values, country names) and
stay re-importable: the importer reads the French template headers and values as well, while
the English template stays the public contract."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from jvap import spreadsheet as sheet
from jvap.exports import entry_to_row, row_texts
from jvap.models import JvapEntry
from jvap.template import build_template
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    domains = domains_by_number()
    return [
        JvapEntryFactory(
            reference="FR-1",
            title="Mobilité des jeunes",
            domain=domains[2],
            countries=["SN", "CI", "CD"],
            budget="1250000.50",
            start="2019-01-01",
            end="2021-12-31",
            status="completed",
            dialogue="both",
            implementers=["OIM"],
            secondary=[domains[3]],
        ),
        JvapEntryFactory(
            reference="FR-2", title="Retour", domain=domains[5], type="policy", status="planned"
        ),
    ]


def _csv(response) -> tuple[list[str], bytes]:
    data = b"".join(response.streaming_content)
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig")))), data


def _stored_rows():
    """The entries as the template's cells, in English (what the upload preview compares)."""
    return sorted(
        (row_texts(entry_to_row(e)) for e in JvapEntry.objects.for_listing()),
        key=lambda row: row[sheet.REFERENCE],
    )


def _read_back(data: bytes, filename: str):
    result = sheet.parse_file(data, filename)
    assert result.ok, [str(error) for error in result.errors]
    assert result.warnings == []
    return sorted((row_texts(row) for row in result.rows), key=lambda r: r[sheet.REFERENCE])


def test_french_downloads_have_the_french_headers_and_values(client, entries):
    headers, data = _csv(client.get("/fr/jvap/export.csv"))

    assert headers == [column.header_fr for column in (*sheet.COLUMNS, *sheet.DERIVED_COLUMNS)]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    first = next(row for row in rows if row["Référence"] == "FR-1")
    assert first["Pays"] == "République démocratique du Congo; Côte d'Ivoire; Sénégal"
    assert first["Type"] == "Projet"
    assert first["État d’avancement"] == "Terminé"
    assert first["Dialogue"] == "Les deux"
    assert (first["Dialogue (code)"], first["État d’avancement (code)"]) == ("both", "completed")
    assert first["Pays (codes ISO)"] == "CD; CI; SN"
    assert first["Domaine du PAVC (nom)"] == "Migration légale et mobilité"
    workbook = load_workbook(io.BytesIO(client.get("/fr/jvap/export.xlsx").content))
    assert [cell.value for cell in next(workbook.active.iter_rows())] == headers
    payload = json.loads(b"".join(client.get("/fr/jvap/export.json").streaming_content))
    assert set(payload[0]) == set(headers)


def test_english_downloads_keep_the_templates_headers(client, entries):
    headers, _data = _csv(client.get("/jvap/export.csv"))

    assert headers[: len(sheet.HEADERS)] == list(sheet.HEADERS)
    assert headers[len(sheet.HEADERS) :] == [c.header for c in sheet.DERIVED_COLUMNS]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_download_in_either_language_reimports_to_the_same_entries(client, entries, language):
    prefix = "/fr" if language == "fr" else ""
    _headers, data = _csv(client.get(f"{prefix}/jvap/export.csv"))
    xlsx = client.get(f"{prefix}/jvap/export.xlsx").content

    assert _read_back(data, "again.csv") == _stored_rows()
    assert _read_back(xlsx, "again.xlsx") == _stored_rows()


def test_the_template_stays_english(entries):
    workbook = load_workbook(io.BytesIO(build_template()))
    cells = [cell.value for row in workbook.active.iter_rows() for cell in row]

    assert list(sheet.HEADERS) == [cell for cell in cells if cell in sheet.HEADERS]
    assert not {column.header_fr for column in sheet.COLUMNS} - set(sheet.HEADERS) & set(cells)


def test_no_header_or_alias_names_two_columns():
    seen = {}
    for column in sheet.COLUMNS:
        for name in {
            sheet.header_key(n) for n in (column.header, column.header_fr, *column.aliases)
        }:
            assert seen.setdefault(name, column.header) == column.header, name
