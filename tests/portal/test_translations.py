"""The French catalogues of the portal are complete: every message translated, none fuzzy, and
no user-facing string of the code or the templates missing from them."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("LC_MESSAGES") / "django.po"
LOCALES = [Path("locale"), Path("dialogues/locale"), Path("jvap/locale"), Path("grants/locale")]
# What the copy for `make messages` leaves out: not source, or not ours.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "test-artifacts", "media", "private-media", "staticfiles", "work",
    "__pycache__", "*.mo", "*.sqlite3", ".pytest_cache", ".ruff_cache", "*.egg-info",
)  # fmt: skip


def untranslated(text: str) -> list[str]:
    """The entries of a .po file that are fuzzy or have an empty translation."""
    entries = text.split("\n\n")[1:]  # the first block is the header
    assert entries
    found = []
    for entry in entries:
        if "#, fuzzy" in entry:
            found.append(entry)
        for match in re.finditer(r'^msgstr(?:\[\d\])? "(.*)"$', entry, re.M):
            rest = entry[match.end() :].split("\n")
            continuation = [line for line in rest[1:] if line.startswith('"')]
            if match.group(1) == "" and not any(line != '""' for line in continuation):
                found.append(entry)
    return found


@pytest.mark.parametrize("locale", LOCALES, ids=str)
def test_every_message_has_a_french_translation_and_none_is_fuzzy(locale):
    path = ROOT / locale / "fr" / CATALOGUE
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_no_user_facing_string_is_missing_from_the_catalogues(tmp_path):
    """`make messages` on a copy of the sources adds nothing untranslated: a string added to
    the code or a template without its French translation fails here."""
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "messages"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    missing = {
        str(locale): untranslated((copy / locale / "fr" / CATALOGUE).read_text(encoding="utf-8"))
        for locale in LOCALES
    }
    assert missing == {str(locale): [] for locale in LOCALES}


def test_french_statuses_agree_with_what_they_describe():
    """The same English word names statuses of meetings (une réunion prévue), JVAP entries (un
    projet prévu), grants (une subvention terminée) and uploads (un envoi annulé): each has
    its own context, so that one app's catalogue does not give its form to the others."""
    from django.utils import translation

    from dialogues.models import Meeting
    from grants.models import Grant
    from jvap.models import EntryUpload, JvapEntry

    with translation.override("fr"):
        meeting = [str(label) for label in Meeting.Status.labels]
        entry = [str(label) for label in JvapEntry.Status.labels]
        grant = [str(label) for label in Grant.Status.labels]
        upload_cancelled = str(EntryUpload.State.CANCELLED.label)
    assert meeting == ["Prévue", "Tenue", "Reportée", "Annulée"]
    assert entry == ["Prévu", "En cours", "Terminé"]
    assert grant == ["En cours", "Terminée", "Suspendue"]
    assert upload_cancelled == "Annulé"
