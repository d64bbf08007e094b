"""The JVAP columns of the data dictionary and of the data package's Table Schema are the
JVAP template's column definitions (`jvap.spreadsheet.COLUMNS`, which the importer reads with
and the template is built from): labels in English and French, type, `required`, allowed
values and example cannot drift apart."""

import json

import pytest

from jvap import spreadsheet as sheet
from mmd_portal.opendata.dictionary import JVAP_ENTRIES, JVAP_TEMPLATE_READERS, in_language


def _described(column: sheet.Column) -> dict:
    """What the dictionary must say of a template column."""
    return {
        "labels": {"en": column.header, "fr": column.header_fr},
        "type": column.type,
        "required": column.required,
        "enum": [code for code, _en, _fr in column.choices],
        "example": column.example,
    }


def _dictionary_column(column: sheet.Column):
    name = JVAP_TEMPLATE_READERS[column.field][0]
    return next(c for c in JVAP_ENTRIES.columns if c.name == name)


@pytest.mark.parametrize("column", sheet.COLUMNS, ids=lambda c: c.field)
def test_each_template_column_is_described_as_the_template_defines_it(column):
    described = _dictionary_column(column)

    assert {
        "labels": described.labels(),
        "type": described.type,
        "required": described.required,
        "enum": [code for code, _label in described.choices],
        "example": described.example,
    } == _described(column)
    for code, english, french in column.choices:
        labels = dict(described.choices)
        assert (in_language(labels[code], "en"), in_language(labels[code], "fr")) == (
            english,
            french,
        )


def test_the_dictionary_keeps_the_templates_column_order():
    names = [JVAP_TEMPLATE_READERS[column.field][0] for column in sheet.COLUMNS]
    in_dictionary = [c.name for c in JVAP_ENTRIES.columns if c.name in names]

    assert in_dictionary == names


@pytest.mark.django_db
def test_the_data_packages_jvap_schema_is_the_templates(client):
    package = json.loads(client.get("/open-data/datapackage.json").content)
    schema = next(r for r in package["resources"] if r["name"] == "jvap_entries")["schema"]
    fields = {field["name"]: field for field in schema["fields"]}

    for column in sheet.COLUMNS:
        field = fields[JVAP_TEMPLATE_READERS[column.field][0]]
        expected = _described(column)
        assert (field["title"], field["description"]) == (column.header, column.header_fr)
        assert field["type"] == expected["type"]
        constraints = field.get("constraints", {})
        assert constraints.get("required", False) == expected["required"]
        assert constraints.get("enum", []) == expected["enum"]


@pytest.mark.django_db
def test_the_open_data_page_shows_the_templates_french_headers(client):
    page = client.get("/open-data/").content.decode()

    for column in sheet.COLUMNS:
        assert f'<td lang="fr">{column.header_fr}</td>'.replace("'", "&#x27;") in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_bulk_files_flat_rows_are_the_column_readers_rows(language):
    from django.utils import translation

    from jvap.models import EntryOrganisation
    from tests.jvap.factories import JvapEntryFactory, domains_by_number

    domains = domains_by_number()
    entry = JvapEntryFactory(
        domain=domains[2],
        countries=("SN", "CI", "ML"),
        budget="1250000.50",
        implementers=["Zeta agency", "IOM"],
        donors=["EU"],
        secondary=[domains[5], domains[1]],
        status="ongoing",
        dialogue="both",
    )
    # Created last, listed between the two others by its position.
    EntryOrganisation.objects.create(
        entry=entry, role=EntryOrganisation.Role.IMPLEMENTER, name="Between", position=1
    )
    entry.organisations.filter(name="IOM").update(position=2)
    JvapEntryFactory(domain=domains[1], type="policy", start=None, end=None)
    JvapEntryFactory(domain=domains[3], review_state="submitted")

    with translation.override(language):
        flat = list(JVAP_ENTRIES.rows())
        read = list(JVAP_ENTRIES.rows(JVAP_ENTRIES.records()))

    assert len(flat) == 2
    assert flat == read
