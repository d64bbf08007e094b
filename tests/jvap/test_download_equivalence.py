"""The JVAP downloads write each entry's cells straight from the flat query's tuples (issue 13:
downloads at database speed). They must stay exactly what the downloads wrote when every entry
became an `EntryRow` and every cell went through a column's function: the same bytes for CSV
and JSON, the same cells (values and types) for XLSX, in both languages, for awkward values.

`_reference_*` below is that earlier writer, kept here as the specification."""

import csv
import io
import json

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.spreadsheet import escape_formula
from jvap import spreadsheet as sheet
from jvap.exports import entry_to_row, export_csv, export_xlsx, json_chunks, row_values
from jvap.models import EntryCountry, JvapEntry
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]


@pytest.fixture
def entries():
    domains = domains_by_number()
    JvapEntryFactory(
        reference="+33-1",
        title='=HYPERLINK("http://x") & <b>Mobilité</b> des jeunes — l\'Été',
        domain=domains[2],
        countries=["SN", "CI", "CD", "ST"],
        budget="1250000.50",
        start="2019-01-01",
        end="2021-12-31",
        status="completed",
        dialogue="both",
        implementers=["@OIM", "Agence française; de développement", "-minus"],
        donors=["Union européenne"],
        secondary=[domains[5], domains[3]],
        description="  Two lines,\nleading spaces\tand a tab ",
        website="https://example.org/a?b=1&c=2",
    )
    JvapEntryFactory(
        reference="Bare",
        title="#N/A",
        domain=domains[5],
        type="policy",
        status="",
        dialogue="",
    )
    empty = JvapEntryFactory(
        reference="No-countries", title="\tTabbed", domain=domains[1], budget="7", dialogue="rabat"
    )
    EntryCountry.objects.filter(entry=empty).delete()
    JvapEntryFactory(reference="Big", title="Budget", domain=domains[4], budget="12345678901.23")
    return JvapEntry.objects.order_by("reference")


def _reference_values(entry: JvapEntry, language: str) -> dict:
    row = entry_to_row(entry)
    french = language.startswith("fr")
    return {
        **row_values(row, language),
        sheet.TYPE_CODE.header: row.type,
        sheet.DOMAIN_NAME.header: sheet.DOMAIN_NAMES[row.domain][1 if french else 0],
        sheet.COUNTRY_CODES.header: "; ".join(row.countries),
        sheet.STATUS_CODE.header: row.status,
        sheet.DIALOGUE_CODE.header: row.dialogue,
    }


def _reference_cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value.isoformat() if hasattr(value, "isoformat") else value
    return str(value)


def _reference_table(queryset, language: str) -> tuple[list[str], list[list]]:
    columns = (*sheet.COLUMNS, *sheet.DERIVED_COLUMNS)
    headers = [column.header_in(language) for column in columns]
    rows = [
        [
            escape_formula(_reference_cell(_reference_values(entry, language)[column.header]))
            for column in columns
        ]
        for entry in queryset.for_listing()
    ]
    return headers, rows


def _reference_csv(queryset, language: str) -> bytes:
    headers, rows = _reference_table(queryset, language)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _reference_xlsx(queryset, language: str) -> bytes:
    headers, rows = _reference_table(queryset, language)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title="jvap-entries")
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _reference_json(queryset, language: str) -> str:
    columns = (*sheet.COLUMNS, *sheet.DERIVED_COLUMNS)
    objects = []
    for entry in queryset.for_listing():
        row = entry_to_row(entry)
        values = _reference_values(entry, language)
        values[sheet.COUNTRY_CODES.header] = list(row.countries)
        values[sheet.SECONDARY_DOMAINS] = list(row.secondary_domains)
        values[sheet.COUNTRIES] = [sheet.country_name(code, language) for code in row.countries]
        values[sheet.IMPLEMENTERS] = list(row.implementers)
        values[sheet.DONORS] = list(row.donors)
        for header in (
            sheet.START_DATE,
            sheet.END_DATE,
            sheet.STATUS,
            sheet.DIALOGUE,
            sheet.STATUS_CODE.header,
            sheet.DIALOGUE_CODE.header,
        ):
            values[header] = values[header] or None
        named = {column.header_in(language): values[column.header] for column in columns}
        objects.append("\n" + json.dumps(named, ensure_ascii=False))
    return "[" + ",".join(objects) + "\n]\n"


def _cells(content: bytes) -> tuple[str, list[list[tuple[str, object]]]]:
    worksheet = load_workbook(io.BytesIO(content)).active
    return worksheet.title, [
        [(type(cell.value).__name__, cell.value) for cell in row] for row in worksheet.iter_rows()
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csv_download_is_byte_for_byte_the_reference(entries, language):
    with translation.override(language):
        response = export_csv(entries)

    assert b"".join(response.streaming_content) == _reference_csv(entries, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_json_download_is_byte_for_byte_the_reference(entries, language):
    assert "".join(json_chunks(entries, language)) == _reference_json(entries, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_xlsx_download_has_the_references_cells(entries, language):
    with translation.override(language):
        response = export_xlsx(entries)

    title, cells = _cells(response.content)
    assert (title, cells) == _cells(_reference_xlsx(entries, language))


def test_a_download_without_entries_has_the_references_headers_only():
    none = JvapEntry.objects.none()

    assert "".join(json_chunks(none)) == _reference_json(none, "en") == "[\n]\n"
    assert b"".join(export_csv(none).streaming_content) == _reference_csv(none, "en")
    assert _cells(export_xlsx(none).content) == _cells(_reference_xlsx(none, "en"))
