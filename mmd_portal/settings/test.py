"""Settings for the test suite: the base settings with fast password hashing."""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Everything a test run writes goes to a folder of its own, so that the SQLite and the
# PostgreSQL runs of `make test` can go side by side (scripts/test_both_databases.py).
RUN_DIR = BASE_DIR / "test-artifacts" / f"run-{os.getpid()}"  # noqa: F405
RUN_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = RUN_DIR / "media"
JVAP_UPLOADS_ROOT = RUN_DIR / "private-media"

# A file rather than memory, so that a server started by a test (gunicorn, the live server)
# sees the same test database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIR / "test-db.sqlite3")}  # noqa: F405

# Tasks run at once, inside the test (one end-to-end test starts a real worker instead).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The shared file cache of this test process; a server that a test starts is pointed at it
# (DJANGO_CACHE_DIR) so that both see the same pages and data version.
if not REDIS_URL:  # noqa: F405
    CACHE_DIR = RUN_DIR / "cache"
    CACHES["default"]["LOCATION"] = str(CACHE_DIR)  # noqa: F405

# The full downloads are built by a task after each change only in the tests about them
# (tests/core/test_full_downloads.py); the others read the data as it is.
FULL_DOWNLOADS_PREBUILT = False
STORAGES["full_downloads"]["OPTIONS"]["location"] = str(RUN_DIR / "downloads")  # noqa: F405

# Likewise the precomputed figures (JVAP, home page, dialogues' meeting counts) only in the
# tests about them (tests/jvap/test_dashboard.py, tests/portal/test_home_figures.py and
# test_dialogue_meeting_counts.py).
PRECOMPUTED_FIGURES = False
