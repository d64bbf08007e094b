"""/open-data/: every dataset with working bulk files that pass their Table Schemas
(validated with frictionless), the data dictionary, and the DCAT-AP catalogue."""

import io
import json

import frictionless
import openpyxl
import pytest
import rdflib
from frictionless import formats

from core import bulk_downloads
from core.tasks import build_full_downloads
from grants.models import ConsortiumMember
from mmd_portal.opendata.dictionary import DATASETS
from tests.grants.factories import CallFactory, ConsortiumMemberFactory, GrantFactory
from tests.jvap.factories import JvapEntryFactory, domains_by_number
from tests.security.urlwalk import body

pytestmark = pytest.mark.django_db

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture
def published(world):
    """The portal's small world with JVAP entries, a grant with its consortium and a call, and
    their unpublished twins."""
    domains = domains_by_number()
    JvapEntryFactory(domain=domains[2], title="Xqpublished", countries=("SN", "ML"), budget="1000")
    JvapEntryFactory(domain=domains[1], title="Xqsubmittedentry", review_state="submitted")
    call = CallFactory(title="Xqpublishedcall")
    grant = GrantFactory(title="Xqpublishedgrant", call=call)
    ConsortiumMemberFactory(grant=grant, role=ConsortiumMember.Role.LEAD)
    CallFactory(title="Xqdraftcall", is_published=False)
    GrantFactory(title="Xqdraftgrant", is_published=False)
    return world


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_open_data_page_lists_every_dataset_with_working_files_and_its_licence(client, published):
    page = _get(client, "/open-data/").content.decode()

    assert "Creative Commons Attribution 4.0" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    for name, dataset in DATASETS.items():
        assert f'id="{name}"' in page
        for extension in ("csv", "xlsx", "json"):
            assert f'href="/open-data/{name}.{extension}"' in page
            response = _get(client, f"/open-data/{name}.{extension}")
            assert 'rel="license"' in response["Link"]
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
    french = _get(client, "/fr/open-data/").content.decode()
    assert "Dictionnaire des données" in french


@pytest.fixture
def trusted_paths():
    """Let frictionless read the test's temporary files (it refuses absolute paths unless
    told the descriptor is trusted)."""
    with frictionless.system.use_context(trusted=True):
        yield


def test_every_bulk_file_passes_its_table_schema(client, published, tmp_path, trusted_paths):
    package = json.loads(_get(client, "/open-data/datapackage.json").content)
    assert {r["name"] for r in package["resources"]} == set(DATASETS)
    for resource in package["resources"]:
        name = resource["name"]
        for extension in ("csv", "xlsx", "json"):
            path = tmp_path / f"{name}.{extension}"
            path.write_bytes(body(_get(client, f"/open-data/{name}.{extension}")))
        # Foreign keys need the other files: the package's validation below checks them.
        own = {k: v for k, v in resource["schema"].items() if k != "foreignKeys"}
        schema = frictionless.Schema.from_descriptor(own)
        controls = {
            "csv": None,
            "xlsx": formats.ExcelControl(sheet="data"),
            "json": formats.JsonControl(property="rows", keyed=True),
        }
        for extension, control in controls.items():
            report = frictionless.Resource(
                path=str(tmp_path / f"{name}.{extension}"),
                schema=schema,
                control=control,
                encoding="utf-8-sig" if extension == "csv" else None,
                detector=frictionless.Detector(schema_sync=False),
            ).validate()
            assert report.valid, (
                name,
                extension,
                report.flatten(["rowNumber", "fieldName", "note"]),
            )
        resource["path"] = f"{name}.csv"
    # The whole package, with its foreign keys between the files, as `frictionless validate`.
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])


