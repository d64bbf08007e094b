"""The listing's facet counts (read from the read model, `jvap.read_model`) are the counts of
the listing itself: for random sets of published entries and random filters, every option of
every facet counts exactly the entries the listing shows when that option is chosen instead
of the facet's own selection, under the other filters.

The examples are derandomised (the suite's hypothesis profile, tests/conftest.py) and few, the
same on every run; each draws which entries of one shared pool are published and which filters
apply.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from core.caching import bump_data_version
from jvap import read_model
from jvap.filters import JvapEntryFilter
from jvap.models import JvapEntry
from jvap.views.public import PublicEntriesMixin
from tests.jvap.factories import (
    JvapEntryFactory,
    ReportingPartnerFactory,
    domains_by_number,
    organisation_partner,
)

pytestmark = pytest.mark.django_db

COUNTRIES = ["SN", "ML", "NE", "NG", "GH"]
WORDS = ["water", "border", "migration", "lagos"]
POOL_SIZE = 14


@pytest.fixture
def pool():
    """Entries of every kind: domains, countries (one to three), types, statuses, dialogues,
    two partners, dates open or not, budgets or none, words in their titles."""
    domains = domains_by_number()
    partners = [ReportingPartnerFactory(country="SN", code="SN"), organisation_partner("IOM")]
    statuses = ["planned", "ongoing", "completed", ""]
    dialogues = ["rabat", "khartoum", "both", ""]
    entries = []
    for number in range(POOL_SIZE):
        entries.append(
            JvapEntryFactory(
                title=f"{WORDS[number % len(WORDS)]} entry {number}",
                domain=domains[1 + number % 5],
                countries=[COUNTRIES[(number + k) % 5] for k in range(1 + number % 3)],
                type="project" if number % 3 else "policy",
                status=statuses[number % 4],
                dialogue=dialogues[(number // 2) % 4],
                partner=partners[number % 2],
                start=f"{2014 + number % 6}-03-01" if number % 5 else None,
                end=f"{2019 + number % 4}-06-30" if number % 4 else None,
                budget=str(100_000 * (number % 4)) if number % 4 else None,
                donors=["European Union"] if number % 2 else [],
            )
        )
    return entries


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "domain": st.lists(st.sampled_from("12345"), min_size=1, max_size=2, unique=True),
        "country": st.lists(
            st.sampled_from([*COUNTRIES, "fr"]), min_size=1, max_size=2, unique=True
        ),
        "type": st.sampled_from(["project", "policy"]),
        "status": st.sampled_from(["planned", "ongoing", "completed"]),
        "dialogue": st.sampled_from(["rabat", "khartoum", "both"]),
        "partner": st.sampled_from(["sn", "IOM"]),
        "year": st.integers(2013, 2024).map(str),
        "budget_min": st.sampled_from(["0", "100000", "250000"]),
        "budget_max": st.sampled_from(["100000", "300000"]),
        "q": st.sampled_from(WORDS),
    },
)


def query_of(filters: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def listing_count(query: QueryDict) -> int:
    """How many entries the listing shows for the query (its own filter set)."""
    filterset = JvapEntryFilter(query, queryset=JvapEntry.objects.published())
    assert filterset.is_valid(), filterset.form.errors
    return filterset.qs.count()


@settings(max_examples=25)  # the suite's profile (tests/conftest.py), fewer examples
@given(published=st.sets(st.integers(0, POOL_SIZE - 1), max_size=POOL_SIZE), filters=FILTERS)
def test_every_facet_count_is_the_count_of_the_listing_with_that_option(pool, published, filters):
    JvapEntry.objects.update(review_state=JvapEntry.ReviewState.SUBMITTED)
    JvapEntry.objects.filter(pk__in=[pool[i].pk for i in published]).update(
        review_state=JvapEntry.ReviewState.PUBLISHED
    )
    bump_data_version()  # a bulk write, as the services announce theirs
    query = query_of(filters)
    filterset = JvapEntryFilter(query, queryset=JvapEntry.objects.published())
    facets = PublicEntriesMixin().get_facets()
    counts = read_model.facet_counts(filterset, facets)
    if not filterset.is_valid():  # a largest budget below the smallest: no counts, no rows
        assert set(filterset.form.errors) == {"budget_max"}
        assert all(counted is None for counted in counts.values())
        return
    for facet in facets:
        counted = counts[facet.name]
        assert counted is not None, facet.name
        options = {value for value, _label in facet.choices()} if facet.choices else set()
        for value in options | set(counted):
            chosen = query.copy()
            chosen.setlist(facet.name, [value])
            assert counted.get(value, 0) == listing_count(chosen), (facet.name, value, filters)


def test_a_search_with_an_unknown_option_counts_only_that_facet_and_with_two_nothing(pool):
    """A facet counts under the other filters: with a valid search and one unknown country,
    the country facet still counts (its own filter left out), the others cannot; with two
    unknown values no facet counts."""
    facets = PublicEntriesMixin().get_facets()

    def counts_of(filters):
        filterset = JvapEntryFilter(query_of(filters), queryset=JvapEntry.objects.published())
        return read_model.facet_counts(filterset, facets)

    one_unknown = counts_of({"q": "border", "country": ["zz"], "status": "ongoing"})
    assert one_unknown["country"] == counts_of({"q": "border", "status": "ongoing"})["country"]
    assert one_unknown["country"]
    assert all(one_unknown[facet.name] is None for facet in facets if facet.name != "country")

    two_unknown = counts_of({"q": "border", "country": ["zz"], "domain": ["9"]})
    assert all(counted is None for counted in two_unknown.values())
