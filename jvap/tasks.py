"""Background tasks of the JVAP uploads: a file is read once, by a task, and what it would
change is kept on the upload for the preview page; the confirmation is a task too, so the
focal point can leave the page and come back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.spreadsheet import Progress, SheetError, summarise_errors

from . import services
from .models import EntryUpload

# The preview page lists at most this many errors, new and changed entries.
PREVIEW_LIMIT = 500


def _progress_key(upload_id: int) -> str:
    return f"jvap:upload-progress:{upload_id}"


def upload_progress(upload_id: int) -> dict[str, Any] | None:
    """How far the task working on the upload is: {"step": "read" | "check" | "save",
    "done": n, "total": n or None}, or None before it has started."""
    return cache.get(_progress_key(upload_id))


def progress_reporter(upload_id: int, step: str) -> Progress:
    """Keeps a task's progress in the cache every process shares (never in the database:
    the reading must hold no lock, and the page of any app server must see it)."""

    def report(done: int, total: int | None) -> None:
        cache.set(_progress_key(upload_id), {"step": step, "done": done, "total": total}, 3600)

    return report


def preview_summary(preview: services.UploadPreview) -> dict[str, Any]:
    """What the preview page shows, as plain data kept on the upload."""
    return {
        "ok": preview.ok,
        "errors": [str(error) for error in preview.errors[:PREVIEW_LIMIT]],
        "error_count": len(preview.errors),
        "error_kinds": [str(kind) for kind in summarise_errors(preview.errors)],
        "warnings": [str(warning) for warning in preview.warnings],
        "new": [
            {"row_number": row.row_number, "reference": row.reference, "title": row.title}
            for row in preview.new[:PREVIEW_LIMIT]
        ],
        "new_count": len(preview.new),
        "changed": [
            {
                "row": {"row_number": change.row.row_number, "reference": change.row.reference},
                "changes": {str(h): [str(a), str(b)] for h, (a, b) in change.changes.items()},
            }
            for change in preview.changed[:PREVIEW_LIMIT]
        ],
        "changed_count": len(preview.changed),
        "unchanged_count": len(preview.unchanged),
    }


@task()
def upload_read(upload_id: int, language: str) -> str:
    """Read the uploaded file and keep what it would change, in this language (the messages
    are written in the language of the reading: a page viewed in another language has the
    file read once more, for that language)."""
    upload = EntryUpload.objects.select_related("partner").get(pk=upload_id)
    with translation.override(language):
        try:
            preview = services.upload_preview(
                data=services.upload_read(upload),
                filename=upload.original_name,
                partner=upload.partner,
                progress=progress_reporter(upload_id, "read"),
            )
        except Exception:
            # Never leave the page waiting: the upload is refused, and the error is logged.
            preview = services.UploadPreview(errors=[SheetError(_("The file could not be read."))])
            _keep(upload_id, language, preview)
            raise
        return _keep(upload_id, language, preview)


def _keep(upload_id: int, language: str, preview: services.UploadPreview) -> str:
    """Keep the summary of a reading on the upload (one short write) and set its state."""
    summary = preview_summary(preview)
    state = EntryUpload.State.PREVIEWED if preview.ok else EntryUpload.State.REFUSED
    kept = EntryUpload.objects.filter(pk=upload_id).values_list("preview", flat=True).first()
    cache.delete(_progress_key(upload_id))
    # One short write at the end: no lock is held while the file is read.
    EntryUpload.objects.filter(pk=upload_id, state=EntryUpload.State.READING).update(
        preview={**(kept or {}), language: summary},
        state=state,
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
    EntryUpload.objects.filter(pk=upload_id).update(confirm_queued=False, confirm_error=error)
    cache.delete(_progress_key(upload_id))
    return outcome


@task()
def refresh_public_figures() -> list[str]:
    """Recompute the unfiltered dashboard and facet counts from the current data."""
    from .public_figures import refresh

    return refresh()
