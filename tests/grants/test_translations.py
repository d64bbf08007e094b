"""The grants pages speak French under /fr/, and the catalogue has no gap."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.grants.factories import GrantFactory

CATALOGUE = Path(settings.BASE_DIR) / "grants" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not re.search(r'^msgstr(\[\d\])? ""$', entry, re.MULTILINE) or re.search(
            r'^msgstr(\[\d\])? ""\n"', entry, re.MULTILINE
        ), entry


@pytest.mark.django_db
def test_french_listing_and_grant_page_are_in_french(client):
    grant = GrantFactory(countries=["SN"])
    listing = client.get("/fr/grants/").content.decode()
    assert "Facilité de subventions du MMD" in listing
    assert "Partenariats Sud-Sud" in listing
    detail = client.get(f"/fr/grants/{grant.slug}/").content.decode()
    assert "Pays de mise en œuvre" in detail
    assert "Sénégal" in detail
    calls = client.get("/fr/grants/calls/").content.decode()
    assert "Appels à propositions" in calls
