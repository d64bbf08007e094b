"""Big downloads off the request: the full downloads come from files a task builds after each
change (a re-download is a 304), and heavy downloads for anonymous visitors are bounded."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from core import bulk_downloads
from core.tasks import PERSON_WAITING, build_full_downloads, prioritised
from tests.core.test_tasks import DATABASE_TASKS
from tests.core.worker_tasks import add
from tests.http import response_body
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def prebuilt(settings, tmp_path):
    settings.FULL_DOWNLOADS_PREBUILT = True
    settings.STORAGES = {
        **settings.STORAGES,
        "full_downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return FileSystemStorage(location=str(tmp_path))


@pytest.fixture
def entry():
    return JvapEntryFactory(domain=domains_by_number()[3], title="Published entry in Senegal")


def test_the_full_downloads_are_built_by_a_task_in_every_language_and_format(prebuilt, entry):
    built = build_full_downloads.enqueue().return_value
    for name in ("jvap-entries-en.csv", "jvap-entries-fr.json", "mmd-grants-en.xlsx"):
        assert name in built
        assert prebuilt.exists(name)
    assert b"Published entry in Senegal" in prebuilt.open("jvap-entries-en.csv").read()


def test_a_person_s_task_goes_before_the_full_downloads_rebuilt_one_file_per_task(prebuilt, entry):
    with override_settings(TASKS=DATABASE_TASKS):
        paths = bulk_downloads.build_all()  # what the task does: a task per file, queued
        waited_for = prioritised(add, PERSON_WAITING).enqueue(1, 2)  # an upload, say

        queued = list(DBTaskResult.objects.ready())
    assert len(queued) == len(paths) + 1
    assert {"jvap-entries-en.csv", "jvap-entries-fr.xlsx", "mmd-grants-en.csv"} <= set(paths)
    assert str(queued[0].id) == str(waited_for.id)  # what the worker picks next
    assert {task.task_path for task in queued[1:]} == {"core.tasks.build_full_download"}
    assert all(task.priority < 0 for task in queued[1:])


def test_a_full_download_is_served_from_its_file_and_a_re_download_is_a_304(
    client, prebuilt, entry
):
    build_full_downloads.enqueue()
    response = client.get("/jvap/export.csv")
    assert response.status_code == 200
    assert response["X-Download"] == "prebuilt"
    assert "Published entry in Senegal" in response_body(response).decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="jvap-entries-')
    again = client.get(
        "/jvap/export.csv",
        headers={"if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    since = client.get("/jvap/export.csv", headers={"if-modified-since": response["Last-Modified"]})
    assert since.status_code == 304


@pytest.fixture
def one_file_slot(settings):
    settings.FILE_DOWNLOADS_PER_PROCESS = 1
    bulk_downloads._slot_sets.clear()
    yield bulk_downloads._slots("FILE_DOWNLOADS_PER_PROCESS")
    bulk_downloads._slot_sets.clear()


def test_prebuilt_files_go_out_a_few_at_a_time_and_the_others_are_told_to_come_back(
    client, prebuilt, entry, one_file_slot
):
    build_full_downloads.enqueue()
    first = client.get("/jvap/export.csv")
    assert first["X-Download"] == "prebuilt"
    assert not one_file_slot.acquire(blocking=False)  # held while the file is sent

    busy = client.get("/jvap/export.csv")
    assert busy.status_code == 503
    assert busy["Retry-After"] == "30"
    assert "try again" in busy.content.decode()
    assert (
        client.get(  # a visitor who has the file needs no slot
            "/jvap/export.csv", headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )

    first.close()
    again = client.get("/jvap/export.csv")
    assert again.status_code == 200
    again.close()


def test_staff_get_prebuilt_files_whatever_the_load(
    client, prebuilt, entry, one_file_slot, secretariat_user
):
    build_full_downloads.enqueue()
    client.force_login(secretariat_user)
    assert one_file_slot.acquire(blocking=False)
    try:
        assert client.get("/jvap/export.csv")["X-Download"] == "prebuilt"
    finally:
        one_file_slot.release()


def test_a_change_rebuilds_the_full_downloads_after_its_commit(
    client, prebuilt, entry, django_capture_on_commit_callbacks
):
    build_full_downloads.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        JvapEntryFactory(domain=domains_by_number()[3], title="Entry published later")
    response = client.get("/jvap/export.csv")
    assert response["X-Download"] == "prebuilt"
    assert "Entry published later" in response_body(response).decode("utf-8-sig")


def test_a_stale_file_is_never_served(client, prebuilt, entry, monkeypatch):
    build_full_downloads.enqueue()
    monkeypatch.setattr(bulk_downloads, "schedule_full_downloads", lambda: None)
    JvapEntryFactory(domain=domains_by_number()[3], title="Entry published after the build")
    response = client.get("/jvap/export.csv")
    assert "X-Download" not in response
    assert "Entry published after the build" in response_body(response).decode("utf-8-sig")


@pytest.fixture
def every_download_heavy(settings):
    settings.SMALL_DOWNLOAD_ROWS = 0
    settings.HEAVY_DOWNLOADS_PER_PROCESS = 1
    bulk_downloads._slot_sets.clear()
    yield bulk_downloads._slots("HEAVY_DOWNLOADS_PER_PROCESS")
    bulk_downloads._slot_sets.clear()


def test_a_heavy_anonymous_download_beyond_the_process_slots_is_told_to_come_back(
    client, entry, every_download_heavy
):
    assert every_download_heavy.acquire(blocking=False)  # another visitor's download
    response = client.get("/jvap/export.csv?country=SN")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again" in response.content.decode()
    every_download_heavy.release()

    response = client.get("/jvap/export.csv?country=SN")
    assert response.status_code == 200
    assert not every_download_heavy.acquire(blocking=False)  # held while it streams
    assert "Published entry in Senegal" in response_body(response).decode("utf-8-sig")
    response.close()
    assert every_download_heavy.acquire(blocking=False)  # freed at the end
    every_download_heavy.release()


def test_staff_downloads_are_not_bounded(client, entry, every_download_heavy, secretariat_user):
    client.force_login(secretariat_user)
    assert every_download_heavy.acquire(blocking=False)
    try:
        assert client.get("/jvap/export.csv?country=SN").status_code == 200
    finally:
        every_download_heavy.release()


def test_a_small_download_streams_whatever_the_load(client, entry, settings):
    settings.HEAVY_DOWNLOADS_PER_PROCESS = 1
    bulk_downloads._slot_sets.clear()
    slots = bulk_downloads._slots("HEAVY_DOWNLOADS_PER_PROCESS")
    assert slots.acquire(blocking=False)
    try:
        assert client.get("/jvap/export.csv?country=SN").status_code == 200
    finally:
        slots.release()
        bulk_downloads._slot_sets.clear()
