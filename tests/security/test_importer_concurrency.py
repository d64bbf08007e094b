"""Concurrency proofs of the JVAP importer: two uploads for the same partner at once, and an
upload while the secretariat validates, each in its own thread with its own database
connection. Every row ends accounted for, no reference is duplicated, and neither side crashes:
the second writer waits for the first (a lock on the partner row on PostgreSQL, SQLite's single
writer with IMMEDIATE transactions) and then works on what the first one committed.

To make the race real rather than lucky, each upload pauses after it has read the partner's
entries; without the lock the other side would run in that gap.
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections

from jvap import services
from jvap.models import EntryChange, EntryUpload, JvapEntry

from ..jvap.factories import ReportingPartnerFactory, make_domains
from ..jvap.sheets import GOOD, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SHARED = [f"S-{n}" for n in range(60)]
PAUSE = 0.3  # seconds an upload waits between reading and writing


@pytest.fixture
def partner(settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    make_domains()
    return ReportingPartnerFactory(country="SN")


@pytest.fixture
def slow_previews(monkeypatch):
    """Each upload pauses once it has compared the file with the stored entries."""
    real_preview = services.upload_preview

    def preview_then_pause(**kwargs):
        preview = real_preview(**kwargs)
        time.sleep(PAUSE)
        return preview

    monkeypatch.setattr(services, "upload_preview", preview_then_pause)


@pytest.fixture
def slow_reviews(monkeypatch):
    """The secretariat's validation pauses once it has read the entries it validates."""
    real_changes = services._review_changes

    def changes_then_pause(*args, **kwargs):
        changes = real_changes(*args, **kwargs)
        time.sleep(PAUSE)
        return changes

    monkeypatch.setattr(services, "_review_changes", changes_then_pause)


def after_a_moment(job):
    """The job, started a little after the others so that they are already under way."""

    def later():
        time.sleep(PAUSE / 3)
        return job()

    return later


def entries_file(references, title):
    return csv_bytes([{**GOOD, "Reference": r, "Title": f"{title} {r}"} for r in references])


