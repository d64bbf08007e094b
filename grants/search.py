"""What the portal-wide search (in `mmd_portal`) asks of the grants app."""

from django.db.models import QuerySet

from .models import Grant


def search_grants(text: str, *, limit: int = 20) -> QuerySet[Grant]:
    """Published grants whose reference, title, summary or consortium organisation matches the
    text, with what a result row shows, newest first; none for empty text."""
    text = (text or "").strip()
    if not text:
        return Grant.objects.none()
    return Grant.objects.published().search(text).for_listing().order_by("-start", "title")[:limit]
