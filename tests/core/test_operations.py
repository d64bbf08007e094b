"""Operations: the health page, logs on stderr, error mails to the administrators."""

import logging
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings

from tests.processes import ROOT


@pytest.mark.django_db
def test_the_health_page_checks_database_cache_storage_and_tasks(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    checks = response.json()
    assert all(status == "OK" for status in checks.values())
    names = " ".join(checks)
    for part in ("Database", "Cache", "Storage", "TaskBackend"):
        assert part in names


@pytest.mark.django_db
def test_the_health_page_fails_when_the_task_backend_is_missing(client):
    with override_settings(TASKS={"default": {"BACKEND": "no.such.Backend"}}):
        response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert "Task backend is not configured" in str(response.json())


@pytest.mark.django_db
def test_the_health_page_is_never_cached_and_outside_the_language_prefix(client):
    response = client.get("/health/?format=json")
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/fr/health/").status_code == 404


def test_errors_are_logged_to_stderr_with_their_traceback():
    script = (
        "import django, logging; django.setup()\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n    logging.getLogger('django.request').exception('Boom')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mmd_portal.settings.base"}
    env.pop("DJANGO_ADMINS", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "ERROR django.request" in done.stderr and "Boom" in done.stderr
    assert "Traceback" in done.stderr and "ZeroDivisionError" in done.stderr
    assert done.stdout == ""


@pytest.mark.django_db
def test_the_health_page_answers_browsers_in_plain_text(client):
    response = client.get("/health/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_administrators(client, settings):
    settings.ADMINS = [("Operations", "ops@example.org")]
    settings.DEBUG = False
    logging.getLogger("django.request").error(
        "Internal Server Error: /boom/", exc_info=ValueError("boom"), extra={"status_code": 500}
    )
    assert [message.to for message in mail.outbox] == [["ops@example.org"]]
    assert "ValueError" in mail.outbox[0].body
