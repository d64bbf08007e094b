"""Serving uploaded files: with their type, never sniffed, documents always as downloads."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from core.uploads import file_download_response


@require_safe
def serve_media(request, path: str) -> FileResponse:
    """One file from MEDIA_ROOT.

    Images are shown in the page; every other file (PDF, Office, text) is sent with
    `Content-Disposition: attachment`, so a browser never renders an upload as a web page of
    ours. The type comes from the stored name, which the upload checks made trustworthy.
    """
    try:
        safe_join(settings.MEDIA_ROOT, path)  # refuses a path that climbs out of MEDIA_ROOT
    except ValueError as error:
        raise Http404 from error
    if not default_storage.exists(path):
        raise Http404
    try:
        response = file_download_response(default_storage.open(path))
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    response["Cache-Control"] = "public, max-age=3600"
    return response
