"""Background tasks of the JVAP uploads: a file is read once, by a task, and what it would
change is kept on the upload for the preview page; the confirmation is a task too, so the
focal point can leave the page and come back."""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskResultStatus

from core.spreadsheet import Progress, SheetError, errors_workbook, summarise_errors
from core.tasks import PERSON_WAITING, prioritised

from . import services
from . import spreadsheet as sheet
from .exports import row_texts
from .models import EntryUpload

logger = logging.getLogger(__name__)

# The preview page lists at most this many errors, new and changed entries.
PREVIEW_LIMIT = 500
# A working task writes its heartbeat to the upload at most this often (each progress report
# refreshes the shared cache's copy; the database's copy survives the cache's culling).
HEARTBEAT_SECONDS = 10
# An interrupted reading or saving is started again this often before the focal point is told.
RESTARTS = 1


def _progress_key(upload_id: int) -> str:
    return f"jvap:upload-progress:{upload_id}"


def upload_progress(upload_id: int) -> dict[str, Any] | None:
    """How far the task working on the upload is: {"step": "read" | "check" | "save",
    "done": n, "total": n or None}, or None before it has started."""
    return cache.get(_progress_key(upload_id))


def progress_reporter(upload_id: int, step: str) -> Progress:
    """Keeps a task's progress in the cache every process shares (the page of any app server
    must see it, and the saving step's transaction would hide a database write), with the
    time of the report: the task's heartbeat. Outside a transaction the heartbeat is also
    written to the upload, at most every HEARTBEAT_SECONDS (one short write, no lock held)."""
    last_beat = time.monotonic()

    def report(done: int, total: int | None) -> None:
        nonlocal last_beat
        progress = {"step": step, "done": done, "total": total, "at": time.time()}
        cache.set(_progress_key(upload_id), progress, 3600)
        if not connection.in_atomic_block and time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            _beat(upload_id)

    return report


def _beat(upload_id: int) -> None:
    EntryUpload.objects.filter(pk=upload_id).update(worked_at=timezone.now())


def _last_beat(upload: EntryUpload) -> datetime.datetime:
    """When the task working on the upload last showed it was alive."""
    beats = [upload.worked_at or upload.uploaded_at]
    progress = upload_progress(upload.pk) or {}
    if progress.get("at"):
        beats.append(datetime.datetime.fromtimestamp(progress["at"], tz=datetime.UTC))
    return max(beats)


def _task_status(upload: EntryUpload) -> tuple[TaskResultStatus | None, Any]:
    """The status of the upload's task and the task's result (None, None when the backend
    cannot tell, as with tasks run at once)."""
    if not upload.task_id:
        return None, None
    try:
        result = upload_read.get_backend().get_result(upload.task_id)
    except Exception:  # no such result, or a backend that keeps none
        return None, None
    return result.status, result


def upload_working(upload: EntryUpload) -> bool:
    """A task reads or saves the upload (or waits in the queue to)."""
    return upload.state == EntryUpload.State.READING or upload.confirm_queued


def upload_interrupted(upload: EntryUpload) -> bool:
    """The task working on the upload is gone: it ended without keeping its outcome, or it has
    been silent for longer than the parse time limit (its worker process died). A task still
    waiting in the queue (behind a long one) is not interrupted."""
    if not upload_working(upload):
        return False
    status, _result = _task_status(upload)
    if status == TaskResultStatus.READY:
        return False
    if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return True
    silent = timezone.now() - _last_beat(upload)
    return silent.total_seconds() > settings.JVAP_UPLOAD_MAX_SECONDS


def interrupted_message() -> str:
    return _(
        "Saving this upload was interrupted: the server stopped before it finished. Nothing "
        "was written; please confirm the upload again."
    )


def upload_recover(upload: EntryUpload, *, language: str) -> EntryUpload:
    """Recover an upload whose task was interrupted (see upload_interrupted): its task is
    started again once; interrupted again, a reading leaves the upload INTERRUPTED (the page
    offers to read it again) and a confirmation leaves it previewed with a message (the page
    offers to confirm again). A confirmation's writes are one transaction, which the database
    rolled back when the worker died: nothing was half-written. Returns the upload as it is
    now; when two pages see the same interruption, one of them recovers it."""
    if not upload_interrupted(upload):
        return upload
    _status, result = _task_status(upload)
    unchanged = EntryUpload.objects.filter(
        pk=upload.pk,
        state=upload.state,
        confirm_queued=upload.confirm_queued,
        task_id=upload.task_id,
        restarts=upload.restarts,
    )
    logger.warning("Upload %s: its task %s was interrupted", upload.pk, upload.task_id or "?")
    if upload.restarts < RESTARTS:
        if unchanged.update(restarts=F("restarts") + 1, worked_at=timezone.now()):
            if upload.confirm_queued:
                args = result.args if result else (upload.pk, None, language)
                _enqueued(upload.pk, _waited_for(upload_confirm).enqueue(*args))
            else:
                args = result.args if result else (upload.pk, language)
                _enqueued(upload.pk, _waited_for(upload_read).enqueue(*args))
    elif upload.confirm_queued:
        unchanged.update(confirm_queued=False, confirm_error=interrupted_message(), restarts=0)
    else:
        unchanged.update(state=EntryUpload.State.INTERRUPTED, restarts=0)
    cache.delete(_progress_key(upload.pk))
    upload.refresh_from_db()
    return upload


