"""The Frictionless Data Package (`/open-data/datapackage.json`): one resource per dataset,
its CSV file and its Table Schema (types, required columns, allowed values, primary key and
foreign keys to the code lists), made from the data dictionary."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .dictionary import DATASETS, in_language


def data_package(build_url) -> dict:
    """The package descriptor; `build_url(path)` makes a portal path absolute."""
    return {
        "profile": "tabular-data-package",
        "name": "mmd-portal",
        "title": "MMD Portal open data",
        "description": (
            "Dialogues, memberships, chair terms, meetings, documents, organisations, JVAP "
            "entries, grants and grant calls of the Africa-EU Migration and Mobility Dialogue "
            "portal."
        ),
        "homepage": build_url("/open-data/"),
        "licenses": [settings.OPEN_DATA_LICENCE],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "resources": [
            {
                "name": dataset.name,
                "title": in_language(dataset.title, "en"),
                "description": in_language(dataset.description, "en"),
                "path": build_url(f"/open-data/{dataset.name}.csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "licenses": [settings.OPEN_DATA_LICENCE],
                "schema": dataset.table_schema(),
            }
            for dataset in DATASETS.values()
        ],
    }
