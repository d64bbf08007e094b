"""`q=` on PostgreSQL: a full-text GIN index over the entries' title and description (accents
folded, stemmed in English and French) in place of their two trigram indexes (`jvap.indexes`).
The organisations' names keep their trigram index. Nothing changes on SQLite."""

from django.db import migrations

from jvap.indexes import use_full_text_search, use_trigram_search


class Migration(migrations.Migration):
    dependencies = [("jvap", "0011_upload_heartbeat")]

    operations = [migrations.RunPython(use_full_text_search, use_trigram_search)]
