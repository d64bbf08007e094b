"""`manage.py serve [addr:port]`: the development web server and a task worker, together.

`make run` uses it: one command starts both, and both stop together (Ctrl-C, SIGTERM, or
either of them ending). Each child runs in its own process group, so that stopping one also
stops the process its autoreloader started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def worker_command() -> list[str]:
    """The worker of the configured task backend (RQ with REDIS_URL, the database otherwise)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq."):
        return ["rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    return ["db_worker"]


class Command(BaseCommand):
    help = "Run the development web server and a task worker; stop both together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        manage = [sys.executable, sys.argv[0]]
        children = [
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),
            subprocess.Popen([*manage, *worker_command()], start_new_session=True),
        ]
        web, worker = children
        self.stdout.write(f"Web server pid {web.pid}, task worker pid {worker.pid}", ending="\n")
        self.stdout.flush()
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop(children)


def stop(children: list[subprocess.Popen], grace_seconds: float = 10) -> None:
    """Ask every child's process group to end, then force those still running."""
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
