"""Helpers for tests that start real server or worker processes on the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a process that sees the test database and this run's shared cache."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        "DJANGO_SETTINGS_MODULE": "mmd_portal.settings.base",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_DIR": str(settings.CACHE_DIR),
        "DJANGO_CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def start(args: list[str], **extra_env: str) -> subprocess.Popen:
    """Start a process in the project folder, in its own process group."""
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=process_env(**extra_env),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def start_gunicorn(port: int, workers: int = 1) -> subprocess.Popen:
    return start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "mmd_portal.wsgi",
        ]
    )


def wait_until_serving(server: subprocess.Popen, url: str, timeout: float = 30) -> None:
    """Wait until the server answers `url` (any status), or fail with its output."""
    import pytest

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"the server exited:\n{server.stdout.read().decode()}")
            time.sleep(0.3)
    pytest.fail(f"the server did not answer {url} within {timeout} s")


def fetch(url: str) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
