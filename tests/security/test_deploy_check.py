"""`manage.py check --deploy` with the production environment reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mmd_portal.settings.base",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k9$Vq2-production-like-secret-key-with-many-different-characters-81Zx",
    "DJANGO_ALLOWED_HOSTS": "mmd.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_deploy_check(**extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **PRODUCTION_ENV, **extra_env}
    # Set by the browser fixture for the test process only; no deployment has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "extra_env",
    [{}, {"DJANGO_SECURE_SSL_REDIRECT": "0"}],
    ids=["redirect-in-django", "redirect-at-the-proxy"],
)
def test_deploy_check_with_production_settings_reports_nothing(extra_env):
    result = run_deploy_check(**extra_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_deploy_check(DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