def _waited_for(upload_task):
    """An upload's task goes before the tasks nobody waits for (`core.tasks`)."""
    return prioritised(upload_task, PERSON_WAITING)


def _enqueued(upload_id: int, result) -> None:
    """Keep which task works on the upload (tasks run at once have finished already)."""
    EntryUpload.objects.filter(pk=upload_id).update(task_id=str(result.id)[:64])


def reading_start(upload: EntryUpload, language: str, *, from_states=None) -> bool:
    """Queue the reading of the upload in this language, if it is still in one of
    `from_states` (any state when None): only the first of two requests queues it."""
    uploads = EntryUpload.objects.filter(pk=upload.pk)
    if from_states is not None:
        uploads = uploads.filter(state__in=from_states)
    if not uploads.update(state=EntryUpload.State.READING, worked_at=timezone.now(), restarts=0):
        return False
    _enqueued(upload.pk, _waited_for(upload_read).enqueue(upload.pk, language))
    return True


def confirming_start(upload: EntryUpload, user_id: int | None, language: str):
    """Queue the confirmation of a previewed upload: only the first of two clicks (or two app
    servers) queues it. Returns the task's result, or None when it was queued already."""
    queued = EntryUpload.objects.filter(
        pk=upload.pk, state=EntryUpload.State.PREVIEWED, confirm_queued=False
    ).update(confirm_queued=True, confirm_error="", worked_at=timezone.now(), restarts=0)
    if not queued:
        return None
    result = _waited_for(upload_confirm).enqueue(upload.pk, user_id, language)
    _enqueued(upload.pk, result)
    return result


def value_as_read(row: sheet.EntryRow) -> dict[str, str]:
    """Each column of a row as the portal read it, in the reader's language: amounts grouped
    ("1,250,000 EUR"), dates in words ("31 December 2019" for an end date of "2019"), lists
    of names; an empty cell reads as nothing."""
    texts = row_texts(row)
    if row.budget_eur is not None:
        places = 0 if row.budget_eur == row.budget_eur.to_integral_value() else 2
        amount = formats.number_format(row.budget_eur, places, use_l10n=True, force_grouping=True)
        texts[sheet.BUDGET] = _("%(amount)s EUR") % {"amount": amount}
    for header, value in ((sheet.START_DATE, row.start_date), (sheet.END_DATE, row.end_date)):
        if value:
            texts[header] = formats.date_format(value, "j F Y")
    return texts


def row_values(row: sheet.EntryRow, cells: dict[int, dict[str, str]]) -> list[list[str]]:
    """[column, the cell in the file, how it was read] for every column of the template."""
    in_file = cells.get(row.row_number, {})
    read = value_as_read(row)
    return [[header, in_file.get(header, ""), read[header]] for header in sheet.HEADERS]


