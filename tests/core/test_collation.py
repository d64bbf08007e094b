"""Names sorted by the database are collated as a reader expects, on SQLite and PostgreSQL
alike: letters first, accents and case after ("Bénin" before "Burkina Faso", "Égypte" among
the E's), and in the visitor's language on French pages."""

import pytest
from django.utils import translation

from core.collation import name_order, sorted_by_name
from dialogues.models import Organisation
from tests.dialogues.factories import MeetingFactory, OrganisationFactory
from tests.grants.factories import GrantFactory

FRENCH_ORDER = ["Bénin", "Burkina Faso", "Danemark", "Égypte", "Érythrée", "Espagne", "Sénégal"]
SHUFFLED = ["Sénégal", "Égypte", "Burkina Faso", "Espagne", "Bénin", "Érythrée", "Danemark"]


def _names(response, prefix: str) -> list[str]:
    return [str(row.localized(prefix)) for row in response.context["object_list"]]


@pytest.mark.django_db
def test_the_database_sorts_names_with_accents_among_their_letters():
    for index, name in enumerate(SHUFFLED):
        OrganisationFactory(name=name, acronym=f"O{index}")
    names = list(Organisation.objects.order_by(name_order("name")).values_list("name", flat=True))
    assert names == FRENCH_ORDER
    descending = Organisation.objects.order_by(name_order("name").desc())
    assert list(descending.values_list("name", flat=True)) == FRENCH_ORDER[::-1]


@pytest.mark.django_db
def test_the_database_and_python_sort_names_alike():
    names = ["suède", "Sud", "Sénégal", "sao Tomé", "Côte d’Ivoire", "Comores", "Cabo Verde"]
    for index, name in enumerate(names):
        OrganisationFactory(name=name, acronym=f"O{index}")
    in_database = Organisation.objects.order_by(name_order("name"))
    assert list(in_database.values_list("name", flat=True)) == sorted_by_name(names)


@pytest.mark.django_db
def test_a_translated_order_sorts_by_the_french_name_on_french_pages_only():
    OrganisationFactory(name="African Institute", name_fr="Institut africain", acronym="A")
    OrganisationFactory(name="European Commission", name_fr="Commission européenne", acronym="B")
    OrganisationFactory(name="Interpol", acronym="C")  # no French name: sorted by its name

    def names_in(language: str) -> list[str]:
        with translation.override(language):
            rows = Organisation.objects.order_by(name_order("name", translated=True), "pk")
            return [o.localized("name") for o in rows]

    french, english = names_in("fr"), names_in("en")
    assert french == ["Commission européenne", "Institut africain", "Interpol"]
    assert english == ["African Institute", "European Commission", "Interpol"]


@pytest.mark.django_db
def test_the_french_organisations_listing_sorts_french_names(client):
    for index, name in enumerate(SHUFFLED):
        OrganisationFactory(name=f"English {index}", name_fr=name, acronym=f"O{index}")
    response = client.get("/fr/organisations/")
    assert _names(response, "name") == FRENCH_ORDER


@pytest.mark.django_db
def test_meetings_sorted_by_title_follow_the_french_titles_on_french_pages(client):
    for index, title in enumerate(SHUFFLED):
        MeetingFactory(title=f"Meeting {index}", title_fr=f"{title} réunion")
    response = client.get("/fr/meetings/?sort=title")
    assert _names(response, "title") == [f"{title} réunion" for title in FRENCH_ORDER]
    response = client.get("/fr/meetings/?sort=-title")
    assert _names(response, "title") == [f"{title} réunion" for title in FRENCH_ORDER[::-1]]


@pytest.mark.django_db
def test_grants_sorted_by_title_follow_the_french_titles_on_french_pages(client):
    for title in SHUFFLED:
        GrantFactory(title=f"Grant on {title}", title_fr=title)
    response = client.get("/fr/grants/?sort=title")
    assert _names(response, "title") == FRENCH_ORDER
