"""The Content-Security-Policy allows no inline script or style, so no template may rely on
one: an inline event handler (onsubmit=, onclick=...), a <script> without src or a style=
attribute would silently do nothing in the browser."""

import re
from pathlib import Path

from django.conf import settings

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def portal_templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in root.rglob("templates/**/*.html")
        if not {".venv", "node_modules", "test-artifacts"} & set(path.relative_to(root).parts)
    ]


def test_no_template_has_an_inline_event_handler_script_or_style():
    patterns = (INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE)
    offending = [
        str(path)
        for path in portal_templates()
        if any(pattern.search(path.read_text(encoding="utf-8")) for pattern in patterns)
    ]

    assert portal_templates() and offending == []
