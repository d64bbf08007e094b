"""Run in a process of its own by tests/jvap/test_upload_limits.py: a focal point uploads a
file through the upload page, the reading task runs, and the preview page is fetched. Prints
one JSON line: the seconds from the upload to the preview (on the clock and of the process's
CPU), the process's peak memory and the preview page's text.

    python -m tests.jvap.upload_probe FILE USERNAME PARTNER_PK
"""

import json
import resource
import sys
import time
from pathlib import Path

import django


def peak_mib() -> float:
    """The process's peak resident memory, Django and all it loaded included. Linux's VmHWM:
    getrusage's ru_maxrss survives exec and would report the parent's peak (the test that
    built a large file) instead."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path, username, partner = sys.argv[1:4]
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.urls import reverse

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    started_mib = peak_mib()
    started, started_cpu = time.perf_counter(), time.process_time()
    # The task runs at once, in this process: its memory is counted with the page's.
    with override_settings(TASKS=immediate), open(path, "rb") as file:
        response = client.post(reverse("jvap:upload"), {"partner": partner, "file": file})
        page = client.get(response["Location"])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "started_mib": started_mib,
                "peak_mib": peak_mib(),
                "status": page.status_code,
                "content": page.content.decode(),
            }
        )
    )


if __name__ == "__main__":
    main()
