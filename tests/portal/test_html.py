"""The Nu HTML checker's rules that axe does not cover (issue 14): every public page, parsed
with an HTML5 parser in both languages, has no form with an empty `action` and no id twice."""

from collections import Counter

import html5lib
import pytest
from django.urls import reverse

from tests.portal.conftest import world  # noqa: F401  (the portal's test data)
from tests.security.urlwalk import every_reachable_path

pytestmark = pytest.mark.django_db

NOT_PAGES = (".csv", ".xlsx", ".json", ".ics", ".xml", ".txt", ".ico")


def html_pages(client) -> list[str]:
    """Every page of the walk, in English and in French."""
    admin = "/" + reverse("admin:index").strip("/")
    paths = {
        path
        for path in every_reachable_path(client)
        if not path.startswith((admin, "/fr" + admin, "/i18n/"))
        and not path.endswith(NOT_PAGES)
        and "/media/" not in path
    }
    paths |= {f"/fr{path}" for path in paths if not path.startswith("/fr/")}
    return sorted(paths)


def problems_of(html: bytes) -> list[str]:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    problems = ["empty action" for form in document.iter("form") if form.get("action", None) == ""]
    ids = Counter(element.get("id") for element in document.iter() if element.get("id"))
    problems += [f"id {name!r} {count} times" for name, count in ids.items() if count > 1]
    return problems


def test_the_checker_finds_what_it_looks_for():
    assert problems_of(b'<form action=""></form><p id="a"></p><p id="a"></p>') == [
        "empty action",
        "id 'a' 2 times",
    ]


def test_no_page_has_an_empty_form_action_or_a_duplicate_id(client, world):  # noqa: F811
    found = {}
    paths = html_pages(client)
    assert "/fr/jvap/" in paths and "/fr/meetings/" in paths
    for path in paths:
        response = client.get(path, follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        if problems := problems_of(response.content):
            found[path] = problems
    assert found == {}
