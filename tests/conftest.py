"""Shared test set-up: the database the suite runs on, and the users every test may need."""

import os

import pytest
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, settings

from dialogues.roles import FOCAL_POINT, SECRETARIAT

# The one set of hypothesis settings of the suite (loaded here, before any test module builds
# its own `@settings(...)` on top of it): derandomised, so every run and CI try the same
# examples; no deadline, as examples that write to the database vary in time on a loaded
# machine; no example database, so no run depends on what an earlier one found. A test that
# needs fewer examples says so with `@settings(max_examples=N)`.
settings.register_profile(
    "mmd",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("mmd")


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture(scope="session", autouse=True)
def _throwaway_postgres_is_really_used(django_db_setup, django_db_blocker):
    """`make test-postgres` must never fall back to SQLite silently."""
    if os.environ.get("MMD_THROWAWAY_POSTGRES"):
        from django.db import connection

        assert connection.vendor == "postgresql", "the PostgreSQL run is not using PostgreSQL"


@pytest.fixture(scope="session", autouse=True)
def _one_refresh_after_each_flush():
    """The database is emptied after each transactional test (Django's flush), and flush sends
    post_migrate once for each of a dozen apps: each send bumps the data version and grants
    the roles' permissions again, and the tests' immediate task backend rebuilt the JVAP read
    model and figures after every one of them (17 rebuilds, 1.7 s of a 2.4 s teardown). The
    flush is one burst of changes, as a server's task queue sees it: one rebuild after it."""
    from django.test import TransactionTestCase

    from tests.bursts import one_burst_of_changes

    flush_and_rebuild = TransactionTestCase._fixture_teardown

    def flush_then_rebuild_once(self):
        with one_burst_of_changes():
            flush_and_rebuild(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", flush_then_rebuild_once)
        yield


@pytest.fixture(scope="session", autouse=True)
def _shared_cache_of_this_run():
    """The file cache of this test process starts empty."""
    from django.core.cache import cache

    cache.clear()


def pytest_unconfigure(config):
    """This run's folder (media, cache, downloads, SQLite file) goes once the run is over."""
    import shutil

    from django.conf import settings

    run_dir = getattr(settings, "RUN_DIR", None) if settings.configured else None
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
def secretariat_user(django_user_model):
    user = django_user_model.objects.create_user(
        username="secretariat", password="secretariat-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def focal_point_group(db):
    return Group.objects.get(name=FOCAL_POINT)


# --- Headless browser (Playwright driving Debian's Chromium) -------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; never a downloaded browser build."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install -y chromium).",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls that the
    # tests make around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; `page.base_url` is the live test server's address."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def reference_data(db):
    """The real reference data, as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="module")
def reference_data_of_the_module(django_db_setup, django_db_blocker):
    """The reference data loaded once for a module whose tests all read it (2-3 s a load):
    it stays in an open transaction that the module's tests run inside (each in a savepoint
    of its own, rolled back after it) and that is rolled back after the module. A module
    uses it by making its `reference_data` fixture depend on it; every database test of that
    module then sees the reference data, so the module holds no test that must not."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            call_command("load_reference_data", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages of one test must never answer another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request to a /fr/ page leaves French active in the test's thread; code that runs
    outside a request (reverse(), model labels) must start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
