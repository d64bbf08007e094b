"""The grants import refuses the file-level bad cases of the JVAP corpus (tests/jvap/bad_files)
with the same messages: both read their files through the portal's one spreadsheet reader."""

import io

import pytest
from django.test import override_settings

from grants.models import Grant
from grants.services import grants_import_spreadsheet
from grants.spreadsheet import SpreadsheetRefused
from tests.jvap.bad_files.build import BAD_FILES

pytestmark = pytest.mark.django_db

# The corpus's cases about the file itself, not about the JVAP columns.
FILE_LEVEL = {
    "zip_bomb.xlsx",
    "entity_bomb.xlsx",
    "entity_bomb_hidden.xlsx",
    "not_a_spreadsheet.pdf",
    "picture_renamed.xlsx",
    "zip_of_text.xlsx",
    "old_excel.xls",
    "empty.csv",
    "binary_nul.csv",
    "binary_controls.csv",
    "utf16.csv",
    "oversized.csv",
}
CASES = [bad for bad in BAD_FILES if bad.name in FILE_LEVEL]


def test_every_file_level_case_of_the_corpus_is_run():
    assert {bad.name for bad in CASES} == FILE_LEVEL


@pytest.mark.parametrize("bad", CASES, ids=lambda bad: bad.name)
@override_settings(GRANTS_UPLOAD_MAX_BYTES=20 * 1024 * 1024)  # the JVAP size, for one message
def test_the_grants_import_refuses_the_bad_file_with_the_jvap_message(bad):
    with pytest.raises(SpreadsheetRefused) as refusal:
        grants_import_spreadsheet(upload=io.BytesIO(bad.build()), filename=bad.name)

    assert bad.message in refusal.value.messages[0]
    assert Grant.objects.count() == 0


def test_a_sheet_past_the_row_limit_is_refused_without_reading_on(settings):
    settings.GRANTS_UPLOAD_MAX_ROWS = 3
    lines = ["record,grant_reference"] + [f"member,GF-{n}" for n in range(10)]

    with pytest.raises(SpreadsheetRefused) as refusal:
        grants_import_spreadsheet(upload=io.BytesIO("\n".join(lines).encode()), filename="g.csv")

    assert refusal.value.messages == [
        "The file has more than 3 data rows, the most one upload accepts. "
        "Split it into several files."
    ]
