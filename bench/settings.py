"""Benchmark settings: production settings plus a trivial view (the framework's floor)."""

from mmd_portal.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
