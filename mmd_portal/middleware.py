"""Caching of the public pages for anonymous visitors (issue 6).

A page is served from the cache when an anonymous visitor asks for an address that was
rendered before under the same data version (`dialogues.caching`): any change to the data
starts a new version, so a validated JVAP entry shows at once. Only the public pages named in
`CACHED_PAGES` are cached, and only complete 200 answers that set no cookie (pages with a form
set the CSRF cookie and so are never cached); downloads stream and are never cached either.
"""

from django.conf import settings
from django.core.cache import cache

from dialogues.caching import page_cache_key

# URL names (namespace:name) or whole namespaces (namespace:*) of the cacheable public pages.
CACHED_PAGES = {
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


def is_cacheable_page(resolver_match) -> bool:
    if resolver_match is None:
        return False
    name = resolver_match.view_name
    namespace = resolver_match.namespace
    return name in CACHED_PAGES or (namespace and f"{namespace}:*" in CACHED_PAGES)


class PublicPageCacheMiddleware:
    """Serve and store anonymous GETs of the public pages (after authentication and locale)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _wanted(self, request) -> bool:
        return (
            settings.PUBLIC_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.user.is_authenticated
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._wanted(request) or not is_cacheable_page(request.resolver_match):
            return None
        request._public_cache_key = page_cache_key(request)
        cached = cache.get(request._public_cache_key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        return None

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_cache_key", None)
        if (
            key
            and response.get("X-Cache") != "hit"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.user.is_authenticated
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
        return response
