"""Caching of anonymous public pages and aggregates, invalidated by any change to the data.

Every cached value's key carries a *data version*. Any save or delete of a portal model bumps
it (a signal for ordinary saves; services that write in bulk call `bump_data_version()`), so
the next request misses and recomputes: a validated JVAP entry is visible at once, without
tracking which page shows which row. With Redis configured, every app server shares the
version and so the invalidation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "mmd:data-version"
PORTAL_APPS = {"dialogues", "jvap", "grants"}


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _increment_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_data_version(**kwargs: Any) -> None:
    """Invalidate every cached page and aggregate (call after bulk writes).

    Bumped at once and again when the transaction commits: a page rendered by another request
    between the write and the commit (still showing the old data) is not served afterwards.
    """
    _increment_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_increment_version)


def on_portal_model_change(sender, **kwargs) -> None:
    """Signal receiver: bump the version when a model of the portal's apps changes."""
    if sender._meta.app_label in PORTAL_APPS or getattr(sender._meta, "auto_created", False):
        bump_data_version()


def cached_aggregate(name: str, compute: Callable[[], Any], *parts: Any) -> Any:
    """Compute an aggregate once per data version (dashboards, home-page figures)."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"mmd:agg:{data_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value


def page_cache_key(request) -> str:
    """Where an anonymous visitor's page is cached: its address, language and data version."""
    digest = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    return f"mmd:page:{data_version()}:{request.LANGUAGE_CODE}:{digest}"
