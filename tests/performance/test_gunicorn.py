"""The production server: gunicorn serves the WSGI app against the test database."""

import pytest

from tests.dialogues.factories import MeetingFactory
from tests.processes import fetch, free_port, start_gunicorn, stop, wait_until_serving


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_a_page_from_the_test_database():
    MeetingFactory(title="Meeting served through gunicorn", slug="served-through-gunicorn")
    port = free_port()
    server = start_gunicorn(port, workers=2)
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}/meetings/")
        status, _headers, body = fetch(f"http://127.0.0.1:{port}/meetings/")
        assert status == 200
        assert "Meeting served through gunicorn" in body.decode()
    finally:
        stop(server)
