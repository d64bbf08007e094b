"""`q=` on the JVAP listing: whatever the accents and case, in English and French forms on
PostgreSQL (its full-text index), and a search of many words bounded with a message."""

import pytest
from django.db import connection

from jvap.filters import MAX_SEARCH_WORDS
from tests.jvap.factories import JvapEntryFactory

pytestmark = pytest.mark.django_db

LISTING = "/jvap/"


@pytest.fixture
def entries():
    return {
        "borders": JvapEntryFactory(
            title="Gestion des frontières",
            description="Renforcer les capacités des garde-côtes sénégalais.",
        ),
        "water": JvapEntryFactory(
            title="Water for Dakar", description="Border management with Mali."
        ),
        "return": JvapEntryFactory(title="Assisted voluntary return", implementers=["Enabel"]),
    }


def found(client, query):
    """The titles the listing shows for a search; its count (read from the facet counts, on
    PostgreSQL searched in the read model) counts them."""
    response = client.get(LISTING, {"q": query})
    assert response.status_code == 200
    titles = {entry.title for entry in response.context["entries"]}
    assert response.context["paginator"].count == len(titles)
    return titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("frontieres", {"Gestion des frontières"}),
        ("FRONTIÈRES", {"Gestion des frontières"}),
        ("senegalais capacites", {"Gestion des frontières"}),
        ("border", {"Water for Dakar"}),
        ("Dakar border", {"Water for Dakar"}),
        ("enabel", {"Assisted voluntary return"}),
        ("enabel water", set()),
    ],
)
def test_words_are_found_whatever_their_accents_and_case(client, entries, query, expected):
    assert found(client, query) == expected


def test_postgresql_finds_other_forms_of_a_word_in_english_and_french(client, entries):
    """Stemming is PostgreSQL's (the full-text index); SQLite finds the words as written."""
    assert found(client, "frontière") == {"Gestion des frontières"}
    if connection.vendor != "postgresql":
        assert found(client, "borders") == set()  # no stemming: a plural is not its singular
        return
    assert found(client, "borders managed") == {"Water for Dakar"}
    assert found(client, "returning") == {"Assisted voluntary return"}


def test_a_search_of_many_words_searches_the_first_ones_and_says_so(client, entries):
    words = ["water", "dakar"] + ["unknownword"] * (MAX_SEARCH_WORDS + 2)
    response = client.get(LISTING, {"q": " ".join(words)})
    content = response.content.decode()
    assert f"Only the first {MAX_SEARCH_WORDS} words of the search are searched" in content
    assert "4 more words were left out" in content
    assert found(client, "water dakar") == {"Water for Dakar"}
    french = client.get("/fr/jvap/", {"q": " ".join(words)}).content.decode()
    assert f"Seuls les {MAX_SEARCH_WORDS} premiers mots de la recherche" in french


def test_a_search_within_the_bound_says_nothing_of_it(client, entries):
    content = client.get(LISTING, {"q": "water dakar"}).content.decode()
    assert "words of the search are searched" not in content
