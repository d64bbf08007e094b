"""The indexes of the public JVAP database that are plain SQL (migration 0002 creates them;
`jvap.demo` drops and rebuilds them around a large bulk load, which is faster than updating
trigram indexes row by row).

One index for each sort of `/jvap/` (both directions, empty values last, the primary key as
tie-breaker, on the published rows only) and, on PostgreSQL, trigram GIN indexes that serve
`q=` (`UPPER(column) LIKE '%word%'`, what `icontains` writes) at 100,000 entries.
"""

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


def statements(connection, *, create: bool) -> list[str]:
    """The SQL that creates (or drops) the indexes on this connection's database."""
    postgres = connection.vendor == "postgresql"
    if not create:
        names = [name for name, _ in SORT_INDEXES]
        if postgres:
            names += [name for name, _, _ in TRIGRAM_INDEXES]
        return [f"DROP INDEX IF EXISTS {name}" for name in names]
    sql = []
    for name, columns in SORT_INDEXES:
        if not postgres:  # SQLite's index columns take no NULLS LAST
            columns = columns.replace(" NULLS LAST", "")
        sql.append(f"CREATE INDEX IF NOT EXISTS {name} ON jvap_jvapentry ({columns}) {PUBLISHED}")
    if postgres:
        sql += [
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
            for name, table, expression in TRIGRAM_INDEXES
        ]
    return sql


def create_public_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for statement in statements(connection, create=True):
            cursor.execute(statement)


def drop_public_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for statement in statements(connection, create=False):
            cursor.execute(statement)


# Migration 0002's RunPython functions.
def create_indexes(apps, schema_editor):
    create_public_indexes(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    drop_public_indexes(schema_editor.connection)
