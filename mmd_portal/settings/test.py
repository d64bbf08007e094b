"""Settings for the test suite: the base settings with fast password hashing."""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405

# A file rather than memory, so that a server started by a test (gunicorn, the live server)
# sees the same test database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
    # One file per test process, so that two runs side by side never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "test-artifacts" / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }

# Tasks run at once, inside the test (one end-to-end test starts a real worker instead).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The shared file cache of this test process; a server that a test starts is pointed at it
# (DJANGO_CACHE_DIR) so that both see the same pages and data version.
if not REDIS_URL:  # noqa: F405
    CACHE_DIR = BASE_DIR / "test-artifacts" / f"cache-{os.getpid()}"  # noqa: F405
    CACHES["default"]["LOCATION"] = str(CACHE_DIR)  # noqa: F405

# The full downloads are built by a task after each change only in the tests about them
# (tests/core/test_full_downloads.py); the others read the data as it is.
FULL_DOWNLOADS_PREBUILT = False
STORAGES["full_downloads"]["OPTIONS"]["location"] = str(  # noqa: F405
    BASE_DIR / "test-artifacts" / "downloads"  # noqa: F405
)
