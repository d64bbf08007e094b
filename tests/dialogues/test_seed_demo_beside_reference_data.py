"""seed_demo beside the reference data: its rows are labelled as invented, it never touches a
reference record, and the reference data holds no demo content."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dialogues.demo import DEMO_PREFIX, DEMO_SOURCE_NOTE
from dialogues.models import Dialogue, Meeting, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(reference_data_of_the_module):
    """Loaded once for the module (every test here starts from it); each test's demo rows are
    rolled back after it."""


def test_seed_demo_creates_the_requested_labelled_meetings_and_organisations(
    reference_data, capsys
):
    meetings_before, organisations_before = Meeting.objects.count(), Organisation.objects.count()

    call_command("seed_demo", meetings=30, organisations=12)

    demo_meetings = Meeting.objects.filter(source_note=DEMO_SOURCE_NOTE)
    demo_organisations = Organisation.objects.filter(source_note=DEMO_SOURCE_NOTE)
    assert (
        Meeting.objects.count() == meetings_before + 30 == meetings_before + demo_meetings.count()
    )
    assert Organisation.objects.count() == organisations_before + 12
    assert demo_organisations.count() == 12
    assert all(meeting.title.startswith(f"{DEMO_PREFIX} ") for meeting in demo_meetings)
    assert all(org.name.startswith(f"{DEMO_PREFIX} ") for org in demo_organisations)
    assert all(meeting.dialogues.exists() for meeting in demo_meetings)
    assert "Created demo meetings: 30." in capsys.readouterr().out


def test_seed_demo_leaves_reference_records_untouched(reference_data):
    reference_meetings = set(Meeting.objects.values_list("slug", "title", "source_note"))
    dialogues = set(Dialogue.objects.values_list("slug", "summary"))

    call_command("seed_demo", meetings=5, organisations=5)

    assert reference_meetings <= set(Meeting.objects.values_list("slug", "title", "source_note"))
    assert set(Dialogue.objects.values_list("slug", "summary")) == dialogues


def test_seed_demo_can_run_twice_without_clashing(reference_data):
    call_command("seed_demo", meetings=3, organisations=3)
    call_command("seed_demo", meetings=3, organisations=3)

    assert Meeting.objects.filter(source_note=DEMO_SOURCE_NOTE).count() == 6
    assert Organisation.objects.filter(source_note=DEMO_SOURCE_NOTE).count() == 6


def test_reference_data_loads_no_demo_content(reference_data):
    assert not Meeting.objects.filter(title__startswith=DEMO_PREFIX).exists()
    assert not Organisation.objects.filter(name__startswith=DEMO_PREFIX).exists()
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    for path in fixtures.rglob("*"):
        if path.is_file():
            assert DEMO_SOURCE_NOTE not in path.read_text(encoding="utf-8"), path
            assert DEMO_PREFIX not in path.read_text(encoding="utf-8"), path
