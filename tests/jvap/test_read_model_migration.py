"""Migrations jvap 0013 to 0020 fill the read model from the entries already published with
SQL of their own, frozen in the migration (a migration must not run code that will change),
and fill it exactly as the live rebuild (`jvap.read_model.refresh_tables`) does today."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from jvap.models import (
    PublicCountryTally,
    PublicEntry,
    PublicEntryCountry,
    PublicEntryFlow,
    PublicEntryOrganisation,
    PublicEntryTally,
    PublicFlowTally,
    PublicOrganisationTally,
    PublicYearTally,
)
from jvap.read_model import SEARCHED_COLUMNS
from tests.jvap.factories import UNPUBLISHED, JvapEntryFactory, domains_by_number

BEFORE_THE_READ_MODEL = ("jvap", "0012_full_text_search")
READ_MODEL = ("jvap", "0013_read_model")
FLOWS = ("jvap", "0014_read_model_flows")
TALLIES = ("jvap", "0015_read_model_tallies")
TALLIES_BY_CATEGORY = ("jvap", "0016_read_model_tallies_by_category")
COUNTRY_INDEX = ("jvap", "0017_public_entry_country_by_choices")
COUNTRY_DATES = ("jvap", "0018_public_entry_country_dates")
SEARCH = ("jvap", "0019_public_entry_search")
COMBINATION = ("jvap", "0020_public_entry_combination")
# Where the other tests expect the database: jvap's last migration, whichever it is.
LATEST = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("jvap")[0]


def migrate_to(target):
    """Apply or unapply jvap's migrations up to `target`, as `migrate` would, but without its
    post_migrate signal (which schedules the live rebuild)."""
    MigrationExecutor(connection).migrate([target])


# The columns that later migrations added to the read model's tables (0018, 0020).
LATER_COLUMNS = ("start_date", "end_date", "combination")


def read_model_rows(
    models=(PublicEntry, PublicEntryCountry, PublicEntryOrganisation), leave_out=()
):
    """Every row of the read model's tables, without their ids (and the columns named in
    `leave_out`), in a fixed order."""
    return {
        model.__name__: sorted(
            model.objects.values_list(
                *(
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.name != "id" and f.name not in leave_out
                )
            ),
            key=repr,
        )
        for model in models
    }


def publish_entries():
    """Published entries of every shape the read model knows, and unpublished ones."""
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


@pytest.mark.django_db(transaction=True)
def test_migration_0013_fills_the_read_model_as_the_live_rebuild_does():
    publish_entries()
    rebuilt_live = read_model_rows(leave_out=LATER_COLUMNS)
    assert [len(rows) for rows in rebuilt_live.values()] == [3, 5, 4]

    try:
        migrate_to(BEFORE_THE_READ_MODEL)
        migrate_to(READ_MODEL)
        assert read_model_rows(leave_out=LATER_COLUMNS) == rebuilt_live
    finally:
        migrate_to(LATEST)  # the test database as the other tests expect it


@pytest.mark.django_db(transaction=True)
def test_migration_0014_fills_the_flows_as_the_live_rebuild_does():
    publish_entries()
    # An organisation named twice by one entry counts once, with both of its shares.
    with transaction.atomic():
        JvapEntryFactory(
            countries=["SN"],
            donors=["EU", "EU", "Spain"],
            implementers=["IOM", "GIZ"],
            budget="600",
        )
    models = (PublicEntryOrganisation, PublicEntryFlow)
    rebuilt_live = read_model_rows(models)
    assert [len(rows) for rows in rebuilt_live.values()] == [8, 6]

    try:
        migrate_to(READ_MODEL)
        migrate_to(FLOWS)
        assert read_model_rows(models) == rebuilt_live
    finally:
        migrate_to(LATEST)


@pytest.mark.django_db(transaction=True)
def test_migration_0015_fills_the_tallies_as_the_live_rebuild_does():
    publish_entries()
    with transaction.atomic():  # two entries of the same combination: a tally of two
        first = JvapEntryFactory(domain=domains_by_number()[4], countries=["SN"])
        JvapEntryFactory(domain=first.domain, partner=first.partner, countries=["ML", "NE"])
    rebuilt_live = read_model_rows((PublicEntryTally,))
    assert sorted(row[-1] for row in rebuilt_live["PublicEntryTally"]) == [1, 1, 1, 2]

    try:
        migrate_to(FLOWS)
        migrate_to(TALLIES)
        assert read_model_rows((PublicEntryTally,)) == rebuilt_live
    finally:
        migrate_to(LATEST)


@pytest.mark.django_db(transaction=True)
def test_migration_0016_fills_the_tallies_by_category_as_the_live_rebuild_does():
    publish_entries()
    with transaction.atomic():  # a second entry of the same categories and pair of names
        JvapEntryFactory(
            domain=domains_by_number()[3],
            countries=["NE", "SN"],
            donors=["EU"],
            implementers=["IOM"],
            budget="50",
        )
        JvapEntryFactory(
            domain=domains_by_number()[3],
            countries=["NE"],
            donors=["EU"],
            implementers=["IOM"],
            budget="150",
        )
    models = (PublicCountryTally, PublicYearTally, PublicOrganisationTally, PublicFlowTally)
    rebuilt_live = read_model_rows(models)
    assert max(row[-2] for row in rebuilt_live["PublicFlowTally"]) == 2

    try:
        migrate_to(TALLIES)
        migrate_to(TALLIES_BY_CATEGORY)
        assert read_model_rows(models) == rebuilt_live
    finally:
        migrate_to(LATEST)


@pytest.mark.django_db(transaction=True)
def test_migration_0018_copies_the_dates_beside_the_countries_as_the_live_rebuild_does():
    publish_entries()
    rebuilt_live = read_model_rows((PublicEntryCountry,))
    dates = {row[-2:] for row in rebuilt_live["PublicEntryCountry"]}
    assert (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31)) in dates

    try:
        migrate_to(COUNTRY_INDEX)
        migrate_to(COUNTRY_DATES)
        assert read_model_rows((PublicEntryCountry,)) == rebuilt_live
    finally:
        migrate_to(LATEST)


def searched_columns() -> list[tuple]:
    """The read model's rows by entry, with on PostgreSQL the columns that its model does not
    declare (SQLite has none of them: it searches the entries)."""
    columns = ["entry_id"]
    if connection.vendor == "postgresql":
        columns += SEARCHED_COLUMNS
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM jvap_publicentry "  # noqa: S608
            "ORDER BY entry_id"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_migration_0019_fills_the_searched_columns_as_the_live_rebuild_does():
    publish_entries()
    rebuilt_live = searched_columns()
    assert len(rebuilt_live) == 3
    if connection.vendor == "postgresql":
        assert [row[-1] for row in rebuilt_live] == [["ML", "NE", "SN"], ["NE"], ["GH"]]

    try:
        migrate_to(COUNTRY_DATES)
        migrate_to(SEARCH)
        assert searched_columns() == rebuilt_live
    finally:
        migrate_to(LATEST)


@pytest.mark.django_db(transaction=True)
def test_migration_0020_names_each_entrys_combination_as_the_live_rebuild_does():
    publish_entries()
    with transaction.atomic():  # two entries of the same combination
        first = JvapEntryFactory(domain=domains_by_number()[4], countries=["SN"])
        JvapEntryFactory(domain=first.domain, partner=first.partner, countries=["ML"])
    rebuilt_live = read_model_rows((PublicEntry,))
    assert sorted(row[-1] for row in rebuilt_live["PublicEntry"]) == [1, 2, 3, 3, 4]
    assert each_entry_names_the_tally_row_of_its_choices()

    try:
        migrate_to(SEARCH)
        migrate_to(COMBINATION)
        assert read_model_rows((PublicEntry,)) == rebuilt_live
        assert each_entry_names_the_tally_row_of_its_choices()
    finally:
        migrate_to(LATEST)


def each_entry_names_the_tally_row_of_its_choices() -> bool:
    choices = ("domain_number", "type", "status", "dialogue", "partner_id")
    tally = {row[0]: row[1:] for row in PublicEntryTally.objects.values_list("id", *choices)}
    entries = PublicEntry.objects.values_list("combination", *choices)
    return len(entries) > 0 and all(tally[row[0]] == row[1:] for row in entries)
