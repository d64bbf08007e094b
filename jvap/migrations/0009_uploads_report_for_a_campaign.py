"""Uploads made while no campaign was set up kept no campaign, while their entries took the
year of the confirmation: the campaign overview then missed them. Each such upload now reports
for the campaign of that year (made for the whole year where the secretariat has none), as
new uploads do (jvap.services.campaign_for_upload)."""

import datetime

from django.db import migrations


def give_uploads_their_campaign(apps, schema_editor):
    EntryUpload = apps.get_model("jvap", "EntryUpload")
    DataCollectionCampaign = apps.get_model("jvap", "DataCollectionCampaign")
    for upload in EntryUpload.objects.filter(campaign__isnull=True).iterator():
        year = (upload.confirmed_at or upload.uploaded_at).year
        campaign, _created = DataCollectionCampaign.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": datetime.date(year, 1, 1),
                "closes_on": datetime.date(year, 12, 31),
            },
        )
        EntryUpload.objects.filter(pk=upload.pk).update(campaign=campaign)


class Migration(migrations.Migration):
    dependencies = [("jvap", "0008_public_figures")]

    operations = [migrations.RunPython(give_uploads_their_campaign, migrations.RunPython.noop)]
