"""The DCAT-AP catalogue of the datasets (`/open-data/catalog.jsonld`), in JSON-LD, for
data.europa.eu-style harvesters: catalogue, datasets and their distributions (one per bulk
file) with media types, licence, publisher, temporal and spatial coverage and dates."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max, Min

from .bulk import FORMATS
from .dictionary import DATASETS, Dataset, in_language

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# The EU's authority tables (used by DCAT-AP) for the continents and file types.
CONTINENTS = "http://publications.europa.eu/resource/authority/continent/"
FILE_TYPES = {
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "xlsx": "http://publications.europa.eu/resource/authority/file-type/XLSX",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}
PUBLISHER = {
    "@id": "https://www.icmpd.org/",
    "@type": "foaf:Agent",
    "foaf:name": "International Centre for Migration Policy Development (ICMPD)",
}


def _texts(text) -> list[dict]:
    return [{"@value": in_language(text, lang), "@language": lang} for lang in ("en", "fr")]


def _date(value) -> dict:
    kind = "xsd:dateTime" if hasattr(value, "hour") else "xsd:date"
    return {"@value": value.isoformat(), "@type": kind}


def _temporal(dataset: Dataset) -> dict | None:
    if not dataset.date_field:
        return None
    span = dataset.records().aggregate(first=Min(dataset.date_field), last=Max(dataset.date_field))
    if not span["first"]:
        return None
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(span["first"]),
        "dcat:endDate": _date(span["last"]),
    }


def catalogue(build_url) -> dict:
    """The catalogue as a JSON-LD document; `build_url(path)` makes a portal path absolute."""
    licence = {"@id": settings.OPEN_DATA_LICENCE["path"]}
    datasets = []
    for dataset in DATASETS.values():
        described = {
            "@id": build_url(f"/open-data/#{dataset.name}"),
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.name,
            "dct:title": _texts(dataset.title),
            "dct:description": _texts(dataset.description),
            "dct:publisher": PUBLISHER,
            "dct:license": licence,
            "dct:spatial": [{"@id": CONTINENTS + "AFRICA"}, {"@id": CONTINENTS + "EUROPE"}],
            "dcat:landingPage": {"@id": build_url("/open-data/")},
            "dcat:distribution": [
                {
                    "@id": build_url(f"/open-data/{dataset.name}.{extension}"),
                    "@type": "dcat:Distribution",
                    "dct:title": f"{in_language(dataset.title, 'en')} ({extension.upper()})",
                    "dcat:downloadURL": {
                        "@id": build_url(f"/open-data/{dataset.name}.{extension}")
                    },
                    "dcat:accessURL": {"@id": build_url("/open-data/")},
                    "dcat:mediaType": {
                        "@id": f"https://www.iana.org/assignments/media-types/{media_type}"
                    },
                    "dct:format": {"@id": FILE_TYPES[extension]},
                    "dct:license": licence,
                    "dct:conformsTo": {"@id": build_url("/open-data/datapackage.json")},
                }
                for extension, media_type in FORMATS.items()
            ],
        }
        modified = dataset.last_modified()
        if modified:
            described["dct:modified"] = _date(modified)
        temporal = _temporal(dataset)
        if temporal:
            described["dct:temporal"] = temporal
        datasets.append(described)
    return {
        "@context": CONTEXT,
        "@id": build_url("/open-data/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": "MMD Portal open data", "@language": "en"},
            {"@value": "Données ouvertes du portail MMD", "@language": "fr"},
        ],
        "dct:description": [
            {
                "@value": "Datasets of the Africa-EU Migration and Mobility Dialogue portal.",
                "@language": "en",
            },
            {
                "@value": "Jeux de données du portail du Dialogue Afrique-UE sur la migration "
                "et la mobilité.",
                "@language": "fr",
            },
        ],
        "dct:publisher": PUBLISHER,
        "dct:license": licence,
        "foaf:homepage": {"@id": build_url("/open-data/")},
        "dcat:dataset": datasets,
    }
