"""Indexes of the public JVAP database: one for each sort of `/jvap/` (both directions, empty
values last, the primary key as tie-breaker, on the published rows only) and, on PostgreSQL,
trigram GIN indexes that serve `q=` (`UPPER(column) LIKE '%word%'`, what `icontains` writes)
at 100,000 entries. The filters' own indexes are in 0001 (domain, type, status, dialogue,
partner, dates, budget, country).

They are plain SQL, not `Meta.indexes`: the partial, direction-specific and operator-class
indexes differ between PostgreSQL and SQLite, and the models stay as they are.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PUBLISHED = "WHERE review_state = 'published'"

# (name, columns) of the sort indexes, on both databases.
SORT_INDEXES = [
    ("jvap_pub_title_asc", "title, id"),
    ("jvap_pub_title_desc", "title DESC, id DESC"),
    ("jvap_pub_budget_asc", "budget_eur, id"),
    ("jvap_pub_budget_desc", "budget_eur DESC NULLS LAST, id DESC"),
    ("jvap_pub_start_asc", "start_date, id"),
    ("jvap_pub_start_desc", "start_date DESC NULLS LAST, id DESC"),
    ("jvap_pub_end_asc", "end_date, id"),
    ("jvap_pub_end_desc", "end_date DESC NULLS LAST, id DESC"),
]

# PostgreSQL only: what `icontains` searches, as trigram GIN indexes.
TRIGRAM_INDEXES = [
    ("jvap_entry_title_trgm", "jvap_jvapentry", "UPPER(title::text) gin_trgm_ops"),
    ("jvap_entry_description_trgm", "jvap_jvapentry", "UPPER(description::text) gin_trgm_ops"),
    ("jvap_entryorg_name_trgm", "jvap_entryorganisation", "UPPER(name::text) gin_trgm_ops"),
]


def create_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, columns in SORT_INDEXES:
        if not postgres:  # SQLite sorts NULLs first in DESC unless told; keep its default
            columns = columns.replace(" NULLS LAST", "")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON jvap_jvapentry ({columns}) {PUBLISHED}"
        )
    if postgres:
        for name, table, expression in TRIGRAM_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
            )


def drop_indexes(apps, schema_editor):
    names = [name for name, _ in SORT_INDEXES]
    if schema_editor.connection.vendor == "postgresql":
        names += [name for name, _, _ in TRIGRAM_INDEXES]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("jvap", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
