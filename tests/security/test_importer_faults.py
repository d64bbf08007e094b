"""Fault proofs of the JVAP importer: when the database fails in the middle of writing a valid
upload (the connection drops in the last batch), every table is exactly as it was, the file
kept for the upload is removed, and the person gets a clear message instead of a traceback.

The failure is injected with `connection.execute_wrapper`, which sees every statement and
every `executemany` batch the importer sends, so the batch that fails is chosen from the
statements a successful run really makes. The tests are transactional: the upload's
transaction is the outermost one, as in production, not a savepoint in the test's.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap import services
from jvap.models import EntryUpload, JvapEntry

from ..jvap.factories import CampaignFactory, ReportingPartnerFactory, give_access, make_domains
from ..jvap.sheets import GOOD, csv_bytes
from .importer_support import assert_same_tables, jvap_models, table_snapshot

pytestmark = pytest.mark.django_db(transaction=True)

SEEDED = [f"OLD-{n}" for n in range(25)]
# Small batches, so that a file of a few dozen rows is written in several of them.
BATCH = 10


def entries(references, title):
    return [{**GOOD, "Reference": r, "Title": f"{title} {r}"} for r in references]


# Updates every seeded entry and adds 25: several batches of every kind of write.
UPLOAD = csv_bytes(entries([*SEEDED, *(f"NEW-{n}" for n in range(25))], "Changed"))


@pytest.fixture
def partner(settings, tmp_path, monkeypatch):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    monkeypatch.setattr(services, "BATCH_SIZE", BATCH)
    make_domains()
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    services.upload_confirm(
        data=csv_bytes(entries(SEEDED, "Original")), filename="seed.csv", partner=senegal
    )
    return senegal


def is_write(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def writes_to(table: str | None, many: bool | None = None):
    """Which statements count: writes to the table (any table when None), optionally only
    executemany batches (many=True) or single statements (many=False)."""
    quoted = connection.ops.quote_name(table) if table else None

    def matches(sql: str, is_many: bool) -> bool:
        head = sql[:120]
        return (
            is_write(sql)
            and (quoted is None or f"{quoted} " in head or f"{quoted}(" in head)
            and (many is None or is_many == many)
        )

    return matches


class StatementLog:
    """Records the write statements (and executemany batches) a block sends."""

    def __init__(self):
        self.writes: list[tuple[str, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        if is_write(sql):
            self.writes.append((sql, many))
        return execute(sql, params, many, context)


class DropConnectionAt:
    """Lets statements through until the n-th (from 0) that matches, which fails as a lost
    connection would."""

    def __init__(self, matches, index: int):
        self.matches, self.index, self.seen = matches, index, -1

    def __call__(self, execute, sql, params, many, context):
        if self.matches(sql, many):
            self.seen += 1
            if self.seen == self.index:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


class Measured(Exception):
    pass


def writes_of_a_successful_upload(partner) -> list[tuple[str, bool]]:
    """The write statements the upload makes, from a run whose transaction is rolled back."""
    log = StatementLog()
    try:
        with transaction.atomic(), connection.execute_wrapper(log):
            services.upload_confirm(data=UPLOAD, filename="entries.csv", partner=partner)
            raise Measured
    except Measured:
        pass
    return log.writes


# Where the connection drops: the last statement of a kind that a successful upload makes.
FAULTS = {
    "the last batch of history": writes_to("jvap_entrychange"),
    "the last batch of new entries": writes_to("jvap_jvapentry", many=False),
    "the last batch of updated entries": writes_to("jvap_jvapentry", many=True),
    "the last batch of countries": writes_to("jvap_entrycountry"),
    "the very last write": writes_to(None),
}


def drop_at_the_last(matches, partner) -> DropConnectionAt:
    count = sum(1 for sql, many in writes_of_a_successful_upload(partner) if matches(sql, many))
    assert count, "a successful upload makes no such write"
    return DropConnectionAt(matches, count - 1)


def stored_files(settings) -> set:
    root = settings.JVAP_UPLOADS_ROOT
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize("fault", FAULTS)
def test_an_upload_failing_in_its_last_batch_leaves_the_database_as_it_was(
    partner, settings, fault
):
    history = writes_to("jvap_entrychange")
    assert sum(history(*w) for w in writes_of_a_successful_upload(partner)) > 1  # batches
    drop = drop_at_the_last(FAULTS[fault], partner)
    before, files_before = table_snapshot(), stored_files(settings)

    with connection.execute_wrapper(drop):
        with pytest.raises(services.UploadInterrupted) as interrupted:
            services.upload_confirm(data=UPLOAD, filename="entries.csv", partner=partner)

    assert "Nothing was written" in interrupted.value.message
    assert_same_tables(before, table_snapshot())
    assert stored_files(settings) == files_before  # the kept copy of the file is gone too
    # Nothing is stuck: the same upload goes through once the database is back.
    preview, _upload = services.upload_confirm(data=UPLOAD, filename="entries.csv", partner=partner)
    assert preview.summary == "25 new, 25 updated, 0 unchanged"


def test_the_focal_point_is_told_in_words_and_can_confirm_again(client, partner, django_user_model):
    user = django_user_model.objects.create_user("focal", password="focal-pass-123")
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, partner)
    client.force_login(user)
    client.post(
        reverse("jvap:upload"),
        {"partner": partner.pk, "file": SimpleUploadedFile("entries.csv", UPLOAD)},
    )
    upload = EntryUpload.objects.get(original_name="entries.csv")
    page = reverse("jvap:upload_preview", kwargs={"pk": upload.pk})
    drop = drop_at_the_last(writes_to("jvap_entrychange"), partner)
    # The upload itself records the failed attempt (its message); nothing else changes.
    data_models = [model for model in jvap_models() if model is not EntryUpload]
    before = table_snapshot(data_models)
    upload_before = EntryUpload.objects.values().get(pk=upload.pk)

    with connection.execute_wrapper(drop):
        response = client.post(page, {"confirm": "1"})

    assert (response.status_code, response.url) == (302, page)
    assert_same_tables(before, table_snapshot(data_models))
    upload_after = EntryUpload.objects.values().get(pk=upload.pk)
    changed = {field for field in upload_before if upload_before[field] != upload_after[field]}
    # ... and the heartbeat of the task that tried (issue 12: which task, and when it worked).
    assert changed <= {"confirm_error", "confirm_queued", "worked_at", "task_id", "restarts"}
    content = client.get(page).content.decode()
    assert "Nothing was written; please confirm the upload again" in content
    assert "Traceback" not in content and "OperationalError" not in content
    upload.refresh_from_db()
    assert upload.state == EntryUpload.State.PREVIEWED  # still waiting to be confirmed
    client.post(page, {"confirm": "1"})
    assert partner.entries.filter(title__startswith="Changed").count() == 50


def test_import_jvap_reports_the_failure_in_words_and_writes_nothing(partner, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(UPLOAD)
    drop = drop_at_the_last(writes_to("jvap_entrychange"), partner)
    before = table_snapshot()

    with connection.execute_wrapper(drop):
        with pytest.raises(CommandError) as error:
            call_command("import_jvap", str(path), "--partner", "SN")

    assert "Nothing was written" in str(error.value)
    assert_same_tables(before, table_snapshot())
    assert JvapEntry.objects.filter(title__startswith="Changed").count() == 0
