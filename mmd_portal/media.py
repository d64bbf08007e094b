"""Serving uploaded files: with their type, never sniffed, documents always as downloads."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from dialogues.uploads import content_type_for


@require_safe
def serve_media(request, path: str) -> FileResponse:
    """One file from MEDIA_ROOT.

    Images are shown in the page; every other file (PDF, Office, text) is sent with
    `Content-Disposition: attachment`, so a browser never renders an upload as a web page of
    ours. The type comes from the stored name, which the upload checks made trustworthy.
    """
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except ValueError as error:  # a path that climbs out of MEDIA_ROOT
        raise Http404 from error
    if not full_path.is_file():
        raise Http404
    content_type, inline = content_type_for(full_path.name)
    response = FileResponse(
        full_path.open("rb"),
        as_attachment=not inline,
        filename=full_path.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a file were rendered, it could run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response
