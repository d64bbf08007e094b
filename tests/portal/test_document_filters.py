"""/documents/ filters: dialogue, kind, language, year and words, alone and combined."""

import pytest

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    return {document.slug for document in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"dakar-declaration", "report-on-return"}),
        ("dialogue=rabat-process", {"dakar-declaration"}),
        (
            "dialogue=rabat-process&dialogue=khartoum-process",
            {"dakar-declaration", "report-on-return"},
        ),
        ("kind=report", {"report-on-return"}),
        ("language=fr", {"report-on-return"}),
        ("year=2024", {"dakar-declaration"}),
        ("q=declaration", {"dakar-declaration"}),
        ("dialogue=khartoum-process&kind=report&language=fr&year=2023", {"report-on-return"}),
        ("dialogue=khartoum-process&kind=declaration", set()),
    ],
)
def test_each_document_filter_alone_and_combined(client, world, query, expected):
    response = client.get(f"/documents/?{query}")
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=novel", "There is no such kind of document: “novel”."),
        ("language=klingon", "There is no such document language: “klingon”."),
        ("dialogue=nowhere", "There is no dialogue “nowhere”."),
        ("year=99999", "The year must be four digits, such as 2024."),
    ],
)
def test_unknown_document_filter_values_are_named_and_give_no_rows(client, world, query, message):
    response = client.get(f"/documents/?{query}")
    assert slugs(response) == set()
    assert message in response.content.decode()


def test_the_document_form_counts_kinds_and_languages(client, world):
    response = client.get("/documents/")
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {o.value: o.count for o in facets["kind"].options} == {"declaration": 1, "report": 1}
    assert {o.value: o.count for o in facets["language"].options} == {"en": 1, "fr": 1}
    assert [o.value for o in facets["year"].options] == ["2024", "2023"]
