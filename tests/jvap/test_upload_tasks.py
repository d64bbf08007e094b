"""Uploads as tasks (issue 12): the file is read once by a task, the preview page shows the
progress and refreshes by itself, then the stored result; confirmation is a task the focal
point can leave and come back to."""

import dataclasses
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from dialogues.roles import FOCAL_POINT
from jvap import services, tasks
from jvap.models import EntryUpload, JvapEntry

from .factories import CampaignFactory, ReportingPartnerFactory, give_access, make_domains
from .sheets import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db

THREE_ENTRIES = csv_bytes([GOOD, row(Reference="2"), row(Reference="3")])


@pytest.fixture
def senegal():
    make_domains()
    CampaignFactory(year=2025)
    return ReportingPartnerFactory(country="SN")


@pytest.fixture
def focal_point(django_user_model, senegal):
    user = django_user_model.objects.create_user("focal", password="focal-pass-123")
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, senegal)
    return user


def upload(client, data, partner):
    return client.post(
        reverse("jvap:upload"),
        {"partner": partner.pk, "file": SimpleUploadedFile("entries.csv", data)},
    )


# Tasks wait in the queue, as with a busy worker: the test runs them when it chooses.
QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_preview_is_read_once_however_often_the_page_is_viewed(
    client, focal_point, senegal, monkeypatch
):
    reads = []
    real_preview = services.upload_preview

    def counted_preview(**kwargs):
        reads.append(1)
        return real_preview(**kwargs)

    monkeypatch.setattr(services, "upload_preview", counted_preview)
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    for _ in range(5):
        page = client.get(response.url)
        assert "3 new, 0 changed, 0 unchanged." in page.content.decode()
    assert len(reads) == 1


