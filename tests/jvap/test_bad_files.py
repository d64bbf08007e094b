"""The corpus of bad files: each is refused with its own message and writes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from jvap.models import (
    DataCollectionCampaign,
    EntryChange,
    EntryCountry,
    EntryOrganisation,
    EntryUpload,
    JvapEntry,
    PartnerAccess,
    ReportingPartner,
)

from .bad_files.build import BAD_FILES, HERE
from .factories import make_domains
from .sheets import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db

TABLES = [
    JvapEntry,
    JvapEntry.secondary_domains.through,
    EntryCountry,
    EntryOrganisation,
    EntryChange,
    EntryUpload,
    ReportingPartner,
    PartnerAccess,
    DataCollectionCampaign,
]


def database_contents():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


@pytest.fixture
def existing_entries(tmp_path):
    """The database already holds a partner's entries that a bad file must not touch."""
    make_domains()
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes([GOOD, row(Reference="2", Title="Second")]))
    call_command("import_jvap", str(path), "--partner", "SN", stdout=io.StringIO())


def test_the_corpus_has_at_least_25_files():
    assert len(BAD_FILES) >= 25
    assert len({bad.name for bad in BAD_FILES}) == len(BAD_FILES)


def test_committed_corpus_files_match_their_builders():
    for bad in BAD_FILES:
        if bad.committed and bad.name != "zip_bomb.xlsx":  # zip timestamps differ per build
            assert (HERE / bad.name).exists(), f"run tests/jvap/bad_files/build.py ({bad.name})"


@pytest.mark.parametrize("bad", BAD_FILES, ids=lambda bad: bad.name)
def test_bad_file_is_refused_with_its_message_and_nothing_written(bad, existing_entries, tmp_path):
    path = tmp_path / bad.name
    path.write_bytes(bad.build())
    before = database_contents()
    errors = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command(
            "import_jvap", str(path), "--partner", "SN", stdout=io.StringIO(), stderr=errors
        )
    assert refusal.value.returncode == 2
    first_problem = errors.getvalue().splitlines()[0]
    assert bad.message in first_problem
    assert database_contents() == before


@override_settings(JVAP_UPLOAD_MAX_ROWS=3)
def test_row_limit_from_settings_refuses_a_longer_file(existing_entries, tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(csv_bytes([row(Reference=str(n)) for n in range(4)]))
    before = database_contents()
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_jvap", str(path), "--partner", "SN", stderr=errors)
    assert "more than 3 data rows" in errors.getvalue()
    assert database_contents() == before


@override_settings(JVAP_UPLOAD_MAX_BYTES=1000)
def test_size_limit_from_settings(existing_entries, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([row(Reference=str(n)) for n in range(20)]))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_jvap", str(path), "--partner", "SN", stderr=errors)
    assert "larger than 0.0 MB" in errors.getvalue()
