"""Meetings in the order a reader expects (issue 10): upcoming soonest first, then past
meetings latest first, on /meetings/ and on a dialogue's page."""

import datetime

import pytest

from tests.dialogues.factories import DialogueFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_meetings_list_upcoming_soonest_first_then_past_latest_first(db, client):
    today = datetime.date.today()
    dialogue = DialogueFactory(slug="rabat-process")
    dates = {
        "Far future": today + datetime.timedelta(days=300),
        "Near future": today + datetime.timedelta(days=10),
        "Last month": today - datetime.timedelta(days=30),
        "Last year": today - datetime.timedelta(days=365),
    }
    for title, start in dates.items():
        MeetingFactory(title=title, start_date=start, dialogues=[dialogue])

    listing = page(client, "/meetings/")
    order = sorted(dates, key=listing.index)
    assert order == ["Near future", "Far future", "Last month", "Last year"]
    newest = page(client, "/meetings/?sort=-date")
    assert sorted(dates, key=newest.index) == [
        "Far future",
        "Near future",
        "Last month",
        "Last year",
    ]

    detail = page(client, dialogue.get_absolute_url())
    upcoming = detail.index("Upcoming meetings")
    latest = detail.index("Latest meetings")
    assert upcoming < detail.index("Near future") < detail.index("Far future") < latest
    assert latest < detail.index("Last month") < detail.index("Last year")
