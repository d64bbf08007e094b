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
