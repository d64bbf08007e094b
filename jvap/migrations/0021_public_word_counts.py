"""The listing's facet counts kept for a search of one frequent word (`PublicWordCounts`,
filled by the next refresh of the public figures, `jvap.public_figures.keep_word_counts`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jvap', '0020_public_entry_combination'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicWordCounts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=100, unique=True)),
                ('data_version', models.CharField(max_length=64)),
                ('entries', models.PositiveIntegerField()),
                ('facet_counts', models.JSONField()),
            ],
            options={
                'verbose_name': 'precomputed counts of a frequent word',
                'verbose_name_plural': 'precomputed counts of frequent words',
            },
        ),
    ]
