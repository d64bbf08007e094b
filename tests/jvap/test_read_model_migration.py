"""Migration jvap 0013 fills the read model from the entries already published with SQL of its
own, frozen in the migration (a migration must not run code that will change), and fills it
exactly as the live rebuild (`jvap.read_model.refresh_tables`) does today."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from jvap.models import PublicEntry, PublicEntryCountry, PublicEntryOrganisation
from tests.jvap.factories import UNPUBLISHED, JvapEntryFactory, domains_by_number

BEFORE_THE_READ_MODEL = ("jvap", "0012_full_text_search")
READ_MODEL = ("jvap", "0013_read_model")


def migrate_to(target):
    """Apply or unapply jvap's migrations up to `target`, as `migrate` would, but without its
    post_migrate signal (which schedules the live rebuild)."""
    MigrationExecutor(connection).migrate([target])


def read_model_rows():
    """Every row of the read model's tables, without their ids, in a fixed order."""
    return {
        model.__name__: sorted(
            model.objects.values_list(
                *(f.attname for f in model._meta.concrete_fields if f.name != "id")
            ),
            key=repr,
        )
        for model in (PublicEntry, PublicEntryCountry, PublicEntryOrganisation)
    }


@pytest.mark.django_db(transaction=True)
def test_migration_0013_fills_the_read_model_as_the_live_rebuild_does():
    domains = domains_by_number()
    with transaction.atomic():  # one change of the data: one live rebuild after the commit
        JvapEntryFactory(
            domain=domains[2],
            countries=["SN", "ML", "NE"],
            donors=["European Union", "Spain"],
            implementers=["IOM"],
            budget="900000",
            start="2018-01-01",
            end="2020-12-31",
            dialogue="both",
            status="ongoing",
        )
        JvapEntryFactory(domain=domains[3], countries=["NE"], donors=["EU"], budget="100000.01")
        JvapEntryFactory(domain=domains[5], countries=["GH"], type="policy", start="2021-03-01")
        for state in UNPUBLISHED:
            JvapEntryFactory(domain=domains[1], donors=["Hidden"], budget="7", review_state=state)
    rebuilt_live = read_model_rows()
    assert [len(rows) for rows in rebuilt_live.values()] == [3, 5, 4]

    try:
        migrate_to(BEFORE_THE_READ_MODEL)
        migrate_to(READ_MODEL)
        assert read_model_rows() == rebuilt_live
    finally:
        migrate_to(READ_MODEL)  # the test database as the other tests expect it
