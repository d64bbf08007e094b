"""The grants pages speak French under /fr/, and the catalogue has no gap."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.grants.factories import GrantFactory


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Requests under /fr/ leave French active in this thread; later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    grant = GrantFactory(title="English title", title_fr="Titre français", countries=["SN"])
    listing = client.get("/fr/grants/").content.decode()
    assert "Facilité de subventions du MMD" in listing
    assert "Partenariats Sud-Sud" in listing
    detail = client.get(f"/fr/grants/{grant.slug}/").content.decode()
    assert "Pays de mise en œuvre" in detail
    assert "Sénégal" in detail
    assert "Titre français" in detail and "English title" not in detail
    calls = client.get("/fr/grants/calls/").content.decode()
    assert "Appels à propositions" in calls
