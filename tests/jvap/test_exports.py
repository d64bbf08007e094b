"""The downloads read a queryset of entries as flat rows from one query (lists aggregated in
SQL): they must be exactly the rows `entry_to_row` makes of the model instances, lists in the
same order, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jvap.exports import entry_to_row, rows_of
from jvap.models import EntryOrganisation, JvapEntry
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    domains = domains_by_number()
    listed = JvapEntryFactory(
        reference="X-1",
        title="Listed",
        domain=domains[2],
        countries=["SN", "CI", "ML"],
        budget="1250000.50",
        implementers=["Zeta agency", "Alpha; Beta", "Mid"],
        donors=["EU", "Spain"],
        secondary=[domains[5], domains[1]],
    )
    # A donor written before the implementers, and a position given out of creation order.
    EntryOrganisation.objects.create(
        entry=listed, role=EntryOrganisation.Role.IMPLEMENTER, name="First", position=0
    )
    bare = JvapEntryFactory(reference="X-2", title="Bare", domain=domains[1], type="policy")
    return [listed, bare]


def test_the_rows_of_a_queryset_are_the_rows_of_its_entries(entries):
    queryset = JvapEntry.objects.order_by("reference")

    rows = list(rows_of(queryset))

    assert rows == [entry_to_row(entry) for entry in queryset.for_listing()]
    assert rows[0].implementers[:2] == ("Zeta agency", "First")
    assert rows[0].countries == ("CI", "ML", "SN")
    assert rows[0].secondary_domains == (1, 5)
    assert (rows[1].implementers, rows[1].donors, rows[1].secondary_domains) == ((), (), ())


def test_the_rows_of_a_queryset_take_one_query_whatever_their_number(entries):
    for number in range(30):
        JvapEntryFactory(reference=f"Y-{number}", countries=["SN"], implementers=["IOM"])

    with CaptureQueriesContext(connection) as queries:
        rows = list(rows_of(JvapEntry.objects.order_by("reference")))

    assert len(rows) == 32
    assert len(queries) == 1
