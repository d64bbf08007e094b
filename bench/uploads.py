"""A focal point's upload of 10,000 rows through the task path (issue 12).

The upload page stores the file and queues the reading; a `db_worker` process of its own
reads it while the preview page is loaded every half second, as the page's own refresh does;
then the confirmation is queued and the page is loaded again until the entries are saved.
Measured: the upload request itself, the time until the preview shows, and the time from the
confirmation until it is done.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_UPLOAD_ROWS", "10000"))
# Not SN, which the import benchmark fills with the same file: here every row is new.
PARTNER = os.environ.get("BENCH_UPLOAD_PARTNER", "ML")
TIMEOUT = 900


def _start_worker(log) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _focal_point(partner):
    """A focal point of the partner (made once, kept for the next runs)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from dialogues.roles import FOCAL_POINT
    from jvap.models import PartnerAccess

    user, _ = get_user_model().objects.get_or_create(username="bench-focal-point")
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    PartnerAccess.objects.get_or_create(
        user=user, partner=partner, defaults={"role": PartnerAccess.Role.FOCAL_POINT}
    )
    return user


def _wait_for_log(path: Path, text: str) -> None:
    deadline = time.perf_counter() + 120
    while text not in path.read_text():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the worker did not start:\n{path.read_text()[-2000:]}")
        time.sleep(0.2)


def _wait(client, url: str, done) -> tuple[float, str]:
    """Load the page every half second until `done(upload)`; (seconds, the page's text)."""
    from jvap.models import EntryUpload

    started = time.perf_counter()
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    while time.perf_counter() - started < TIMEOUT:
        page = client.get(url).content.decode()
        if done(EntryUpload.objects.get(pk=pk)):
            return time.perf_counter() - started, page
        time.sleep(0.5)
    raise RuntimeError(f"{url} not done after {TIMEOUT} s")


def measure(report: list[str]) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from bench.imports import WORK, write_spreadsheet
    from jvap.models import EntryUpload, ReportingPartner

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"jvap-{ROWS}.xlsx"
    if not path.exists():
        write_spreadsheet(path, ROWS)
    partner = ReportingPartner.for_code(PARTNER)
    client = Client()
    client.force_login(_focal_point(partner))
    log_path = WORK / "db-worker-uploads.log"
    with log_path.open("w") as log:
        worker = _start_worker(log)
    try:
        _wait_for_log(log_path, "Starting worker")  # its start-up is not the upload's time
        started = time.perf_counter()
        with path.open("rb") as file:
            response = client.post(reverse("jvap:upload"), {"partner": partner.pk, "file": file})
        upload_seconds = time.perf_counter() - started
        url = response["Location"]
        read_seconds, _page = _wait(client, url, lambda u: u.state != EntryUpload.State.READING)
        upload = EntryUpload.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
        if upload.state != EntryUpload.State.PREVIEWED:
            raise RuntimeError(f"the benchmark file was refused: {upload.preview}")
        started = time.perf_counter()
        client.post(url, {"confirm": "1"})
        confirm_seconds, _page = _wait(client, url, lambda u: not u.confirm_queued)
        upload.refresh_from_db()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    report += [
        "## Upload through the task path",
        "",
        f"A focal point uploads a {ROWS:,}-row .xlsx ({path.stat().st_size / 2**20:.1f} MiB) "
        "on the upload page; a `db_worker` process reads it while the preview page is loaded "
        "every half second; then the confirmation runs as a task the same way:",
        "",
        f"- the upload request (file stored, reading queued): {upload_seconds:.1f} s;",
        f"- upload to preview shown: **{upload_seconds + read_seconds:.1f} s** "
        f"({upload.new_count:,} new, {upload.updated_count:,} changed, "
        f"{upload.unchanged_count:,} unchanged);",
        f"- confirmation to done: **{confirm_seconds:.1f} s** (upload state: {upload.state}).",
        "",
    ]
