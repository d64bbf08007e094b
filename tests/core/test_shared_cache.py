"""One cache every process shares: a withdrawn entry leaves every server at once, and page
keys are built from the host, path, language and only the query parameters a page knows."""

import pytest

from tests.dialogues.factories import MeetingFactory
from tests.processes import fetch, free_port, start_gunicorn, stop, wait_until_serving


def _cache_files(settings) -> set:
    return set(settings.CACHE_DIR.glob("*.djcache"))


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_jvap_entry_leaves_two_server_processes_at_once(settings):
    from jvap.models import JvapEntry
    from tests.jvap.factories import JvapEntryFactory, domains_by_number

    entry = JvapEntryFactory(domain=domains_by_number()[3], title="Entry about to be withdrawn")
    servers = {port: start_gunicorn(port) for port in (free_port(), free_port())}
    try:
        for port, server in servers.items():
            wait_until_serving(server, f"http://127.0.0.1:{port}/health/")
        pages = [f"http://127.0.0.1:{port}/jvap/{entry.pk}/" for port in servers]
        for page in pages:
            assert fetch(page)[0] == 200
        assert all(fetch(page)[1].get("X-Cache") == "hit" for page in pages)

        # The secretariat returns the entry (the admin saves it; the review services write the
        # same state): it leaves the public pages.
        entry.review_state = JvapEntry.ReviewState.RETURNED
        entry.save(update_fields=["review_state"])

        assert [fetch(page)[0] for page in pages] == [404, 404]

        homes = [f"http://127.0.0.1:{port}/" for port in servers]
        for home in homes:
            fetch(home)
        entries_before = _cache_files(settings)
        for number in range(1, 501):
            status, headers, _body = fetch(f"{homes[number % 2]}?x={number}")
            assert status == 200 and headers.get("X-Cache") == "hit"
        assert _cache_files(settings) == entries_before
    finally:
        for server in servers.values():
            stop(server)


@pytest.mark.django_db
def test_the_order_of_query_parameters_makes_no_new_entry(client):
    MeetingFactory(title="Meeting in Senegal", country="SN")
    first = client.get("/meetings/?country=SN&sort=title")
    assert "X-Cache" not in first
    second = client.get("/meetings/?sort=title&country=SN")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


@pytest.mark.django_db
def test_parameters_a_page_does_not_know_make_no_new_entry(client, settings):
    client.get("/meetings/")
    entries = _cache_files(settings)
    for number in range(20):
        assert client.get(f"/meetings/?utm_source={number}")["X-Cache"] == "hit"
    assert _cache_files(settings) == entries


@pytest.mark.django_db
def test_parameters_a_page_knows_still_filter_it(client):
    MeetingFactory(title="Meeting in Senegal", country="SN")
    MeetingFactory(title="Meeting in Kenya", country="KE")
    client.get("/meetings/")
    page = client.get("/meetings/?country=KE").content.decode()
    assert "Meeting in Kenya" in page and "Meeting in Senegal" not in page
    assert "Senegal" in client.get("/search/?q=Senegal").content.decode()


@pytest.mark.django_db
def test_each_host_has_its_own_entry(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    client.get("/meetings/")
    assert "X-Cache" not in client.get("/meetings/", headers={"host": "other.example.org"})


def test_the_cache_is_bounded(settings, tmp_path):
    from django.core.cache import caches

    from core.caching import SharedFileCache

    cache = caches["default"]
    assert isinstance(cache, SharedFileCache)
    assert 0 < cache._max_entries == settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] <= 10_000
    small = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50}})
    for number in range(300):
        small.set(f"page-{number}", "x" * 1000)
    assert len(list(tmp_path.glob("*.djcache"))) <= 50 + SharedFileCache.cull_every
