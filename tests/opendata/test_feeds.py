"""Atom feeds of new and changed meetings, documents and published JVAP entries, per dialogue
too, and an iCalendar feed per dialogue: what a feed reader and a calendar client see."""

import feedparser
import icalendar
import pytest

from jvap.models import JvapEntry
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


def _feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_meetings_feed_lists_every_meeting_latest_change_first(client, world):
    world.meetings["asmara"].save()  # the latest change

    parsed = _feed(client, "/feeds/meetings.atom")

    titles = [entry.title for entry in parsed.entries]
    assert titles[0] == "Senior officials' meeting"
    assert set(titles) == {m.title for m in world.meetings.values()}
    first = parsed.entries[0]
    assert first.link == "http://testserver/meetings/senior-officials-meeting-2022/"
    assert first.updated_parsed is not None
    assert "Addis Ababa" in first.summary


def test_a_dialogue_feed_has_only_its_meetings_and_documents(client, world):
    meetings = _feed(client, "/feeds/dialogues/khartoum-process/meetings.atom")
    documents = _feed(client, "/feeds/dialogues/khartoum-process/documents.atom")

    assert {e.title for e in meetings.entries} == {
        "Thematic meeting on return",
        "Senior officials' meeting",
    }
    assert [e.title for e in documents.entries] == ["Report on return"]
    assert meetings.feed.title == "Khartoum: new and changed meetings"


def test_feeds_speak_french_under_fr(client, world):
    parsed = _feed(client, "/fr/feeds/documents.atom")

    assert "Déclaration de Dakar" in {e.title for e in parsed.entries}
    assert parsed.entries[0].link.startswith("http://testserver/fr/documents/")


def test_jvap_feed_has_published_entries_only_and_per_process(client, world):
    domains = domains_by_number()
    JvapEntryFactory(domain=domains[1], title="Xqpublished rabat entry", dialogue="rabat")
    JvapEntryFactory(domain=domains[2], title="Xqpublished khartoum entry", dialogue="khartoum")
    JvapEntryFactory(domain=domains[2], title="Xqboth entry", dialogue="both")
    for state in (JvapEntry.ReviewState.SUBMITTED, JvapEntry.ReviewState.RETURNED):
        JvapEntryFactory(domain=domains[1], title=f"Xqhidden {state}", review_state=state)

    everything = _feed(client, "/feeds/jvap.atom")
    rabat = _feed(client, "/feeds/dialogues/rabat-process/jvap.atom")

    assert {e.title for e in everything.entries} == {
        "Xqpublished rabat entry",
        "Xqpublished khartoum entry",
        "Xqboth entry",
    }
    assert {e.title for e in rabat.entries} == {"Xqpublished rabat entry", "Xqboth entry"}


def test_feeds_of_unknown_dialogues_and_of_dialogues_without_jvap_entries_are_not_found(
    client, world
):
    from tests.dialogues.factories import DialogueFactory

    DialogueFactory(slug="budapest-process", short_name="Budapest")

    assert client.get("/feeds/dialogues/no-such-dialogue/meetings.atom").status_code == 404
    assert client.get("/feeds/dialogues/budapest-process/jvap.atom").status_code == 404
    assert client.get("/feeds/dialogues/budapest-process/meetings.atom").status_code == 200


def test_dialogue_calendar_has_its_meetings_with_their_address_in_the_description(client, world):
    response = client.get("/dialogues/khartoum-process/meetings.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {
        "Thematic meeting on return",
        "Senior officials' meeting",
    }
    assert str(calendar["X-WR-CALNAME"]) == "Khartoum meetings"
    for event in events:
        assert str(event["URL"]) in str(event["DESCRIPTION"])
    assert client.get("/dialogues/no-such-dialogue/meetings.ics").status_code == 404


def test_listings_and_dialogue_pages_link_to_their_feeds_with_a_note_on_subscribing(client, world):
    meetings = client.get("/meetings/").content.decode()
    documents = client.get("/documents/").content.decode()
    entries = client.get("/jvap/").content.decode()
    rabat = client.get("/dialogues/rabat-process/").content.decode()

    assert 'href="/feeds/meetings.atom"' in meetings
    assert 'href="/feeds/documents.atom"' in documents
    assert 'href="/feeds/jvap.atom"' in entries
    for path in (
        "/dialogues/rabat-process/meetings.ics",
        "/feeds/dialogues/rabat-process/meetings.atom",
        "/feeds/dialogues/rabat-process/documents.atom",
        "/feeds/dialogues/rabat-process/jvap.atom",
    ):
        assert f'href="{path}"' in rabat
    assert "How to subscribe" in meetings
    assert "How to subscribe" in rabat