def run_at_once(*jobs, timeout=120):
    """Run the jobs in threads started together; each returns ("ok", result) or
    ("error", exception). Each thread closes its own database connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            outcomes[index] = ("ok", job())
        except Exception as error:  # the test reports it below
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a writer never finished (deadlock?)"
    return outcomes


def assert_no_crash(outcomes):
    for kind, value in outcomes:
        assert kind == "ok", f"{type(value).__name__}: {value}"


def assert_unique_references(partner):
    references = list(partner.entries.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    return set(references)


def test_two_uploads_for_one_partner_at_once_end_with_every_row_once(partner, slow_previews):
    first = entries_file([*SHARED, "A-only"], "First")
    second = entries_file([*SHARED, "B-only"], "Second")

    outcomes = run_at_once(
        lambda: services.upload_confirm(data=first, filename="first.csv", partner=partner),
        lambda: services.upload_confirm(data=second, filename="second.csv", partner=partner),
    )

    assert_no_crash(outcomes)
    assert assert_unique_references(partner) == {*SHARED, "A-only", "B-only"}
    summaries = sorted(preview.summary for _kind, (preview, _upload) in outcomes)
    # One upload created the shared entries, the other waited and then updated them.
    assert summaries == ["1 new, 60 updated, 0 unchanged", "61 new, 0 updated, 0 unchanged"]
    later = next(u for _k, (p, u) in outcomes if p.changed)
    titles = set(partner.entries.filter(reference__in=SHARED).values_list("title", flat=True))
    word = "First" if later.original_name == "first.csv" else "Second"
    assert titles == {f"{word} {r}" for r in SHARED}  # the later upload wins, whole
    assert EntryUpload.objects.filter(state=EntryUpload.State.CONFIRMED).count() == 2
    assert EntryChange.objects.filter(action=EntryChange.Action.CREATED).count() == 62
    assert EntryChange.objects.filter(action=EntryChange.Action.UPDATED).count() == 60


def test_the_same_file_sent_twice_at_once_creates_each_entry_once(partner, slow_previews):
    data = entries_file(SHARED, "Same")

    outcomes = run_at_once(
        *[
            lambda: services.upload_confirm(data=data, filename="same.csv", partner=partner)
            for _ in range(2)
        ]
    )

    assert_no_crash(outcomes)
    assert assert_unique_references(partner) == set(SHARED)
    summaries = sorted(preview.summary for _kind, (preview, _upload) in outcomes)
    assert summaries == ["0 new, 0 updated, 60 unchanged", "60 new, 0 updated, 0 unchanged"]


@pytest.mark.parametrize("first", ["upload", "validation"])
def test_an_upload_while_the_secretariat_validates_leaves_every_entry_in_one_state(
    partner, slow_previews, slow_reviews, secretariat_user, first
):
    services.upload_confirm(data=entries_file(SHARED, "Old"), filename="old.csv", partner=partner)
    update = entries_file([*SHARED, "New-1", "New-2"], "New")

    def upload():
        return services.upload_confirm(data=update, filename="new.csv", partner=partner)

    def validate():
        return services.entries_review(
            entries=JvapEntry.objects.filter(partner=partner),
            user=secretariat_user,
            action=EntryChange.Action.PUBLISHED,
        )

    if first == "upload":
        outcomes = run_at_once(upload, after_a_moment(validate))
    else:
        outcomes = run_at_once(after_a_moment(upload), validate)

    assert_no_crash(outcomes)
    assert assert_unique_references(partner) == {*SHARED, "New-1", "New-2"}
    entries = list(partner.entries.all())
    assert {e.title for e in entries} == {f"New {e.reference}" for e in entries}
    states = {e.review_state for e in entries}
    published = outcomes[1][1]
    if published == len(SHARED):
        # The secretariat validated first; the upload then sent the changed entries back.
        assert states == {JvapEntry.ReviewState.SUBMITTED}
    else:
        # The upload went first; the secretariat then validated what it had written.
        assert published == len(SHARED) + 2
        assert states == {JvapEntry.ReviewState.PUBLISHED}
    assert published == (len(SHARED) if first == "validation" else len(SHARED) + 2)
    for entry in entries:
        last = entry.changes.order_by("-changed_at", "-pk").first()
        expected = "published" if entry.is_published else ("updated", "created")
        assert last.action in expected, entry.reference


def test_returning_entries_while_an_upload_runs_loses_neither(
    partner, slow_previews, slow_reviews, secretariat_user
):
    services.upload_confirm(data=entries_file(SHARED, "Old"), filename="old.csv", partner=partner)
    update = entries_file(SHARED[:30], "New")

    outcomes = run_at_once(
        lambda: services.upload_confirm(data=update, filename="new.csv", partner=partner),
        lambda: services.entries_review(
            entries=JvapEntry.objects.filter(partner=partner, reference__in=SHARED[30:]),
            user=secretariat_user,
            action=EntryChange.Action.RETURNED,
            comment="Budget missing",
        ),
    )

    assert_no_crash(outcomes)
    assert assert_unique_references(partner) == set(SHARED)
    returned = partner.entries.filter(review_state=JvapEntry.ReviewState.RETURNED)
    assert set(returned.values_list("reference", flat=True)) == set(SHARED[30:])
    assert set(returned.values_list("review_comment", flat=True)) == {"Budget missing"}
    assert set(
        partner.entries.filter(reference__in=SHARED[:30]).values_list("title", flat=True)
    ) == {f"New {r}" for r in SHARED[:30]}


def test_import_jvap_and_an_upload_for_one_partner_at_once_end_with_every_row_once(
    partner, slow_previews, tmp_path
):
    path = tmp_path / "migration.csv"
    path.write_bytes(entries_file([*SHARED, "Cmd-only"], "Command"))
    upload = entries_file([*SHARED, "Web-only"], "Web")

    outcomes = run_at_once(
        lambda: call_command("import_jvap", str(path), "--partner", "SN", stdout=io.StringIO()),
        lambda: services.upload_confirm(data=upload, filename="web.csv", partner=partner),
    )

    assert_no_crash(outcomes)
    assert assert_unique_references(partner) == {*SHARED, "Cmd-only", "Web-only"}
    titles = {
        t.split()[0]
        for t in partner.entries.filter(reference__in=SHARED).values_list("title", flat=True)
    }
    assert len(titles) == 1  # one of the two wrote every shared entry last, whole
