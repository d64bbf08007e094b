"""The production server: gunicorn serves the WSGI app against the test database."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.dialogues.factories import MeetingFactory

ROOT = Path(__file__).resolve().parents[2]


def database_url_of_test_database() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return f"sqlite:///{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_a_page_from_the_test_database():
    MeetingFactory(title="Meeting served through gunicorn", slug="served-through-gunicorn")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        "DJANGO_SETTINGS_MODULE": "mmd_portal.settings.base",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "mmd_portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body, deadline = None, time.time() + 30
        while body is None and time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/meetings/", timeout=5) as r:
                    assert r.status == 200
                    body = r.read().decode()
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn exited:\n{server.stdout.read().decode()}")
                time.sleep(0.3)
        assert body is not None, "gunicorn did not answer within 30 s"
        assert "Meeting served through gunicorn" in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
