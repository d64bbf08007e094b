"""The rows a search's facet counts read stay in step with the entry whatever changes it (its
publication, its return, an edit of its words, a change of its countries), and the counts count
what the listing shows. On PostgreSQL they are the read model's row of each published entry,
which carries the entry's search vector and its countries' codes
(`jvap.read_model.SEARCHED_COLUMNS`); on SQLite the words are searched in the entries and the
countries are the read model's country rows."""

import pytest
from django.db import connection

from jvap import read_model, services
from jvap.filters import JvapEntryFilter
from jvap.models import EntryChange, EntryCountry, JvapEntry, PublicEntry, PublicEntryCountry
from jvap.views.public import PublicEntriesMixin
from tests.jvap.factories import JvapEntryFactory

pytestmark = pytest.mark.django_db


def searched_rows() -> dict[int, tuple[list[str], bool]]:
    """Each published entry's row in the read model: its countries' codes, and whether its
    vector is the entry's own (stripped of the word positions; on SQLite, where the words are
    searched in the entry itself, always)."""
    read_model.ensure_current()
    if connection.vendor != "postgresql":
        codes = {entry_id: [] for entry_id in PublicEntry.objects.values_list("entry", flat=True)}
        for entry_id, country in PublicEntryCountry.objects.order_by("country").values_list(
            "entry", "country"
        ):
            codes[entry_id].append(country)
        return {entry_id: (countries, True) for entry_id, countries in codes.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.entry_id, p.country_codes, p.search_vector = strip(e.search_vector) "
            "FROM jvap_publicentry p JOIN jvap_jvapentry e ON e.id = p.entry_id"
        )
        return {entry_id: (codes, same) for entry_id, codes, same in cursor.fetchall()}


def counted_countries(words: str) -> dict[str, int]:
    """The listing's country facet counts for a search."""
    filterset = JvapEntryFilter({"q": words}, queryset=JvapEntry.objects.published())
    facets = PublicEntriesMixin().get_facets()
    return read_model.facet_counts(filterset, facets)["country"]


def test_each_published_entry_carries_its_vector_and_its_countries_sorted():
    border = JvapEntryFactory(title="Border management", countries=["SN", "ML"])
    nowhere = JvapEntryFactory(title="Return and reintegration")
    EntryCountry.objects.filter(entry=nowhere).delete()
    hidden = JvapEntryFactory(review_state=JvapEntry.ReviewState.SUBMITTED, countries=["NE"])

    rows = searched_rows()

    assert rows == {border.pk: (["ML", "SN"], True), nowhere.pk: ([], True)}
    assert hidden.pk not in rows


def test_the_rows_follow_a_publication_a_return_an_edit_and_new_countries(secretariat_user):
    entry = JvapEntryFactory(
        title="Border management",
        countries=["SN"],
        review_state=JvapEntry.ReviewState.SUBMITTED,
    )
    entries = JvapEntry.objects.filter(pk=entry.pk)
    assert entry.pk not in searched_rows()

    services.entries_review(
        entries=entries, user=secretariat_user, action=EntryChange.Action.PUBLISHED
    )
    assert searched_rows()[entry.pk] == (["SN"], True)

    entry.refresh_from_db()
    entry.title = "Gestion des frontières"
    entry.save()
    EntryCountry.objects.create(entry=entry, country="GH")
    EntryCountry.objects.filter(entry=entry, country="SN").delete()
    assert searched_rows()[entry.pk] == (["GH"], True)
    assert counted_countries("frontiere") == {"GH": 1}
    assert counted_countries("border") == {}

    services.entries_review(
        entries=entries, user=secretariat_user, action=EntryChange.Action.RETURNED, comment="?"
    )
    assert entry.pk not in searched_rows()


def test_a_search_counts_each_entry_once_in_each_of_its_countries():
    JvapEntryFactory(title="Border management", countries=["SN", "ML"])
    JvapEntryFactory(title="Borders of Mali", countries=["ML"])
    JvapEntryFactory(title="Water", countries=["ML", "NE"])

    assert counted_countries("border") == {"SN": 1, "ML": 2}
    assert counted_countries("water mali") == {}
