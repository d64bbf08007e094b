"""A focal point's e-mail address and phone number never appear on a public page or download.

The test crawls every page reachable from / and /fr/ (following links within the site) and
fetches every listing, detail and export address, with focal points in the database."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db

EXTRA = [
    "/meetings/export.csv",
    "/documents/export.csv",
    "/dialogues/export.csv",
    "/organisations/export.csv",
    "/countries/export.csv",
    "/meetings.ics",
    "/sitemap.xml",
    "/robots.txt",
    "/search/?q=focal",
    "/search/?q=aminata",
    "/search/?q=private",
    "/search/?q=221",
    "/countries/et/",
    "/fr/countries/sn/",
]
HREF = re.compile(r'href="([^"#]+)')


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def crawl(client, starts) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < 600:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = body(response) if response.status_code == 200 else ""
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(seen[url]):
            href = href.replace("&amp;", "&")
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(
                ("/static/", "/media/", "/admin", "/fr/admin")
            ):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                queue.append(local)
    return seen


def test_no_public_response_contains_a_focal_points_email_or_phone(client, world):
    pages = crawl(client, ["/", "/fr/", *EXTRA])
    assert len(pages) > 40
    assert "/meetings/dakar-ministerial-conference/" in pages
    assert "/fr/countries/sn/" in pages
    secrets = []
    for focal_point in world.focal_points:
        secrets += [focal_point.email, focal_point.phone, focal_point.email.split("@")[0]]
        secrets += [focal_point.phone.replace(" ", "")]
    leaks = [(url, secret) for url, text in pages.items() for secret in secrets if secret in text]
    assert leaks == []
