"""Uploads as tasks (issue 12): the file is read once by a task, the preview page shows the
progress and refreshes by itself, then the stored result; confirmation is a task the focal
point can leave and come back to."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

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
