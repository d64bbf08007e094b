"""The filter form's own fields written in Python are the markup Django's widgets draw."""

import pytest
from django.utils import translation

from core.templatetags.filter_form import select_field
from dialogues.filters import DocumentFilter, MeetingFilter, OrganisationFilter
from grants.filters import GrantFilter
from jvap.filters import JvapEntryFilter
from tests.grants.factories import GrantFactory
from tests.portal.conftest import world  # noqa: F401

FILTERSETS = [GrantFilter, MeetingFilter, DocumentFilter, OrganisationFilter, JvapEntryFilter]
QUERIES = [
    {},
    {"status": "ongoing", "sort": "title", "country": "SN", "dialogue": "rabat-process"},
    {"status": "not-a-status", "sort": '"><script>', "call": "none", "budget_min": "x"},
]


@pytest.fixture
def grant(world):  # noqa: F811
    return GrantFactory(countries=["SN", "ML"], dialogues=[world.rabat])


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_every_field_is_drawn_as_django_draws_it(filterset_class, query, language, grant):
    with translation.override(language):
        form = filterset_class(query).form
        form.is_valid()
        for bound_field in form:
            assert str(select_field(bound_field)) == str(bound_field), bound_field.name


def test_the_grants_selects_offer_the_published_grants_options(grant):
    form = GrantFilter({"country": "SN"}).form
    form.is_valid()
    drawn = str(select_field(form["country"]))
    assert drawn.startswith('<select name="country" id="filter-country">')
    assert '<option value="SN" selected>' in drawn
    assert '<option value="ML">' in drawn
