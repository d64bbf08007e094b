"""Loading the reference data into an empty database: the same rows from a second run, the
counts the command reports, and a bad file named and refused with nothing written. (What the
loaded data says, and re-runs over it, are in test_reference_data.py, which loads it once.)"""

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError, call_command

from core.reference import ReferenceDataError
from dialogues.models import Dialogue, Meeting

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"
LOADED_MODELS = {
    "dialogues.Domain", "dialogues.Organisation", "dialogues.Dialogue", "dialogues.DialogueLink",
    "dialogues.Membership", "dialogues.SteeringCommitteeSeat", "dialogues.ChairTerm",
    "dialogues.Meeting", "dialogues.Document", "dialogues.StrategicFramework",
    "dialogues.FrameworkElement", "dialogues.ProgrammePhase",
}  # fmt: skip

# Every test here starts from an empty database, so none may use the shared reference data.
pytestmark = pytest.mark.django_db


def reference_snapshot() -> str:
    """Every row the loaders write, ids and links included, in a stable order."""
    from grants.models import Call, CallDocument

    models = [apps.get_model(label) for label in sorted(LOADED_MODELS)] + [Call, CallDocument]
    return serializers.serialize(
        "json", [obj for model in models for obj in model._default_manager.order_by("pk")]
    )


@pytest.mark.parametrize("second_run", [[], ["--update"]], ids=["again", "with --update"])
def test_loading_twice_gives_identical_data(db, second_run):
    call_command("load_reference_data", verbosity=0)
    first = reference_snapshot()

    call_command("load_reference_data", *second_run, verbosity=0)

    assert reference_snapshot() == first


def test_the_command_counts_every_record_grant_calls_included(db):
    from grants import reference as grant_reference
    from grants.models import Call
    from jvap.models import ReportingPartner

    first, second = StringIO(), StringIO()
    call_command("load_reference_data", stdout=first)
    call_command("load_reference_data", stdout=second)

    dialogue_rows = sum(
        model.objects.count()
        for model in apps.get_app_config("dialogues").get_models()
        if model._meta.label in LOADED_MODELS
    )
    created = int(re.search(r"(\d+) created", first.getvalue()).group(1))
    assert created == dialogue_rows + ReportingPartner.objects.count() + Call.objects.count()
    assert Call.objects.count() == 2
    assert "0 created, 0 updated" in second.getvalue()
    assert grant_reference.load(FIXTURES, update=True) == {"created": 0, "updated": 0}


def copy_of_fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(FIXTURES, folder)
    return folder


def edit_records(folder: Path, filename: str, change) -> None:
    path = folder / filename
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content["records"])
    path.write_text(json.dumps(content), encoding="utf-8")


def test_a_bad_record_names_file_and_record_and_writes_nothing(tmp_path):
    folder = copy_of_fixtures(tmp_path)
    edit_records(folder, "meetings.json", lambda records: records[3].update(country="XX"))
    slug = json.loads((folder / "meetings.json").read_text())["records"][3]["slug"]

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)

    assert "meetings.json" in str(error.value)
    assert slug in str(error.value)
    assert "country" in str(error.value)
    assert Dialogue.objects.count() == 0
    assert Meeting.objects.count() == 0


def test_an_unknown_dialogue_in_a_membership_is_named(tmp_path):
    folder = copy_of_fixtures(tmp_path)
    edit_records(folder, "memberships.json", lambda records: records[0].update(dialogue="nope"))

    with pytest.raises(CommandError, match=r"memberships\.json: record 1 .*unknown dialogue"):
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)


def test_a_missing_required_field_is_named(tmp_path):
    folder = copy_of_fixtures(tmp_path)
    edit_records(folder, "chair_terms.json", lambda records: records[2].pop("start"))

    with pytest.raises(CommandError, match=r"chair_terms\.json: record 3 .*'start' is missing"):
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)


def test_a_misspelt_field_is_reported_rather_than_ignored(tmp_path):
    folder = copy_of_fixtures(tmp_path)
    edit_records(folder, "dialogues.json", lambda records: records[0].update(websit="x"))

    with pytest.raises(
        CommandError, match=r"dialogues\.json: record 1 \(rabat-process\): unknown field 'websit'"
    ):
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)


def test_a_file_that_is_not_json_is_named(tmp_path):
    folder = copy_of_fixtures(tmp_path)
    (folder / "domains.json").write_text("{ not json", encoding="utf-8")

    with pytest.raises(CommandError, match=r"domains\.json: not valid JSON \(line 1"):
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)


def failing_loader(fixtures_dir, *, update=False):
    """A later app's loader that finds a bad file."""
    raise ReferenceDataError("grants.json: record 1: broken on purpose")


def test_all_loaders_run_in_one_transaction(monkeypatch):
    from mmd_portal.management.commands import load_reference_data

    monkeypatch.setattr(
        load_reference_data,
        "LOADERS",
        [*load_reference_data.LOADERS, f"{__name__}.failing_loader"],
    )

    with pytest.raises(CommandError, match="grants.json: record 1: broken on purpose"):
        call_command("load_reference_data", verbosity=0)

    assert not Dialogue.objects.exists()
