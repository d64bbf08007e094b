"""The admin and the public pages work in a real browser under the Content-Security-Policy."""

import pytest

from tests.browser.support import axe_violations
from tests.dialogues.factories import DialogueFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_policy_violations(page, what=("script", "style")) -> list[str]:
    """Collect what Chromium reports as blocked by the Content-Security-Policy.

    `what` narrows it to scripts ("script") or inline styles ("style").
    """
    violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" not in text:
            return
        kind = "style" if "inline style" in text or "style-src" in text else "script"
        if kind in what:
            violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return violations


def log_in(page, username="secretariat", password="secretariat-pass-123"):
    page.goto(page.base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_admin_pages_and_their_scripts_work_under_the_policy(page, secretariat_user):
    scripts_blocked = watch_policy_violations(page, what=("script",))
    styles_blocked = watch_policy_violations(page, what=("style",))
    organisation = OrganisationFactory(name="African Union Commission", acronym="AUC")
    DialogueFactory(name="Rabat Process", short_name="Rabat")
    log_in(page)

    # Prepopulated fields are admin JavaScript: typing the short name fills in the slug.
    page.goto(page.base_url + "/admin/dialogues/dialogue/add/")
    page.locator("#id_short_name").press_sequentially("Khartoum Process")
    assert page.locator("#id_slug").input_value() == "khartoum-process"

    # Autocomplete widgets (select2) load their options over the admin's own JSON view.
    page.goto(page.base_url + "/admin/dialogues/meeting/add/")
    page.locator(".field-dialogues .select2-selection").click()
    page.locator(".select2-results__option", has_text="Rabat Process").wait_for()

    for path in [
        "/admin/",
        "/admin/dialogues/organisation/",
        f"/admin/dialogues/organisation/{organisation.pk}/change/",
        f"/admin/dialogues/organisation/{organisation.pk}/history/",
        "/admin/dialogues/organisation/deleted/",
        "/admin/dialogues/organisation/import/",
        "/admin/dialogues/membership/add/",
    ]:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "Content-Security-Policy" in {k.title() for k in response.all_headers()}

    assert scripts_blocked == []
    # simple-history's version list keeps one cosmetic inline style (a paginator border), which
    # the policy drops without breaking anything; every other admin page has none.
    assert [text for text in styles_blocked if "/history/" not in text] == []


def test_public_pages_work_under_the_policy_and_stay_accessible(page):
    violations = watch_policy_violations(page)
    DialogueFactory(name="Rabat Process")

    for path in ["/", "/accounts/password_reset/", "/admin/login/"]:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path

    assert violations == []
