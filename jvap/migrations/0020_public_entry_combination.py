"""Each published entry's row in the read model (`jvap_publicentry`) names its combination of
the choice columns: the id of its row in `jvap_publicentrytally`, so that a search's facets
group the matching entries by one integer (`jvap.read_model._counts_of_search`)."""

from django.db import migrations, models

# Frozen here: later rebuilds number the combinations with the live code (`jvap.read_model`).
FILL = """
    UPDATE jvap_publicentry
    SET combination = tally.id
    FROM jvap_publicentrytally tally
    WHERE tally.domain_number = jvap_publicentry.domain_number
      AND tally.type = jvap_publicentry.type
      AND tally.status = jvap_publicentry.status
      AND tally.dialogue = jvap_publicentry.dialogue
      AND tally.partner_id = jvap_publicentry.partner_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("jvap", "0019_public_entry_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicentry",
            name="combination",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
