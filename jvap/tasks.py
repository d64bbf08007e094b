"""Background tasks of the JVAP uploads: a file is read once, by a task, and what it would
change is kept on the upload for the preview page; the confirmation is a task too, so the
focal point can leave the page and come back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.spreadsheet import Progress, SheetError, errors_workbook, summarise_errors

from . import services
from . import spreadsheet as sheet
from .exports import row_texts
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
    EntryUpload.objects.filter(pk=upload_id).update(confirm_queued=False, confirm_error=error)
    cache.delete(_progress_key(upload_id))
    return outcome


@task()
def refresh_public_figures() -> list[str]:
    """Recompute the unfiltered dashboard and facet counts from the current data."""
    from .public_figures import refresh

    return refresh()
