"""Every address of the URL conf that needs no argument, found by walking the patterns.

Pages added later by any app are covered without touching the security tests.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# A pattern piece with a captured group or a converter needs arguments we cannot invent.
NEEDS_ARGUMENTS = re.compile(r"<[^>]+>|\(")


def _literal(piece: str) -> str | None:
    """The literal address of one pattern piece, or None when it takes arguments."""
    piece = piece.removeprefix("^").removesuffix("$").replace("\\/", "/").replace("\\.", ".")
    if NEEDS_ARGUMENTS.search(piece) or any(ch in piece for ch in "[]*+?|\\{}"):
        return None
    return piece


def argument_free_paths(resolver: URLResolver | None = None, prefix: str = "/") -> list[str]:
    """The paths of the project's URL conf that resolve without arguments, sorted."""
    resolver = resolver or get_resolver()
    found = set()
    for entry in resolver.url_patterns:
        piece = _literal(str(entry.pattern))
        if piece is None:
            continue
        if isinstance(entry, URLResolver):
            found.update(argument_free_paths(entry, prefix + piece))
        elif isinstance(entry, URLPattern):
            found.add(prefix + piece)
    return sorted(found)
