"""E-mail notifications (issue 15): partners hear when entries are validated or returned, the
secretariat when uploads are confirmed; each person can turn them off."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from dialogues.roles import SECRETARIAT
from jvap import notifications, services
from jvap.models import EntryChange, EntryUpload, JvapEntry, NotificationSettings, PartnerAccess

from .factories import (
    CampaignFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)
from .sheets import GOOD, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    make_domains()
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    mali = ReportingPartnerFactory(country="ML")
    focal = django_user_model.objects.create_user("focal", "focal@example.sn", "x" * 12)
    helper = django_user_model.objects.create_user("helper", "helper@example.sn", "x" * 12)
    malian = django_user_model.objects.create_user("malian", "focal@example.ml", "x" * 12)
    officer = django_user_model.objects.create_user(
        "officer", "officer@example.org", "x" * 12, is_staff=True
    )
    officer.groups.add(Group.objects.get(name=SECRETARIAT))
    give_access(focal, senegal)
    give_access(helper, senegal, PartnerAccess.Role.CONTRIBUTOR)
    give_access(malian, mali)
    return {"senegal": senegal, "mali": mali, "officer": officer, "focal": focal}


def submitted(partner, count=2):
    return [
        JvapEntryFactory(partner=partner, review_state=JvapEntry.ReviewState.SUBMITTED)
        for _ in range(count)
    ]


def test_validated_entries_are_announced_to_the_partners_focal_point_and_contributors(
    people, django_capture_on_commit_callbacks
):
    entries = submitted(people["senegal"])
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk__in=[e.pk for e in entries]),
            user=people["officer"],
            action=EntryChange.Action.PUBLISHED,
        )

    assert sorted(message.to[0] for message in mail.outbox) == [
        "focal@example.sn",
        "helper@example.sn",
    ]
    message = mail.outbox[0]
    assert "validated" in message.subject and entries[0].reference in message.body
    assert reverse("jvap:notifications") in message.body


def test_returned_entries_are_announced_with_the_comment(
    people, django_capture_on_commit_callbacks
):
    entries = submitted(people["senegal"], 1) + submitted(people["mali"], 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk__in=[e.pk for e in entries]),
            user=people["officer"],
            action=EntryChange.Action.RETURNED,
            comment="The budget of row 3 is in thousands; give it in euros.",
        )

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"focal@example.sn", "helper@example.sn", "focal@example.ml"}
    for message in by_address.values():
        assert "returned" in message.subject
        assert "The budget of row 3 is in thousands; give it in euros." in message.body
    assert entries[1].reference not in by_address["focal@example.sn"].body  # Mali's entry


def test_a_person_who_turned_them_off_gets_none(people, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=people["focal"], review_mails=False)
    entries = submitted(people["senegal"])
    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk__in=[e.pk for e in entries]),
            user=people["officer"],
            action=EntryChange.Action.PUBLISHED,
        )

    assert [message.to for message in mail.outbox] == [["helper@example.sn"]]


def test_the_secretariat_gets_one_digest_when_an_upload_is_confirmed(
    people, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        services.upload_confirm(
            data=csv_bytes([GOOD]), filename="senegal.csv", partner=people["senegal"]
        )

    (digest,) = mail.outbox
    assert digest.to == ["officer@example.org"]
    assert "senegal.csv" in digest.body and "1 new, 0 updated" in digest.body


def test_uploads_confirmed_before_the_digest_runs_go_out_in_one_mail(
    people, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    # The digest a confirmation asks for runs later: here, once both uploads are confirmed.
    with django_capture_on_commit_callbacks(execute=False):
        for partner, name in ((people["senegal"], "senegal.csv"), (people["mali"], "mali.csv")):
            services.upload_confirm(data=csv_bytes([GOOD]), filename=name, partner=partner)

    sent = notifications.upload_digest_send()
    again = notifications.upload_digest_send()

    (digest,) = mail.outbox
    assert (sent, again) == (1, 0)
    assert digest.to == ["officer@example.org"]
    assert "2 uploads confirmed" in digest.subject
    assert "senegal.csv" in digest.body and "mali.csv" in digest.body
    assert not EntryUpload.objects.filter(announced_at__isnull=True).exists()


def test_a_digest_that_could_not_be_sent_leaves_its_uploads_for_the_next(
    people, django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        services.upload_confirm(
            data=csv_bytes([GOOD]), filename="sn.csv", partner=people["senegal"]
        )

    def mail_server_down(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patched:
        patched.setattr(locmem.EmailBackend, "send_messages", mail_server_down)
        with pytest.raises(ConnectionRefusedError):
            notifications.upload_digest_send()
    assert mail.outbox == []

    assert notifications.upload_digest_send() == 1
    assert "sn.csv" in mail.outbox[0].body


def test_uploads_that_submit_nothing_or_publish_are_not_announced(
    people, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        services.upload_confirm(
            data=csv_bytes([GOOD]), filename="past.csv", partner=people["mali"], publish=True
        )
        services.upload_confirm(data=csv_bytes([GOOD]), filename="a.csv", partner=people["senegal"])
        services.upload_confirm(data=csv_bytes([GOOD]), filename="b.csv", partner=people["senegal"])

    notifications.upload_digest_send()

    (digest,) = mail.outbox
    assert "a.csv" in digest.body
    assert "b.csv" not in digest.body and "past.csv" not in digest.body


def test_a_confirmation_asks_for_the_digest_after_the_delay(
    people, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    settings.JVAP_DIGEST_DELAY_MINUTES = 30
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.upload_confirm(
            data=csv_bytes([GOOD]), filename="sn.csv", partner=people["senegal"]
        )

    (queued,) = [
        result
        for result in default_task_backend.results
        if result.task.func is notifications.send_upload_digest.func
    ]
    assert queued.task.run_after - before >= datetime.timedelta(minutes=30)
    assert mail.outbox == []


def test_no_mail_announces_a_change_that_was_rolled_back(people):
    entries = submitted(people["senegal"])

    # Without the commit (the test's transaction is never committed), nothing is sent.
    services.entries_review(
        entries=JvapEntry.objects.filter(pk__in=[e.pk for e in entries]),
        user=people["officer"],
        action=EntryChange.Action.PUBLISHED,
    )

    assert mail.outbox == []


def test_each_person_turns_the_mails_off_on_their_page(client, people):
    client.force_login(people["focal"])

    page = client.get(reverse("jvap:notifications"))
    saved = client.post(reverse("jvap:notifications"), {"upload_digests": "on"})

    assert page.status_code == 200
    assert saved.status_code == 302
    choice = NotificationSettings.objects.get(user=people["focal"])
    assert (choice.review_mails, choice.upload_digests) == (False, True)
