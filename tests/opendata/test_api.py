"""The read-only API under /api/v1/: a valid OpenAPI 3 schema, every documented endpoint and
parameter answering with what the schema promises, published records only, both languages,
`modified_since`, and anonymous throttling."""

import datetime
import json

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from jvap.models import JvapEntry
from tests.grants.factories import CallFactory, ConsortiumMemberFactory, GrantFactory
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_world(world, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    domains = domains_by_number()
    entry = JvapEntryFactory(
        domain=domains[2], title="Xqpublished", countries=("SN",), dialogue="rabat"
    )
    JvapEntryFactory(domain=domains[2], title="Xqsubmitted", review_state="submitted")
    JvapEntryFactory(domain=domains[2], title="Xqreturned", review_state="returned")
    world.call = CallFactory(title="Xqpublishedcall")
    grant = GrantFactory(title="Xqpublishedgrant", call=world.call)
    grant.dialogues.add(world.rabat)
    ConsortiumMemberFactory(grant=grant)
    GrantFactory(title="Xqdraftgrant", slug="xq-draft-grant", is_published=False, call=world.call)
    CallFactory(title="Xqdraftcall", slug="xq-draft-call", is_published=False)
    world.entry = entry
    return world


@pytest.fixture
def spec(client, api_world):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def _json_schema(node):
    """OpenAPI's `nullable` (still written by the pagination's envelope) as JSON Schema."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and isinstance(node.get("type"), str):
        converted["type"] = [node["type"], "null"]
    return converted


def _validate(spec, path, method, response):
    schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    jsonschema.validate(
        response.json(),
        _json_schema({**schema["schema"], "components": spec["components"]}),
        cls=jsonschema.Draft202012Validator,
    )


def _parameter_value(parameter, world) -> str:
    """A value of a documented parameter that the test data answers to."""
    known = {
        "cursor": None,
        "lang": "fr",
        "modified_since": "2000-01-01T00:00:00Z",
        "page_size": "5",
        "country": "SN",
        "dialogue": "rabat",
        "q": "return",
        "year": "2024",
        "partner": world.entry.partner.code,
        "budget_min": "0",
        "budget_max": "100000000",
        "domain": "2",
        "call": world.call.slug,
    }
    name = parameter["name"]
    schema = parameter.get("schema", {})
    items = schema.get("items", {})
    enum = schema.get("enum") or items.get("enum")
    if enum and name not in known:
        return str(enum[0])
    assert name in known, f"no test value for the documented parameter {name}"
    return known[name]


def test_schema_is_valid_openapi_3(spec):
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.")


def test_every_documented_endpoint_and_parameter_answers_as_the_schema_says(
    client, api_world, spec
):
    for path, operations in spec["paths"].items():
        if "{" in path:
            continue
        operation = operations["get"]
        response = client.get(path)
        assert response.status_code == 200, path
        _validate(spec, path, "get", response)
        records = response.json()
        records = records["results"] if isinstance(records, dict) else records
        assert records, path
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            value = _parameter_value(parameter, api_world)
            if value is None:
                continue
            name = parameter["name"]
            if name == "dialogue" and "jvap" not in path:
                value = "rabat-process"
            answered = client.get(path, {name: value})
            assert answered.status_code == 200, (path, name, value, answered.content[:300])
            _validate(spec, path, "get", answered)
        detail = f"{path}{{{next(iter(_lookup(spec, path)))}}}/"
        if detail in spec["paths"]:
            key = _lookup(spec, path)[0]
            lookup = "slug" if key == "slug" else "id"
            one = client.get(f"{path}{records[0][lookup]}/")
            assert one.status_code == 200, detail
            _validate(spec, detail, "get", one)


def _lookup(spec, path):
    names = [
        p
        for p in spec["paths"]
        if p.startswith(path) and p != path and p.count("/") == path.count("/") + 1
    ]
    return [name[len(path) + 1 : name.index("}")] for name in names] or ["id"]


def test_only_published_records_appear(client, api_world):
    entries = client.get("/api/v1/jvap-entries/").json()["results"]
    grants = client.get("/api/v1/grants/").json()["results"]
    calls = client.get("/api/v1/calls/").json()["results"]

    assert [e["title"] for e in entries] == ["Xqpublished"]
    assert [g["title"] for g in grants] == ["Xqpublishedgrant"]
    assert [c["title"] for c in calls] == ["Xqpublishedcall"]
    hidden = JvapEntry.objects.exclude(review_state=JvapEntry.ReviewState.PUBLISHED).first()
    assert client.get(f"/api/v1/jvap-entries/{hidden.pk}/").status_code == 404
    assert client.get("/api/v1/grants/xq-draft-grant/").status_code == 404
    assert client.get("/api/v1/calls/xq-draft-call/").status_code == 404
    everything = "".join(
        client.get(f"/api/v1/{name}/").content.decode()
        for name in (
            "dialogues",
            "memberships",
            "chair-terms",
            "meetings",
            "documents",
            "organisations",
            "jvap-entries",
            "grants",
            "calls",
        )
    )
    for focal_point in api_world.focal_points:
        assert focal_point.name not in everything
        assert focal_point.email not in everything


def test_codes_and_labels_both_in_either_language(client, api_world):
    english = client.get("/api/v1/meetings/dakar-ministerial-conference/").json()
    french = client.get("/api/v1/meetings/dakar-ministerial-conference/?lang=fr").json()

    assert english["type"] == french["type"] == "ministerial-conference"
    assert english["type_label"] == "Ministerial conference"
    assert french["type_label"] == "Conférence ministérielle"
    assert (english["country_code"], english["country_name"]) == ("SN", "Senegal")
    assert french["country_name"] == "Sénégal"


def test_modified_since_returns_only_the_records_changed_since(client, api_world):
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/meetings/", {"modified_since": later}).json()["results"] == []
    assert client.get("/api/v1/meetings/", {"modified_since": "2000-01-01"}).json()["results"]
    assert client.get("/api/v1/meetings/", {"modified_since": "yesterday"}).status_code == 400


def test_filters_take_the_listings_parameters(client, api_world):
    khartoum = client.get("/api/v1/meetings/", {"dialogue": "khartoum-process"}).json()
    assert {m["slug"] for m in khartoum["results"]} == {
        "thematic-meeting-on-return",
        "senior-officials-meeting-2022",
    }
    assert client.get("/api/v1/meetings/", {"type": "no-such-type"}).status_code == 400


def test_anonymous_clients_are_throttled(client, api_world, settings):
    settings.API_ANONYMOUS_RATE = "3/min"

    answers = [client.get("/api/v1/dialogues/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_docs_page_loads_swagger_ui_from_our_own_static_files(client, api_world):
    page = client.get("/api/v1/docs/").content.decode()

    assert "drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
    # Nothing inline that the Content-Security-Policy would refuse.
    assert "<style" not in page
    assert "<script>" not in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert b"/api/v1/schema/" in script.content


def test_cached_answers_keep_their_parameters(client, api_world, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    path = "/api/v1/meetings/"
    query = {"dialogue": "khartoum-process", "lang": "fr", "modified_since": "2000-01-01"}

    first, second = client.get(path, query), client.get(path, query)

    assert second["X-Cache"] == "hit"
    for response in (first, second):
        slugs = {m["slug"] for m in response.json()["results"]}
        assert slugs == {"thematic-meeting-on-return", "senior-officials-meeting-2022"}
    assert (
        client.get(path, {"lang": "fr"}).json()["results"][0]["type_label"]
        != (client.get(path).json()["results"][0]["type_label"])
    )


def _walk(client, url, link="next"):
    """Every page from `url` on, following the `link` links: the records' ids, page by page."""
    pages = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content[:300]
        payload = answer.json()
        pages.append([record["id"] for record in payload["results"]])
        url = payload[link]
    return pages


@pytest.mark.parametrize("sort", ["-budget", "budget", "start", "-title"])
def test_cursor_pages_follow_the_sort_and_hold_every_record_once(client, api_world, sort):
    domains = domains_by_number()
    budgets = [None, "100", "100", "300", None, "50", "100", "100"]
    for number, budget in enumerate(budgets):
        JvapEntryFactory(
            domain=domains[1 + number % 5],
            title=f"Xqsorted {number % 3}",
            budget=budget,
            start=None if number % 4 == 0 else f"20{10 + number % 3}-01-01",
        )
    column = {"budget": "budget_eur", "start": "start_date", "title": "title"}[sort.lstrip("-")]
    entries = list(JvapEntry.objects.published())
    filled = sorted(
        (e for e in entries if getattr(e, column) is not None),
        key=lambda e: (getattr(e, column), e.pk),
        reverse=sort.startswith("-"),
    )
    expected = [e.pk for e in filled] + sorted(
        (e.pk for e in entries if getattr(e, column) is None), reverse=sort.startswith("-")
    )

    pages = _walk(client, f"/api/v1/jvap-entries/?sort={sort}&page_size=3")

    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 3 for page in pages[:-1])
    last = client.get(f"/api/v1/jvap-entries/?sort={sort}&page_size=3")
    for _ in pages[1:]:
        last = client.get(last.json()["next"])
    backwards = _walk(client, last.json()["previous"], link="previous")
    assert backwards == pages[-2::-1]


def test_an_unknown_sort_or_cursor_is_refused(client, api_world):
    assert client.get("/api/v1/jvap-entries/", {"sort": "colour"}).status_code == 400
    assert client.get("/api/v1/jvap-entries/", {"cursor": "cD14eXo="}).status_code == 404


def test_countries_take_modified_since_too(client, api_world):
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()

    assert client.get("/api/v1/countries/", {"modified_since": later}).json() == []
    countries = client.get("/api/v1/countries/", {"modified_since": "2000-01-01"}).json()
    assert {"code": "SN", "name_en": "Senegal", "name_fr": "Sénégal"} in countries
    assert client.get("/api/v1/countries/", {"modified_since": "soon"}).status_code == 400
