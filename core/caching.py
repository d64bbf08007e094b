"""Caching of anonymous public pages and aggregates, invalidated by any change to the data.

Every cached value's key carries the *data version*: a random token kept in the shared cache
(the file-based cache every process of the machine reads, or Redis), so a change made by one
process invalidates the pages of all of them at once. Any save or delete of a model of the
apps the project names (`connect_data_version`) draws a new token; services that write in bulk
call `bump_data_version()`. A token rather than a counter: two processes bumping at the same
moment can never land on a version that was used before, without an atomic increment.

Page keys are built from the host, the path, the language and only the query parameters the
page's view knows (`page_query_parameters`), in a normal order: `?b=1&a=2` and `?a=2&b=1` share
one entry, and parameters the page ignores create no entry at all.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import QueryDict
from django.utils.http import urlencode

from core.derived import is_derived

VERSION_KEY = "mmd:data-version"

# Sent once the data has changed for good (after the commit): what is derived from the data
# and kept (the prebuilt full downloads) is rebuilt.
data_changed = Signal()


class SharedFileCache(FileBasedCache):
    """Django's file-based cache (one folder that every process of the machine reads), culled
    on one store in `cull_every` instead of on each.

    Django's version lists the whole folder on every store to count the entries: with 2,000
    entries a store (the data version's on each save too) took 60 ms instead of 10. A process
    now adds at most `cull_every` entries past MAX_ENTRIES before it culls, so the size stays
    bounded.
    """

    cull_every = 20

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._stores = 0

    def _cull(self):
        self._stores += 1
        if self._stores % self.cull_every == 0:
            super()._cull()


def data_version() -> str:
    """The current data version (a new one is drawn when the cache has lost it), followed by
    this connection's own uncommitted changes, if any (see `bump_data_version`)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "lost"
    return version + getattr(transaction.get_connection(), PENDING, "")


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_data_version(**kwargs: Any) -> None:
    """Invalidate every cached page and aggregate, in every process (call after bulk writes).

    Outside a transaction the shared version changes at once. Inside one, only this
    connection can see the change until the commit, so it gets a version of its own (its
    pages are fresh at once, and no other process is disturbed), and the shared version
    changes once, when the transaction commits: a page that another process rendered from the
    old data meanwhile is not served afterwards. One shared write per transaction rather than
    one per saved row (a file write and rename each: 1,464 of them for the reference data).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_version()
        data_changed.send(sender=None)
        return
    setattr(connection, PENDING, "+" + uuid.uuid4().hex[:12])
    setattr(connection, CHANGED, True)
    transaction.on_commit(_committed)


# This connection's own version while its changes are not committed; whether they are still
# to be announced. Each change registers `_committed` (Django drops the callbacks of a
# rolled-back savepoint, so one registration per transaction could be lost), and the first
# one to run after the commit does the work for them all.
PENDING, CHANGED = "mmd_uncommitted_data_version", "mmd_uncommitted_changes"


def uncommitted_changes() -> bool:
    """Whether this connection has changed the data in a transaction not yet committed (what
    it reads derived from the data, only it can bring up to date)."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and bool(getattr(connection, PENDING, ""))


def _committed() -> None:
    connection = transaction.get_connection()
    if not getattr(connection, CHANGED, False):
        return
    setattr(connection, CHANGED, False)
    setattr(connection, PENDING, "")
    _new_version()
    data_changed.send(sender=None)


def connect_data_version(app_labels: Iterable[str]) -> None:
    """Bump the data version whenever a model of these apps (or an m2m table) changes; not
    for derived data (`core.derived`), which a task rebuilds after a change: keeping it is not
    a change of the data, and would schedule that task again."""
    labels = frozenset(app_labels)

    def on_model_change(sender, **kwargs) -> None:
        if is_derived(sender):
            return
        if sender._meta.app_label in labels or getattr(sender._meta, "auto_created", False):
            bump_data_version()

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, weak=False, dispatch_uid=f"mmd_data_version_{id(signal)}")


def cached_aggregate(name: str, compute: Callable[[], Any], *parts: Any) -> Any:
    """Compute an aggregate once per data version (dashboards, home-page figures)."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"mmd:agg:{data_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value


# --- Page cache ---------------------------------------------------------------------------------


def query_parameters(*names: str):
    """Declare the query parameters a function view reads (the others are dropped and ignored
    by the page cache)."""

    def decorate(view):
        view.query_parameters = frozenset(names)
        return view

    return decorate


def _filter_parameter_names(filterset_class) -> set[str]:
    """The query parameters a FilterSet reads: its filters' names, with a multi-widget's
    suffixes (`year_min`, `year_max` of a range)."""
    names = set()
    for name, field in filterset_class().form.fields.items():
        names.add(name)
        for suffix in getattr(field.widget, "widgets_names", ()):
            names.add(f"{name}{suffix}")
    return names


def page_query_parameters(view_func) -> frozenset[str]:
    """The query parameters a view knows: its FilterSet's, its page number, and any it declares
    (`query_parameters` on the view class or function)."""
    cached = getattr(view_func, "_page_query_parameters", None)
    if cached is not None:
        return cached
    view_class = getattr(view_func, "view_class", None)
    names = set(getattr(view_func, "query_parameters", ()))
    if view_class is not None:
        names |= set(getattr(view_class, "query_parameters", ()))
        filterset_class = getattr(view_class, "filterset_class", None)
        if filterset_class is not None:
            names |= _filter_parameter_names(filterset_class)
        if getattr(view_class, "paginate_by", None):
            names.add(getattr(view_class, "page_kwarg", "page"))
    known = frozenset(names)
    view_func._page_query_parameters = known
    return known


def known_query(query: QueryDict, known: Iterable[str]) -> QueryDict:
    """The query without the parameters the view does not know (in the visitor's order)."""
    known = set(known)
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if name in known:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


def page_cache_key(request, query: QueryDict) -> str:
    """Where an anonymous visitor's page is cached: host, path, language, the query in a normal
    order (names, then values) and the data version."""
    normal = sorted((name, value) for name, values in query.lists() for value in values)
    address = f"{request.get_host()}{request.path}?{urlencode(normal)}"
    digest = hashlib.sha1(address.encode()).hexdigest()
    return f"mmd:page:{data_version()}:{request.LANGUAGE_CODE}:{digest}"


class PublicPageCacheMiddleware:
    """Serve and store anonymous GETs of the public pages (after authentication and locale).

    `cached_pages` holds URL names (namespace:name) or whole namespaces (namespace:*); the
    project's subclass names them. Only complete 200 answers that set no cookie are stored
    (pages with a form set the CSRF cookie), never streamed downloads. Before the view runs,
    the query is reduced to the parameters the view knows, so that what is stored under the
    normal key is exactly what the view renders for it.
    """

    cached_pages: frozenset[str] = frozenset()

    def __init__(self, get_response):
        self.get_response = get_response

    def is_cacheable_page(self, resolver_match) -> bool:
        if resolver_match is None:
            return False
        namespace = resolver_match.namespace
        return resolver_match.view_name in self.cached_pages or bool(
            namespace and f"{namespace}:*" in self.cached_pages
        )

    def _wanted(self, request) -> bool:
        return (
            settings.PUBLIC_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.user.is_authenticated
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._wanted(request) or not self.is_cacheable_page(request.resolver_match):
            return None
        request.GET = known_query(request.GET, page_query_parameters(view_func))
        request._public_cache_key = page_cache_key(request, request.GET)
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
