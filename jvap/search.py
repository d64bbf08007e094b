"""What the portal-wide search (in `mmd_portal`) asks of the JVAP app."""

from __future__ import annotations

from django.db.models import QuerySet

from .filters import search, search_words, sort_ordering
from .models import JvapEntry


def search_entries(text: str, limit: int = 20) -> QuerySet[JvapEntry]:
    """Published entries whose title, description or an organisation's name contains every
    word of the text, newest first, with what a result shows; none for empty text."""
    if not search_words(text):
        return JvapEntry.objects.none()
    entries = search(JvapEntry.objects.published(), text)
    return entries.for_listing().order_by(*sort_ordering("-start"))[:limit]