def test_the_workbook_has_its_data_and_about_sheets_and_its_title(client, published):
    content = _get(client, "/open-data/jvap_entries.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["data", "about"]
    dataset = DATASETS["jvap_entries"]
    rows = list(workbook["data"].iter_rows(values_only=True))
    assert list(rows[0]) == dataset.headers()
    assert len(rows) == 2
    assert "Xqpublished" in rows[1]
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["dataset"] == "jvap_entries"
    assert json.loads(about["licence"])["name"] == "CC-BY-4.0"
    assert workbook.properties.title == about["title"]
    assert workbook.properties.description.startswith("Licence: ")
    assert "creativecommons.org/licenses/by/4.0" in workbook.properties.description


def test_files_carry_the_licence_and_only_published_records(client, published):
    workbook = openpyxl.load_workbook(io.BytesIO(_get(client, "/open-data/grants.xlsx").content))
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert "creativecommons.org/licenses/by/4.0" in about["licence"]
    payload = json.loads(body(_get(client, "/open-data/jvap_entries.json")))
    assert payload["licence"]["name"] == "CC-BY-4.0"
    assert [row["title"] for row in payload["rows"]] == ["Xqpublished"]
    assert payload["rows"][0]["country_codes"] == "ML; SN"
    texts = "".join(body(_get(client, f"/open-data/{name}.csv")).decode() for name in DATASETS)
    assert "Xqpublishedgrant" in texts and "Xqpublishedcall" in texts
    for hidden in ("Xqsubmittedentry", "Xqdraftcall", "Xqdraftgrant"):
        assert hidden not in texts
    for focal_point in published.focal_points:
        assert focal_point.name not in texts
        assert focal_point.email not in texts


def test_dcat_catalogue_has_a_dataset_per_dataset_and_a_distribution_per_file(client, published):
    graph = rdflib.Graph().parse(
        data=_get(client, "/open-data/catalog.jsonld").content, format="json-ld"
    )

    datasets = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    distributions = set(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(datasets) == len(DATASETS)
    assert len(distributions) == 3 * len(DATASETS)
    for dataset in datasets:
        assert graph.value(dataset, DCT.license) is not None
        assert len(set(graph.objects(dataset, DCAT.distribution))) == 3
    for distribution in distributions:
        assert graph.value(distribution, DCT.license) is not None
        url = str(graph.value(distribution, DCAT.downloadURL))
        assert url.startswith("http://testserver/open-data/")
        _get(client, url.removeprefix("http://testserver"))


@pytest.fixture
def prebuilt(settings, tmp_path):
    """The full downloads built into a temporary storage and served from there."""
    settings.FULL_DOWNLOADS_PREBUILT = True
    settings.STORAGES = {
        **settings.STORAGES,
        "full_downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_bulk_files_are_served_from_the_files_the_task_built(client, published, prebuilt):
    built = build_full_downloads.enqueue().return_value

    for name in DATASETS:
        for language in ("en", "fr"):
            for extension in ("csv", "xlsx", "json"):
                assert f"open-data-{name}-{language}.{extension}" in built
    response = _get(client, "/open-data/jvap_entries.csv")
    assert response["X-Download"] == "prebuilt"
    assert 'rel="license"' in response["Link"]
    assert response["Content-Disposition"] == 'attachment; filename="mmd-jvap_entries.csv"'
    assert "Xqpublished" in body(response).decode("utf-8-sig")
    french = _get(client, "/fr/open-data/meetings.csv")
    assert french["X-Download"] == "prebuilt"
    assert "Conférence ministérielle" in body(french).decode("utf-8-sig")


def test_a_publication_rebuilds_the_bulk_files(
    client, published, prebuilt, django_capture_on_commit_callbacks
):
    build_full_downloads.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        JvapEntryFactory(domain=domains_by_number()[3], title="Xqpublishedlater")

    response = _get(client, "/open-data/jvap_entries.json")
    assert response["X-Download"] == "prebuilt"
    assert "Xqpublishedlater" in body(response).decode()


def test_a_stale_bulk_file_is_never_served(client, published, prebuilt, monkeypatch):
    build_full_downloads.enqueue()
    monkeypatch.setattr(bulk_downloads, "schedule_full_downloads", lambda: None)
    JvapEntryFactory(domain=domains_by_number()[3], title="Xqafterthebuild")

    response = _get(client, "/open-data/jvap_entries.csv")

    assert "X-Download" not in response
    assert 'rel="license"' in response["Link"]
    assert "Xqafterthebuild" in body(response).decode("utf-8-sig")
