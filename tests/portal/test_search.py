"""/search/?q=: one search across the portal, grouped by kind, blind to case and accents."""

import pytest

from core.text import fold
from mmd_portal.search import KINDS, SearchKind, SearchResult

pytestmark = pytest.mark.django_db


def groups(response) -> dict[str, list[str]]:
    return {
        group.kind.key: [r.title for r in group.results] for group in response.context["groups"]
    }


def test_fold_removes_accents_and_case():
    assert fold("Sénégal") == "senegal"
    assert fold("CÔTE D’IVOIRE") == "cote d'ivoire"


def test_senegal_without_accent_finds_senegal_on_the_french_site(client, world):
    response = client.get("/fr/search/?q=senegal")
    assert groups(response)["countries"] == ["Sénégal"]
    assert 'href="/fr/countries/sn/"' in response.content.decode()


def test_search_is_case_and_accent_insensitive_for_content(client, world):
    assert groups(client.get("/fr/search/?q=CONFERENCE MINISTERIELLE"))["meetings"] == [
        "Conférence ministérielle de Dakar"
    ]
    assert groups(client.get("/search/?q=déclaration"))["documents"] == ["Dakar Declaration"]
    assert groups(client.get("/search/?q=ecowas"))["organisations"] == [
        "Economic Community of West African States (ECOWAS)"
    ]
    assert "dialogues" in groups(client.get("/fr/search/?q=developpement"))


def test_results_are_grouped_by_kind_in_a_fixed_order(client, world):
    response = client.get("/search/?q=dakar")
    assert list(groups(response)) == ["meetings", "documents"]
    response = client.get("/search/?q=rabat")
    assert list(groups(response))[0] == "dialogues"


def test_every_word_must_match(client, world):
    assert groups(client.get("/search/?q=dakar declaration")) == {
        "documents": ["Dakar Declaration"]
    }
    assert groups(client.get("/search/?q=dakar nowhere")) == {}


def test_english_country_names_are_found_on_the_french_site_too(client, world):
    assert groups(client.get("/fr/search/?q=spain"))["countries"] == ["Espagne"]


def test_an_empty_or_unmatched_search_says_so(client, world):
    assert client.get("/search/").status_code == 200
    content = client.get("/search/?q=zzzzzz").content.decode()
    assert "Nothing matches" in content


def test_focal_points_are_not_searchable(client, world):
    content = client.get("/search/?q=aminata").content.decode()
    assert "Aminata" not in content.replace('value="aminata"', "")


def test_a_new_kind_is_one_function_and_one_entry(client, world, monkeypatch):
    def find_grants(words):
        return [SearchResult("Grant for Dakar", "/grants/1/")] if "dakar" in words else []

    monkeypatch.setattr(
        "mmd_portal.search.KINDS", [*KINDS, SearchKind("grants", "Grants", find_grants)]
    )
    response = client.get("/search/?q=Dakar")
    assert groups(response)["grants"] == ["Grant for Dakar"]


def test_the_header_search_box_is_on_every_page(client, world):
    for path in ("/", "/meetings/", "/fr/countries/sn/"):
        content = client.get(path).content.decode()
        assert 'role="search"' in content and 'name="q"' in content


def test_a_country_name_finds_the_meetings_it_hosted(client, world):
    assert groups(client.get("/fr/search/?q=senegal")) == {
        "countries": ["Sénégal"],
        "meetings": ["Conférence ministérielle de Dakar"],
    }


def test_many_results_link_to_the_listing_filtered_by_the_same_words(client, world):
    from tests.dialogues.factories import MeetingFactory

    for number in range(25):
        MeetingFactory(title=f"Workshop on réintégration {number}")
    response = client.get("/search/?q=reintegration")
    (group,) = response.context["groups"]
    assert group.kind.key == "meetings" and len(group.results) == 20 and group.more
    assert group.more_url == "/meetings/?q=reintegration"
    listing = client.get(group.more_url)
    assert listing.context["paginator"].count == 25