def preview_summary(
    preview: services.UploadPreview,
    *,
    cells: dict[int, dict[str, str]] | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """What the preview page shows, as plain data kept on the upload: for each new and changed
    row every value as read (with the cell it came from), the published entries the upload
    would take off the public site, and whether confirming would change anything at all in the
    campaign of `year`."""
    cells = cells or {}
    takedowns = [change for change in preview.changed if change.entry.is_published]
    carried = sum(
        1 for _row, entry in preview.unchanged if year is not None and entry.campaign_year < year
    )
    return {
        "ok": preview.ok,
        "errors": [str(error) for error in preview.errors[:PREVIEW_LIMIT]],
        "error_count": len(preview.errors),
        "error_kinds": [str(kind) for kind in summarise_errors(preview.errors)],
        "warnings": [str(warning) for warning in preview.warnings],
        "new": [
            {
                "row_number": row.row_number,
                "reference": row.reference,
                "title": row.title,
                "values": row_values(row, cells),
            }
            for row in preview.new[:PREVIEW_LIMIT]
        ],
        "new_count": len(preview.new),
        "changed": [
            {
                "row": {
                    "row_number": change.row.row_number,
                    "reference": change.row.reference,
                    "title": change.row.title,
                },
                "changes": {str(h): [str(a), str(b)] for h, (a, b) in change.changes.items()},
                "values": row_values(change.row, cells),
                "published": change.entry.is_published,
            }
            for change in preview.changed[:PREVIEW_LIMIT]
        ],
        "changed_count": len(preview.changed),
        "takedowns": [
            {"reference": change.row.reference, "title": change.row.title, "pk": change.entry.pk}
            for change in takedowns[:PREVIEW_LIMIT]
        ],
        "takedown_count": len(takedowns),
        "unchanged_count": len(preview.unchanged),
        "carried_count": carried,
        "changes_anything": bool(preview.new or preview.changed or carried),
    }


def shown_rows(preview: services.UploadPreview) -> set[int]:
    """The rows whose values the preview page shows."""
    return {row.row_number for row in preview.new[:PREVIEW_LIMIT]} | {
        change.row.row_number for change in preview.changed[:PREVIEW_LIMIT]
    }


@task()
def upload_read(upload_id: int, language: str) -> str:
    """Read the uploaded file and keep what it would change, in this language (the messages
    are written in the language of the reading: a page viewed in another language has the
    file read once more, for that language)."""
    _beat(upload_id)
    upload = EntryUpload.objects.select_related("partner", "campaign").get(pk=upload_id)
    with translation.override(language):
        try:
            data = services.upload_read(upload)
            preview = services.upload_preview(
                data=data,
                filename=upload.original_name,
                partner=upload.partner,
                progress=progress_reporter(upload_id, "read"),
            )
            _beat(upload_id)  # the file is read; its cells are looked up next
            summary = preview_summary(
                preview,
                cells=services.upload_cells(
                    data=data, filename=upload.original_name, rows=shown_rows(preview)
                ),
                year=upload.campaign.year if upload.campaign else None,
            )
        except Exception:
            # Never leave the page waiting: the upload is refused, and the error is logged.
            preview = services.UploadPreview(errors=[SheetError(_("The file could not be read."))])
            _keep_errors(upload, language, preview.errors)
            _keep(upload_id, language, preview_summary(preview))
            raise
        _keep_errors(upload, language, preview.errors)
        return _keep(upload_id, language, summary)


def errors_file_name(upload: EntryUpload, language: str) -> str:
    """Where a reading in this language keeps the upload's full list of errors (beside the
    file, in the uploads' private storage)."""
    return f"{upload.file.name}.errors-{language}.xlsx"


def _keep_errors(upload: EntryUpload, language: str, errors: list[SheetError]) -> None:
    """Keep every error as the spreadsheet the preview page offers, so that downloading it
    never reads the file again in the request."""
    storage, name = upload.file.storage, errors_file_name(upload, language)
    storage.delete(name)
    if errors:
        storage.save(name, ContentFile(errors_workbook(errors)))


def _keep(upload_id: int, language: str, summary: dict[str, Any]) -> str:
    """Keep the summary of a reading on the upload (one short write) and set its state."""
    state = EntryUpload.State.PREVIEWED if summary["ok"] else EntryUpload.State.REFUSED
    kept = EntryUpload.objects.filter(pk=upload_id).values_list("preview", flat=True).first()
    cache.delete(_progress_key(upload_id))
    # One short write at the end: no lock is held while the file is read.
    EntryUpload.objects.filter(pk=upload_id, state=EntryUpload.State.READING).update(
        preview={**(kept or {}), language: summary},
        state=state,
        restarts=0,
        new_count=summary["new_count"],
        updated_count=summary["changed_count"],
        unchanged_count=summary["unchanged_count"],
        error_count=summary["error_count"],
    )
    return state


@task()
def upload_confirm(upload_id: int, user_id: int | None, language: str) -> dict[str, Any]:
    """Write the upload's entries (services.upload_confirm); a refusal or an interruption is
    kept on the upload for the preview page."""
    _beat(upload_id)
    upload = EntryUpload.objects.select_related("partner", "campaign").get(pk=upload_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    error = ""
    outcome: dict[str, Any] = {"confirmed": False}
    with translation.override(language):
        try:
            preview, upload = services.upload_confirm(
                data=services.upload_read(upload),
                filename=upload.original_name,
                partner=upload.partner,
                user=user,
                campaign=upload.campaign,
                upload=upload,
                progress=progress_reporter(upload_id, "check"),
                saving=progress_reporter(upload_id, "save"),
            )
        except services.UploadRefused as refused:
            _keep_errors(upload, language, refused.preview.errors)
            EntryUpload.objects.filter(pk=upload_id).update(
                preview={language: preview_summary(refused.preview)},
                state=EntryUpload.State.REFUSED,
            )
        except services.UploadAlreadyHandled:
            pass
        except services.UploadInterrupted as interrupted:
            error = str(interrupted.message)
        else:
            outcome = {
                "confirmed": True,
                "new": len(preview.new),
                "updated": len(preview.changed),
                "unchanged": len(preview.unchanged),
            }
    EntryUpload.objects.filter(pk=upload_id).update(
        confirm_queued=False, confirm_error=error, restarts=0
    )
    cache.delete(_progress_key(upload_id))
    return outcome


@task()
def refresh_public_figures() -> list[str]:
    """Recompute the unfiltered dashboard and facet counts from the current data."""
    from .public_figures import refresh

    return refresh()
