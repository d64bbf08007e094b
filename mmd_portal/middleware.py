"""The public pages that anonymous visitors get from the shared cache (core.caching).

Any change to the data starts a new data version, so a validated JVAP entry shows at once.
Downloads stream and are never cached.
"""

from core import caching


class PublicPageCacheMiddleware(caching.PublicPageCacheMiddleware):
    """The portal's cacheable public pages: URL names (namespace:name) or namespaces (ns:*)."""

    cached_pages = frozenset(
        {
            "home",
            "countries",
            "country_detail",
            "search",
            "dialogues:*",
            "grants:*",
            "jvap:entry_list",
            "jvap:entry_detail",
            "jvap:dashboard",
            "opendata:*",
            "api:*",
        }
    )
