"""Every address of the portal a test can reach: the URL conf's patterns that need no
argument, and the pages with arguments (detail pages) that the sitemap lists.

Pages added later by any app are covered without touching the security tests.
"""

import re
from urllib.parse import urlsplit

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


def body(response) -> bytes:
    """The whole body of a response, streamed (CSV, iCalendar, files) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def sitemap_paths(client) -> list[str]:
    """The paths the sitemap lists (every public detail page), empty without a sitemap."""
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        return []
    locations = re.findall(rb"<loc>\s*([^<\s]+)\s*</loc>", body(response))
    return sorted({urlsplit(location.decode()).path for location in locations})


def every_reachable_path(client) -> list[str]:
    """Argument-free paths and the sitemap's pages together."""
    return sorted(set(argument_free_paths()) | set(sitemap_paths(client)))
