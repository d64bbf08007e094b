"""The French catalogues of the portal are complete: every message translated, none fuzzy."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    ROOT / "dialogues" / "locale" / "fr" / "LC_MESSAGES" / "django.po",
]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_french_translation_and_none_is_fuzzy(path):
    text = path.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    assert entries
    untranslated = []
    for entry in entries:
        if "#, fuzzy" in entry:
            untranslated.append(entry)
        for match in re.finditer(r'^msgstr(?:\[\d\])? "(.*)"$', entry, re.M):
            rest = entry[match.end() :].split("\n")
            continuation = [line for line in rest[1:] if line.startswith('"')]
            if match.group(1) == "" and not any(line != '""' for line in continuation):
                untranslated.append(entry)
    assert untranslated == []
