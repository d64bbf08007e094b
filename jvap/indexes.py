"""The indexes of the public JVAP database that are plain SQL (migration 0002 creates them;
`jvap.demo` drops and rebuilds them around a large bulk load, which is faster than updating
trigram indexes row by row).

One index for each sort of `/jvap/` (both directions, empty values last, the primary key as
tie-breaker, on the published rows only: a page at any depth reads its keys from one of them,
`core.pagination`) and, on PostgreSQL, what serves `q=` at 100,000 entries: a full-text GIN
index over the title and description (accents folded by `portal_unaccent`, stemmed in English
and French) and a trigram GIN index over the organisations' names (`UPPER(name) LIKE
'%word%'`, what `icontains` writes).
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
    ("jvap_entryorg_name_trgm", "jvap_entryorganisation", "UPPER(name::text) gin_trgm_ops"),
]

# `unaccent()` is only STABLE (its dictionary could change), and a generated column or an index
# expression must be IMMUTABLE: the usual wrapper naming the dictionary. SQLite connections get
# a function of the same name that folds accents and case (`core.collation`).
UNACCENT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
)
# An entry's title and description, accents folded, as words stemmed in English and in French,
# kept in a generated column (PostgreSQL computes it on every write) rather than an index
# expression: a page of results checks its rows against the stored vector instead of stemming
# their descriptions again. The model does not declare it (SQLite has no such column); a
# migration that changes the type of `title` or `description` must drop and re-add it.
ENTRY_TEXT = "portal_unaccent(COALESCE(title, '') || ' ' || COALESCE(description, ''))"
SEARCH_VECTOR = (
    "ALTER TABLE jvap_jvapentry ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED "
    f"ALWAYS AS (to_tsvector('english'::regconfig, {ENTRY_TEXT})"
    f" || to_tsvector('french'::regconfig, {ENTRY_TEXT})) STORED"
)
# One word of a search, in either language (a stop word of one language is just left out).
WORD_QUERY = (
    "(plainto_tsquery('english'::regconfig, portal_unaccent(%s))"
    " || plainto_tsquery('french'::regconfig, portal_unaccent(%s)))"
)
FULL_TEXT_INDEX = "jvap_entry_text_search"
# Trigram indexes of the title and description, which the full-text index replaced.
REPLACED_INDEXES = ["jvap_entry_title_trgm", "jvap_entry_description_trgm"]


def statements(connection, *, create: bool) -> list[str]:
    """The SQL that creates (or drops) the indexes on this connection's database."""
    postgres = connection.vendor == "postgresql"
    if not create:
        names = [name for name, _ in SORT_INDEXES]
        if postgres:
            names += [name for name, _, _ in TRIGRAM_INDEXES] + [FULL_TEXT_INDEX]
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
        sql += [
            "CREATE EXTENSION IF NOT EXISTS unaccent",
            UNACCENT_FUNCTION,
            SEARCH_VECTOR,
            f"CREATE INDEX IF NOT EXISTS {FULL_TEXT_INDEX} ON jvap_jvapentry "
            "USING gin (search_vector)",
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


# Migration 0012's: the full-text index in place of the title and description trigrams.
def use_full_text_search(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in REPLACED_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    create_public_indexes(connection)


def use_trigram_search(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {FULL_TEXT_INDEX}")
            cursor.execute("ALTER TABLE jvap_jvapentry DROP COLUMN IF EXISTS search_vector")
            for name, column in zip(REPLACED_INDEXES, ("title", "description"), strict=True):
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON jvap_jvapentry "
                    f"USING gin (UPPER({column}::text) gin_trgm_ops)"
                )