@override_settings(TASKS=QUEUED)
def test_while_the_file_is_read_the_page_shows_progress_and_refreshes_by_itself(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    upload_record = EntryUpload.objects.get()
    assert upload_record.state == EntryUpload.State.READING

    content = client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in content
    assert 'aria-live="polite"' in content and "Reading the file" in content
    assert "Confirm and submit" not in content

    tasks.upload_read.call(upload_record.pk, "en")
    content = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' not in content
    assert "3 new, 0 changed, 0 unchanged." in content


@override_settings(TASKS=QUEUED)
def test_confirmation_is_a_task_the_focal_point_can_leave_and_come_back_to(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    upload_record = EntryUpload.objects.get()
    tasks.upload_read.call(upload_record.pk, "en")

    confirmed = client.post(response.url, {"confirm": "1"})
    assert confirmed.url == response.url
    content = client.get(response.url).content.decode()
    assert "Saving the entries" in content and 'http-equiv="refresh"' in content
    assert client.post(response.url, {"confirm": "1"}).status_code == 302  # a second click
    assert JvapEntry.objects.count() == 0

    tasks.upload_confirm.call(upload_record.pk, focal_point.pk, "en")
    content = client.get(response.url).content.decode()
    assert "This upload was confirmed: 3 new, 0 updated, 0 unchanged." in content
    assert JvapEntry.objects.count() == 3


def test_with_tasks_run_at_once_the_confirmation_ends_on_the_entries_page(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    confirmed = client.post(response.url, {"confirm": "1"})
    assert confirmed.url == reverse("jvap:upload_entries")
    assert JvapEntry.objects.count() == 3


@override_settings(TASKS=QUEUED)
def test_a_file_that_breaks_the_reader_is_refused_and_the_page_stops_waiting(
    client, focal_point, senegal, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("reader bug")

    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    monkeypatch.setattr(services, "upload_preview", broken)
    with pytest.raises(RuntimeError):
        tasks.upload_read.call(EntryUpload.objects.get().pk, "en")
    assert EntryUpload.objects.get().state == EntryUpload.State.REFUSED
    content = client.get(response.url).content.decode()
    assert "The file could not be read." in content and 'http-equiv="refresh"' not in content


def test_a_french_page_shows_the_file_read_in_french(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([row(Countries="Atlantis")]), senegal)
    assert "not a country the portal recognises" in client.get(response.url).content.decode()
    assert "n&#x27;est pas un pays" in client.get("/fr" + response.url).content.decode()


@override_settings(TASKS=QUEUED)
def test_while_the_file_is_read_the_page_shows_rows_read_of_the_total(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    pk = EntryUpload.objects.get().pk
    tasks.progress_reporter(pk, "read")(1500, 10000)
    content = client.get(response.url).content.decode()
    assert '<progress max="10000" value="1500">' in content
    assert "1500 of 10000 rows read." in content
    assert '<meta http-equiv="refresh"' in content  # it refreshes without JavaScript


def test_the_reading_task_reports_its_progress_as_it_goes(
    client, focal_point, senegal, monkeypatch
):
    seen = []
    real = tasks.progress_reporter

    def watched(upload_id, step):
        report = real(upload_id, step)

        def both(done, total):
            report(done, total)
            seen.append((step, tasks.upload_progress(upload_id)["done"], total))

        return both

    monkeypatch.setattr(tasks, "progress_reporter", watched)
    client.force_login(focal_point)
    data = csv_bytes([row(Reference=str(n)) for n in range(1, 1201)])
    response = upload(client, data, senegal)
    assert seen[0] == ("read", 0, 1200) and ("read", 500, 1200) in seen
    assert seen[-1] == ("read", 1200, 1200)
    assert tasks.upload_progress(EntryUpload.objects.get().pk) is None  # the result is kept
    assert "1200 new, 0 changed, 0 unchanged." in client.get(response.url).content.decode()


@override_settings(TASKS=QUEUED)
def test_the_confirmation_shows_entries_saved_of_the_total(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    upload_record = EntryUpload.objects.get()
    tasks.upload_read.call(upload_record.pk, "en")
    client.post(response.url, {"confirm": "1"})
    tasks.progress_reporter(upload_record.pk, "check")(200, 3000)
    assert (
        "Checking the file again: 200 of 3000 rows read."
        in client.get(response.url).content.decode()
    )
    tasks.progress_reporter(upload_record.pk, "save")(1000, 3000)
    content = client.get(response.url).content.decode()
    assert "Saving the entries" in content and "1000 of 3000 entries saved." in content


def test_the_confirmation_reads_the_file_before_its_transaction_and_saves_inside_it(
    client, focal_point, senegal, monkeypatch
):
    """No lock is held while a file is parsed (on SQLite a transaction holds the database's
    write lock from its start): the checking step runs outside any transaction the
    confirmation opens, the saving step inside one."""
    from django.db import connection

    outside = len(connection.atomic_blocks)  # the test's own transaction
    depths = {}
    real = tasks.progress_reporter

    def watched(upload_id, step):
        def report(done, total):
            depths.setdefault(step, set()).add(len(connection.atomic_blocks) - outside)
            real(upload_id, step)(done, total)

        return report

    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    monkeypatch.setattr(tasks, "progress_reporter", watched)
    client.post(response.url, {"confirm": "1"})
    assert JvapEntry.objects.count() == 3
    assert depths["check"] == {0}
    assert depths["save"] == {1}


def test_a_reading_past_the_time_limit_is_refused_with_the_limit_named(
    client, focal_point, senegal, settings, monkeypatch
):
    class FakeClock:
        now = 0.0

        def monotonic(self):
            self.now += 1
            return self.now

    settings.JVAP_UPLOAD_MAX_SECONDS = 5
    monkeypatch.setattr("core.spreadsheet.time", FakeClock())
    client.force_login(focal_point)
    response = upload(client, csv_bytes([row(Reference=str(n)) for n in range(20)]), senegal)
    content = client.get(response.url).content.decode()
    assert "Reading the file took longer than 5 seconds" in content
    assert EntryUpload.objects.get().state == EntryUpload.State.REFUSED


def test_the_error_list_is_kept_by_the_reading_and_downloaded_without_reading_again(
    client, focal_point, senegal, monkeypatch
):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(focal_point)
    response = upload(client, csv_bytes([row(Countries="Atlantis")]), senegal)
    stored = EntryUpload.objects.get()

    def no_reading(**kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(services, "upload_preview", no_reading)
    for _ in range(2):
        download = client.get(reverse("jvap:upload_errors", kwargs={"pk": stored.pk}))
        rows = list(load_workbook(BytesIO(download.getvalue())).active.iter_rows(values_only=True))
        assert rows[1][:3] == (2, "Countries", "Atlantis")
    assert "is not a country" in client.get(response.url).content.decode()


@override_settings(TASKS=QUEUED)
def test_an_upload_refused_before_its_errors_were_kept_is_read_again_by_the_task(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, csv_bytes([row(Countries="Atlantis")]), senegal)
    stored = EntryUpload.objects.get()
    tasks.upload_read.call(stored.pk, "en")
    stored.file.storage.delete(tasks.errors_file_name(stored, "en"))  # as before the change

    errors_url = reverse("jvap:upload_errors", kwargs={"pk": stored.pk})
    assert client.get(errors_url).url == response.url
    stored.refresh_from_db()
    assert stored.state == EntryUpload.State.READING  # queued for the worker, not read here
    tasks.upload_read.call(stored.pk, "en")
    assert client.get(errors_url)["Content-Disposition"].startswith("attachment")


# --- A worker that dies in the middle of a task (issue 12) ------------------------------------


class WorkerKilled(BaseException):
    """What a killed worker process looks like from inside: the task stops where it stands
    (no `except Exception` catches it), and its transaction is rolled back."""


def worker_claims_its_task(upload_record):
    """The worker took the upload's task from the queue (the dummy backend keeps it queued)."""
    backend = tasks.upload_read.get_backend()
    backend.results[:] = [
        dataclasses.replace(result, status=TaskResultStatus.RUNNING)
        if result.id == upload_record.task_id
        else result
        for result in backend.results
    ]


def silent_for(upload_record, seconds):
    """The task working on the upload last beat `seconds` ago, then its worker died."""
    beat = timezone.now() - datetime.timedelta(seconds=seconds)
    EntryUpload.objects.filter(pk=upload_record.pk).update(worked_at=beat)
    progress = tasks.upload_progress(upload_record.pk)
    if progress:
        tasks.cache.set(tasks._progress_key(upload_record.pk), {**progress, "at": beat.timestamp()})


@override_settings(TASKS=QUEUED, JVAP_UPLOAD_MAX_SECONDS=60)
def test_a_reading_whose_worker_died_is_started_again_once_then_offered_again(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    reading = EntryUpload.objects.get()
    worker_claims_its_task(reading)
    tasks.progress_reporter(reading.pk, "read")(500, 3000)
    EntryUpload.objects.update(worked_at=timezone.now() - datetime.timedelta(seconds=120))
    # The database's heartbeat is old, but the progress report in the shared cache is fresh.
    assert "Reading the file" in client.get(response.url).content.decode()
    assert EntryUpload.objects.get().restarts == 0

    silent_for(reading, 61)  # longer than the parse time limit: the worker died
    content = client.get(response.url).content.decode()
    restarted = EntryUpload.objects.get()
    assert restarted.state == EntryUpload.State.READING and restarted.restarts == 1
    assert restarted.task_id != reading.task_id
    assert len(tasks.upload_read.get_backend().results) == 2  # queued once more
    assert "the work has started again" in content and 'http-equiv="refresh"' in content

    worker_claims_its_task(restarted)
    silent_for(restarted, 61)  # died again
    content = client.get(response.url).content.decode()
    assert EntryUpload.objects.get().state == EntryUpload.State.INTERRUPTED
    assert len(tasks.upload_read.get_backend().results) == 2  # not queued a third time
    assert "Reading this file was interrupted" in content and 'name="retry"' in content
    assert 'http-equiv="refresh"' not in content

    assert client.post(response.url, {"retry": "1"}).url == response.url
    assert EntryUpload.objects.get().state == EntryUpload.State.READING
    tasks.upload_read.call(reading.pk, "en")
    assert "3 new, 0 changed, 0 unchanged." in client.get(response.url).content.decode()


@override_settings(TASKS=QUEUED, JVAP_UPLOAD_MAX_SECONDS=60)
def test_a_task_waiting_in_the_queue_behind_a_long_one_is_not_taken_for_interrupted(
    client, focal_point, senegal
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    silent_for(EntryUpload.objects.get(), 3600)
    assert "Reading the file" in client.get(response.url).content.decode()
    waiting = EntryUpload.objects.get()
    assert waiting.state == EntryUpload.State.READING and waiting.restarts == 0
    assert len(tasks.upload_read.get_backend().results) == 1


@override_settings(TASKS=QUEUED, JVAP_UPLOAD_MAX_SECONDS=60)
def test_a_confirmation_whose_worker_died_wrote_nothing_and_can_be_confirmed_again(
    client, focal_point, senegal, monkeypatch
):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    tasks.upload_read.call(EntryUpload.objects.get().pk, "en")
    client.post(response.url, {"confirm": "1"})
    confirming = EntryUpload.objects.get()

    def killed(self, unchanged):
        raise WorkerKilled

    # The worker dies after the new entries were written, before the transaction ends.
    with monkeypatch.context() as patched:
        patched.setattr(services._ConfirmationWriter, "carry_over", killed)
        worker_claims_its_task(confirming)
        with pytest.raises(WorkerKilled):
            tasks.upload_confirm.call(confirming.pk, focal_point.pk, "en")
    assert JvapEntry.objects.count() == 0  # nothing half-written
    assert EntryUpload.objects.get().confirm_queued  # and the page would wait for ever

    silent_for(confirming, 61)
    assert "Saving the entries" in client.get(response.url).content.decode()
    restarted = EntryUpload.objects.get()
    assert restarted.restarts == 1 and restarted.confirm_queued
    worker_claims_its_task(restarted)
    silent_for(restarted, 61)
    content = client.get(response.url).content.decode()
    interrupted = EntryUpload.objects.get()
    assert not interrupted.confirm_queued
    assert interrupted.state == EntryUpload.State.PREVIEWED
    assert "Saving this upload was interrupted" in content and 'role="alert"' in content
    assert 'name="confirm"' in content and 'http-equiv="refresh"' not in content

    client.post(response.url, {"confirm": "1"})
    tasks.upload_confirm.call(confirming.pk, focal_point.pk, "en")
    assert JvapEntry.objects.count() == 3
    assert EntryUpload.objects.get().state == EntryUpload.State.CONFIRMED


def test_a_french_page_says_the_reading_was_interrupted_in_french(client, focal_point, senegal):
    client.force_login(focal_point)
    response = upload(client, THREE_ENTRIES, senegal)
    EntryUpload.objects.update(state=EntryUpload.State.INTERRUPTED)
    content = client.get("/fr" + response.url).content.decode()
    assert "La lecture de ce fichier a été interrompue" in content
    assert "Relire le fichier" in content
