"""A bad reporting partners file is refused by `load_reference_data`, named, and nothing of it
is written (on an empty database: test_reference.py's tests share the loaded data)."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from jvap import reference
from jvap.models import ReportingPartner

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"

pytestmark = pytest.mark.django_db


def test_an_unknown_dialogue_is_refused_and_named(db, tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(FIXTURES, folder)
    path = folder / reference.PARTNERS_FILE
    content = json.loads(path.read_text())
    content["records"].append({"dialogue": "valletta-process", "source_note": "Nowhere."})
    path.write_text(json.dumps(content))

    with pytest.raises(CommandError, match=r"reporting_partners.json: record 4.*valletta-process"):
        call_command("load_reference_data", fixtures_dir=folder, verbosity=0)
    assert not ReportingPartner.objects.exists()
