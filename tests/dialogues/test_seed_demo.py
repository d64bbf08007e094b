"""seed_demo on an empty database creates invented rows that are labelled as such (beside the
reference data: test_seed_demo_beside_reference_data.py)."""

import pytest
from django.core.management import CommandError, call_command

from dialogues.demo import DEMO_PREFIX, DEMO_SOURCE_NOTE
from dialogues.models import Dialogue, Meeting

pytestmark = pytest.mark.django_db


def test_seed_demo_without_reference_data_makes_a_labelled_demo_dialogue():
    call_command("seed_demo", meetings=2)

    dialogue = Dialogue.objects.get()
    assert dialogue.name.startswith(DEMO_PREFIX)
    assert dialogue.source_note == DEMO_SOURCE_NOTE


def test_jvap_and_grants_demo_content_is_created_and_labelled(capsys):
    from grants.models import Grant
    from jvap.models import JvapEntry

    call_command("seed_demo", jvap=10, grants=4)

    out = capsys.readouterr().out
    assert "Created demo JVAP entries: 10." in out
    assert "Created demo grants: 4 grants" in out
    assert JvapEntry.objects.count() == 10
    assert all(
        title.startswith("Demo –") for title in JvapEntry.objects.values_list("title", flat=True)
    )
    assert Grant.objects.count() == 4
    assert all(
        title.startswith("Demo –") for title in Grant.objects.values_list("title", flat=True)
    )
    assert not Meeting.objects.exists()


def test_seed_demo_without_options_says_what_it_can_create():
    with pytest.raises(CommandError, match="--jvap N --grants N"):
        call_command("seed_demo")


def test_seed_demo_refuses_a_negative_count():
    with pytest.raises(CommandError, match="--meetings must be zero or more"):
        call_command("seed_demo", meetings=-1)
