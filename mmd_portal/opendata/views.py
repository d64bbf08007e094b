"""The open-data page, the bulk files of the datasets, the data package, the DCAT-AP catalogue
and the IATI export of the JVAP projects."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render

from core.bulk_downloads import prebuilt_response, within_heavy_slots
from core.caching import cached_aggregate
from jvap.filters import JvapEntryFilter
from jvap.models import JvapEntry

from . import iati
from .bulk import FORMATS, dataset_response, prebuilt_name, with_licence
from .datapackage import data_package
from .dcat import catalogue
from .dictionary import DATASETS


def jvap_iati(request):
    """`/open-data/jvap-iati.xml`: the published JVAP projects as IATI 2.03 activities, filtered
    by the JVAP listing's parameters (`?country=SN&domain=2`)."""
    filterset = JvapEntryFilter(request.GET, queryset=JvapEntry.objects.published())
    if not filterset.is_valid():
        messages = "; ".join(str(m) for errors in filterset.errors.values() for m in errors)
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    entries = iati.iati_projects(filterset.qs).iterator(chunk_size=1000)
    response = StreamingHttpResponse(
        iati.activities_xml(entries, request.build_absolute_uri),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="mmd-jvap-iati.xml"'
    return response


# The page cache keeps only the parameters a view declares (core.caching).
jvap_iati.query_parameters = frozenset(JvapEntryFilter.base_filters)


def _count(dataset) -> int:
    records = dataset.records()
    return len(records) if isinstance(records, list) else records.count()


def index(request):
    """`/open-data/`: every dataset with its files, size, date and licence, and the data
    dictionary of every column."""
    summaries = cached_aggregate(
        "open-data-summaries",
        lambda: {
            name: {"rows": _count(dataset), "modified": dataset.last_modified()}
            for name, dataset in DATASETS.items()
        },
    )
    datasets = [
        {
            "dataset": dataset,
            "rows": summaries[name]["rows"],
            "modified": summaries[name]["modified"],
            "files": [(extension, f"/open-data/{name}.{extension}") for extension in FORMATS],
            "columns": [
                {
                    "column": column,
                    "labels": column.labels(),
                    "choices": [(code, label) for code, label in column.choices],
                }
                for column in dataset.columns
            ],
        }
        for name, dataset in DATASETS.items()
    ]
    return render(
        request,
        "mmd_portal/open_data.html",
        {"datasets": datasets, "licence": settings.OPEN_DATA_LICENCE},
    )


def dataset_file(request, dataset: str, export_format: str):
    """`/open-data/<dataset>.<csv|xlsx|json>`: the whole dataset, from the file the task built
    after the last change; built now (within the heavy downloads' bound) only while that
    file is being rebuilt."""
    described = DATASETS[dataset]
    if settings.FULL_DOWNLOADS_PREBUILT:
        served = prebuilt_response(request, prebuilt_name(described), export_format)
        if served is not None:
            return with_licence(served)
        if not request.user.is_authenticated:
            return within_heavy_slots(request, lambda: dataset_response(described, export_format))
    return dataset_response(described, export_format)


def datapackage_json(request):
    return JsonResponse(data_package(request.build_absolute_uri), json_dumps_params={"indent": 1})


def catalog_jsonld(request):
    response = JsonResponse(catalogue(request.build_absolute_uri), json_dumps_params={"indent": 1})
    response["Content-Type"] = "application/ld+json"
    return response
