"""Big downloads off the request: full downloads built by a task, and a bound on heavy ones.

A listing's *full* download (no filter: every published row), and every other download of
`settings.FULL_DOWNLOAD_SETS` (the open-data files), is built by a background task after each
change of the data (`core.caching.data_changed`) and kept as a file per language and format in
the `full_downloads` storage, labelled with the data version it was built from.
A visitor gets the file while its version is the current one, with `ETag` and
`Last-Modified` (a re-download is a 304).

A visitor's prebuilt file is sent within the process's file slots
(`FILE_DOWNLOADS_PER_PROCESS`): a big file holds a server thread until it is all sent.
Other downloads are built in the request. Small ones (at most `SMALL_DOWNLOAD_ROWS` rows)
stream at once; a heavier one for an anonymous visitor needs one of the process's
`HEAVY_DOWNLOADS_PER_PROCESS` slots, and without a free slot the visitor gets a "busy, try
again" 503 with `Retry-After`, so that downloads never starve the other pages.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.core.files.temp import NamedTemporaryFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.module_loading import import_string

from .caching import data_version

logger = logging.getLogger(__name__)

PENDING_KEY = "mmd:full-downloads:pending"


def _storage():
    return storages["full_downloads"]


@dataclass(frozen=True)
class BuiltDownload:
    """A prebuilt full download: where it is and what it was built from."""

    path: str
    version: str
    built_at: float  # seconds since the epoch
    content_type: str
    filename: str

    @property
    def etag(self) -> str:
        return f'"{self.version}-{PurePosixPath(self.path).stem}"'


def _path(name: str, language: str, export_format: str) -> str:
    return f"{name}-{language}.{export_format}"


def current_download(name: str, language: str, export_format: str) -> BuiltDownload | None:
    """The prebuilt file of this download if it was built from the current data version."""
    storage = _storage()
    path = _path(name, language, export_format)
    try:
        with storage.open(f"{path}.json") as meta_file:
            meta = json.load(meta_file)
    except (OSError, ValueError):
        return None
    if meta.get("version") != data_version() or not storage.exists(path):
        return None
    return BuiltDownload(
        path=path,
        **{k: meta[k] for k in ("version", "built_at")},
        content_type=meta["content_type"],
        filename=meta["filename"],
    )


def serve_built(request, built: BuiltDownload):
    """The prebuilt file, or a 304 when the visitor already has this version. Sending a big
    file holds one of the server's threads until the visitor has it all, so an anonymous
    visitor's file goes out within the process's file slots (`FILE_DOWNLOADS_PER_PROCESS`),
    and beyond them the visitor is told to come back: the other threads keep serving pages."""
    not_modified = get_conditional_response(
        request, etag=built.etag, last_modified=int(built.built_at)
    )
    if not_modified is not None:
        return not_modified
    if request.user.is_authenticated:
        return _file_response(built)
    return _within(request, lambda: _file_response(built), _slots("FILE_DOWNLOADS_PER_PROCESS"))


def _file_response(built: BuiltDownload) -> FileResponse:
    response = FileResponse(
        _storage().open(built.path),
        content_type=built.content_type,
        as_attachment=True,
        filename=built.filename,
    )
    response["ETag"] = built.etag
    response["Last-Modified"] = formatdate(built.built_at, usegmt=True)
    response["X-Download"] = "prebuilt"
    return response


def schedule_full_downloads(**kwargs) -> None:
    """Enqueue one rebuild of the full downloads (a burst of changes enqueues one task)."""
    if not settings.FULL_DOWNLOADS_PREBUILT:
        return
    from .tasks import build_full_downloads, enqueue_once_per_burst

    enqueue_once_per_burst(PENDING_KEY, build_full_downloads)


@dataclass(frozen=True)
class FullDownload:
    """A download built by the task: its name (the file's stem), its formats, and how it is
    made in a format (a response, in the active language)."""

    name: str
    formats: Sequence[str]
    build: Callable[[str], HttpResponse]


def listing_download(view_path: str) -> FullDownload:
    """A listing's unfiltered download (a `ListingView` of `settings.FULL_DOWNLOADS`)."""
    view_class = import_string(view_path)

    def build(export_format: str) -> HttpResponse:
        request = HttpRequest()
        request.method = "GET"
        view = view_class()
        view.setup(request, export_format=export_format)
        return view.live_export(export_format)

    return FullDownload(view_class.export_filename, view_class.export_formats, build)


def full_downloads() -> list[FullDownload]:
    """Every download the task builds: the listings' (`settings.FULL_DOWNLOADS`), then those
    the functions of `settings.FULL_DOWNLOAD_SETS` give (the open-data files)."""
    return [
        *(listing_download(path) for path in settings.FULL_DOWNLOADS),
        *(download for path in settings.FULL_DOWNLOAD_SETS for download in import_string(path)()),
    ]


def build_all() -> list[str]:
    """Queue the build of every full download in every language and format, a task per file
    (`core.tasks`: a person's upload runs between two files); the files' names."""
    from .tasks import NOBODY_WAITING, build_full_download, prioritised

    cache.delete(PENDING_KEY)
    one_file = prioritised(build_full_download, NOBODY_WAITING)
    paths = []
    for download in full_downloads():
        for language, _label in settings.LANGUAGES:
            for export_format in download.formats:
                one_file.enqueue(download.name, language, export_format)
                paths.append(_path(download.name, language, export_format))
    return paths


def build_file(name: str, language: str, export_format: str) -> str:
    """Build one full download's file from the current data; its name in the storage."""
    download = next(download for download in full_downloads() if download.name == name)
    _build_one(download, language, export_format, data_version())
    return _path(name, language, export_format)


def _build_one(download: FullDownload, language: str, export_format: str, version: str) -> None:
    """Render the download into the storage, replacing the old file."""
    with translation.override(language):
        response = download.build(export_format)
        path = _path(download.name, language, export_format)
        storage = _storage()
        with NamedTemporaryFile() as temporary:
            for chunk in response if response.streaming else [response.content]:
                temporary.write(chunk)
            temporary.flush()
            temporary.seek(0)
            if storage.exists(path):
                storage.delete(path)
            storage.save(path, File(temporary))
        filename = response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
        meta = {
            "version": version,
            "built_at": timezone.now().timestamp(),
            "content_type": response["Content-Type"],
            "filename": filename,
        }
        if storage.exists(f"{path}.json"):
            storage.delete(f"{path}.json")
        storage.save(f"{path}.json", ContentFile(json.dumps(meta).encode()))


def prebuilt_response(request, name: str, export_format: str) -> HttpResponse | None:
    """The current prebuilt file of a full download in the active language, or None when
    there is none yet (a rebuild is then scheduled and the caller builds it live)."""
    if not settings.FULL_DOWNLOADS_PREBUILT:
        return None
    built = current_download(name, translation.get_language(), export_format)
    if built is not None:
        return serve_built(request, built)
    schedule_full_downloads()
    return None


def within_heavy_slots(request, build: Callable[[], HttpResponse]) -> HttpResponse:
    """A heavy download built now, if one of the process's slots is free (held until the
    response is closed); otherwise the "busy, try again" answer."""
    return _within(request, build, _slots("HEAVY_DOWNLOADS_PER_PROCESS"))


def _within(request, build: Callable[[], HttpResponse], slots) -> HttpResponse:
    if not slots.acquire(blocking=False):
        return busy_response(request)
    try:
        response = build()
    except BaseException:
        slots.release()
        raise
    # The slot is freed when the server closes the response: after the last byte of a
    # streamed download, or when the visitor goes away (Django's own hook for this).
    response._resource_closers.append(slots.release)
    return response


# --- Downloads a few at a time per process ------------------------------------------------------

# One set of slots per setting that sizes it: heavy downloads built in the request
# (`HEAVY_DOWNLOADS_PER_PROCESS`) and prebuilt files sent (`FILE_DOWNLOADS_PER_PROCESS`).
_slot_sets: dict[str, threading.BoundedSemaphore] = {}
_slot_sets_lock = threading.Lock()


def _slots(setting: str) -> threading.BoundedSemaphore:
    with _slot_sets_lock:
        if setting not in _slot_sets:
            _slot_sets[setting] = threading.BoundedSemaphore(getattr(settings, setting))
        return _slot_sets[setting]


def busy_response(request) -> HttpResponse:
    """The clear "busy, try again" answer to a heavy download beyond the process's slots."""
    seconds = settings.HEAVY_DOWNLOADS_RETRY_AFTER_SECONDS
    response = render(request, "core/busy.html", {"retry_after": seconds}, status=503)
    response["Retry-After"] = str(seconds)
    return response


class PrebuiltDownloadsMixin:
    """For a `ListingView` whose downloads can be big: the full download from its prebuilt
    file, small filtered ones streamed, heavy anonymous ones within the process's slots.
    Its full download is built when its path is in `settings.FULL_DOWNLOADS`."""

    def export(self, export_format: str):
        request = self.request
        if not request.GET:
            served = prebuilt_response(request, self.export_filename, export_format)
            if served is not None:
                return served
        if request.user.is_authenticated or self._is_small():
            return self.live_export(export_format)
        return within_heavy_slots(request, lambda: self.live_export(export_format))

    def live_export(self, export_format: str):
        """The download built from the database now (the listing's own export)."""
        return super().export(export_format)

    def _is_small(self) -> bool:
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return True
        return filterset.qs.order_by()[: settings.SMALL_DOWNLOAD_ROWS + 1].count() <= (
            settings.SMALL_DOWNLOAD_ROWS
        )
