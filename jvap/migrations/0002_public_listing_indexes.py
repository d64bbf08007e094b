"""Indexes of the public JVAP database (defined in `jvap.indexes`): one for each sort of
`/jvap/` and, on PostgreSQL, trigram GIN indexes for `q=`. The filters' own indexes are in
0001 (domain, type, status, dialogue, partner, dates, budget, country).

They are plain SQL, not `Meta.indexes`: the partial, direction-specific and operator-class
indexes differ between PostgreSQL and SQLite, and the models stay as they are.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from jvap.indexes import create_indexes, drop_indexes


class Migration(migrations.Migration):
    dependencies = [("jvap", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
