"""Serializers made from the data dictionary, so that an API record has exactly the columns of
the bulk files and the dictionary documents them (and the OpenAPI schema types them)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mmd_portal.opendata.dictionary import Column, Dataset, in_language

OPENAPI_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


class ColumnField(serializers.Field):
    """A dictionary column, read from the whole record; empty values are null."""

    def __init__(self, column: Column, **kwargs):
        self.column = column
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        value = self.column.value(record)
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return value


def _field(column: Column) -> ColumnField:
    schema = dict(OPENAPI_TYPES[column.type])
    if column.choices:
        schema["enum"] = [code for code, _label in column.choices]
    if not column.required:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    schema["description"] = in_language(column.label, "en")
    if column.example:
        schema["example"] = column.example
    typed = extend_schema_field(schema)(type(f"{column.name}Field", (ColumnField,), {}))
    return typed(column)


def serializer_for(dataset: Dataset) -> type[serializers.Serializer]:
    """A read-only serializer with one field per column of the dataset."""
    fields = {column.name: _field(column) for column in dataset.columns}
    name = "".join(part.title() for part in dataset.name.split("_"))
    return type(name, (serializers.Serializer,), fields)
