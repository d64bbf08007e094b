"""PostgreSQL: each published entry's row in the read model (`jvap_publicentry`) carries its
search vector (the entry's, stripped of the word positions no search reads) under a full-text
GIN index, and the codes of its countries as an array, so that the facet counts of a search of
words are one pass over that narrow table (`jvap.read_model`). Nothing changes on SQLite."""

from django.db import migrations

# Frozen here: later changes rebuild the read model with the live code (`jvap.indexes`).
ADD_COLUMNS = [
    "ALTER TABLE jvap_publicentry ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "ALTER TABLE jvap_publicentry ADD COLUMN IF NOT EXISTS country_codes varchar(2)[]",
]
FILL_COLUMNS = """
    UPDATE jvap_publicentry p
    SET search_vector = strip(e.search_vector),
        country_codes = COALESCE(c.codes, '{}')
    FROM jvap_jvapentry e
    LEFT JOIN (
        SELECT entry_id, array_agg(country ORDER BY country) AS codes
        FROM jvap_entrycountry GROUP BY entry_id
    ) c ON c.entry_id = e.id
    WHERE e.id = p.entry_id
"""
ADD_INDEX = (
    "CREATE INDEX IF NOT EXISTS jvap_public_entry_text_search ON jvap_publicentry "
    "USING gin (search_vector)"
)
DROP = [
    "DROP INDEX IF EXISTS jvap_public_entry_text_search",
    "ALTER TABLE jvap_publicentry DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE jvap_publicentry DROP COLUMN IF EXISTS country_codes",
]


def add_search_columns(apps, schema_editor):
    """Add and fill the columns, then index the vectors (faster than filling an index)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*ADD_COLUMNS, FILL_COLUMNS, ADD_INDEX]:
        schema_editor.execute(statement)


def drop_search_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("jvap", "0018_public_entry_country_dates")]

    operations = [migrations.RunPython(add_search_columns, drop_search_columns)]
