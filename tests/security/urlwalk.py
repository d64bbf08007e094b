"""Every address of the portal a test can reach: the URL conf's patterns that need no
argument, and the pages with arguments (detail pages) that the sitemap lists.

Pages added later by any app are covered without touching the security tests.
"""

import io
import re
import zipfile
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

# A pattern piece with a captured group or a converter needs arguments we cannot invent.
NEEDS_ARGUMENTS = re.compile(r"<[^>]+>|\(")


# A named group that lists its few possible values, as exports do: `(?P<export_format>csv|xlsx)`.
CHOICE_GROUP = re.compile(r"\(\?P<\w+>([\w-]+(?:\|[\w-]+)*)\)")


def _literal(piece: str) -> str | None:
    """The literal address of one pattern piece, or None when it takes arguments."""
    piece = piece.removeprefix("^").removesuffix("$").replace("\\/", "/").replace("\\.", ".")
    if NEEDS_ARGUMENTS.search(piece) or any(ch in piece for ch in "[]*+?|\\{}"):
        return None
    return piece


def _literals(piece: str) -> list[str]:
    """Every literal address of a pattern piece: one, one per value of each choice group
    (`export.(?P<export_format>csv|xlsx|json)` gives three), or none when it takes arguments."""
    choice = CHOICE_GROUP.search(piece)
    if choice is None:
        literal = _literal(piece)
        return [] if literal is None else [literal]
    found = []
    for value in choice.group(1).split("|"):
        found += _literals(piece[: choice.start()] + value + piece[choice.end() :])
    return found


def argument_free_paths(
    resolver: URLResolver | None = None, prefix: str = "/", *, with_choices: bool = False
) -> list[str]:
    """The paths of the project's URL conf that resolve without arguments, sorted; with
    `with_choices`, also one path per value of a choice group (the exports' formats)."""
    resolver = resolver or get_resolver()
    found = set()
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if with_choices:
            pieces = _literals(pattern)
        else:
            pieces = [piece] if (piece := _literal(pattern)) is not None else []
        for piece in pieces:
            if isinstance(entry, URLResolver):
                found.update(argument_free_paths(entry, prefix + piece, with_choices=with_choices))
            elif isinstance(entry, URLPattern):
                found.add(prefix + piece)
    return sorted(found)


def body(response) -> bytes:
    """The whole body of a response, streamed (CSV, iCalendar, files) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def readable_text(response) -> str:
    """What a person could read in a response: the body as text, and for a zipped download
    (.xlsx) the text of every part inside it, where a plain search of the bytes sees nothing."""
    raw = body(response)
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(
                archive.read(name).decode(errors="replace") for name in archive.namelist()
            )
    return raw.decode(errors="replace")


def sitemap_paths(client, address: str = "/sitemap.xml") -> list[str]:
    """The paths the sitemap lists (every public detail page), empty without a sitemap; a
    sitemap index is followed into each of its sitemaps."""
    response = client.get(address)
    if response.status_code != 200:
        return []
    content = body(response)
    locations = [
        urlsplit(loc.decode()) for loc in re.findall(rb"<loc>\s*([^<\s]+)\s*</loc>", content)
    ]
    if b"<sitemapindex" in content:
        return sorted(
            {
                path
                for loc in locations
                for path in sitemap_paths(client, loc.path + (f"?{loc.query}" if loc.query else ""))
            }
        )
    return sorted({loc.path for loc in locations})


def every_reachable_path(client, *, with_choices: bool = False) -> list[str]:
    """Argument-free paths and the sitemap's pages together (with `with_choices`, every
    format of every export too)."""
    return sorted(set(argument_free_paths(with_choices=with_choices)) | set(sitemap_paths(client)))
