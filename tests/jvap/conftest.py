"""Set-up shared by the JVAP tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to a /fr/ page leaves French active in the thread; start each test in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _private_uploads_in_a_temporary_folder(settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
