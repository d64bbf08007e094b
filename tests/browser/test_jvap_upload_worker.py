"""In a real browser, with the task worker running as its own process (issue 12): a focal
point uploads 10,000 entries, watches the reading's progress move, sees the preview,
confirms, watches the saving and sees the result."""

import re
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from jvap.models import EntryUpload, JvapEntry
from jvap.tasks import upload_progress
from tests.browser.test_jvap_upload import log_in
from tests.jvap.factories import (
    CampaignFactory,
    ReportingPartnerFactory,
    make_domains,
    make_focal_point,
)
from tests.jvap.sheets import xlsx_of_many_rows
from tests.processes import start, stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 10_000
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Generous: on a 2-core machine under a load of 6 the whole test (reading, then confirming
# 10,000 rows) took under 2 minutes.
WAIT_MS = 240_000


@pytest.fixture
def focal_point(django_user_model):
    make_domains()
    CampaignFactory(year=2025)
    return make_focal_point(ReportingPartnerFactory(country="SN"))


@pytest.fixture
def worker():
    """`db_worker` on the test database, seeing the test's uploads and shared cache; the
    downloads and figures it would rebuild after the confirmation stay in this run's folder."""
    process = start(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        JVAP_UPLOADS_ROOT=str(settings.JVAP_UPLOADS_ROOT),
        DJANGO_FULL_DOWNLOADS_ROOT=str(settings.RUN_DIR / "downloads"),
        DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    with override_settings(TASKS=DATABASE_TASKS):
        yield process
    stop(process)


def progress_seen(page, until: str, upload_id: int) -> tuple[list, list]:
    """Until `until` shows: the (value, max) of the page's progress bar at each look, and the
    (done, total) the worker reported in the shared cache, which is what the page shows at
    its next refresh. The page refreshes every 2 s; on a quiet machine the worker reads the
    10,000 rows in about that time, so the page itself may show only one value: the worker's
    reports, looked at every 0.1 s, are what show the progress moving."""
    shown: list[tuple[int, int]] = []
    reported: list[tuple[int, int]] = []
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        progress = upload_progress(upload_id)
        if progress and (progress["done"], progress["total"]) not in reported:
            reported.append((progress["done"], progress["total"]))
        try:
            if page.get_by_text(until).count():
                return shown, reported
            bar = page.locator("progress[max]")
            if bar.count():
                value, maximum = bar.get_attribute("value"), bar.get_attribute("max")
                if (int(value), int(maximum)) not in shown:
                    shown.append((int(value), int(maximum)))
        except Exception:  # the page refreshed by itself between two looks
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"{until!r} did not show; progress shown: {shown}, reported: {reported}")


def moving_forward(progress: list[tuple[int, int]]) -> bool:
    """Every (value, max) is of the whole file, and the values never go back."""
    values = [value for value, _maximum in progress]
    return all(maximum == ROWS for _value, maximum in progress) and values == sorted(values)


def test_focal_point_uploads_10000_entries_with_the_worker_as_its_own_process(
    page, focal_point, worker
):
    log_in(page, reverse("jvap:login"), "focal", "focal-pass-123")
    page.wait_for_url("**/jvap/upload/")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(
        {
            "name": "senegal-2025.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": xlsx_of_many_rows(ROWS),
        }
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url(re.compile(r".*/jvap/upload/\d+/$"))
    upload_id = int(re.search(r"/jvap/upload/(\d+)/$", page.url).group(1))
    expect(page.get_by_role("status").first).to_contain_text("Reading the file")

    shown, reported = progress_seen(page, f"{ROWS} new, 0 changed, 0 unchanged.", upload_id)
    assert len(reported) >= 2, reported  # the worker's progress moved while it read the file
    assert moving_forward(reported), reported
    assert moving_forward(shown), shown  # what the page showed was that progress
    assert worker.poll() is None
    assert JvapEntry.objects.count() == 0

    page.get_by_role("button", name="Confirm and submit for validation").click()
    shown, reported = progress_seen(
        page, f"This upload was confirmed: {ROWS} new, 0 updated, 0 unchanged.", upload_id
    )
    assert shown or reported, "the confirmation showed no progress"
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    assert JvapEntry.objects.count() == ROWS
    assert EntryUpload.objects.get().state == EntryUpload.State.CONFIRMED
