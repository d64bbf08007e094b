"""The Content-Security-Policy allows no inline script, so no template may rely on one: an
inline event handler (onsubmit=, onclick=...) or a <script> without src would silently do
nothing in the browser."""

import re
from pathlib import Path

from django.conf import settings

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def portal_templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in root.rglob("templates/**/*.html")
        if not {".venv", "node_modules", "test-artifacts"} & set(path.relative_to(root).parts)
    ]


def test_no_template_has_an_inline_event_handler_or_script():
    offending = [
        str(path)
        for path in portal_templates()
        if INLINE_HANDLER.search(text := path.read_text(encoding="utf-8"))
        or INLINE_SCRIPT.search(text)
    ]

    assert portal_templates() and offending == []
