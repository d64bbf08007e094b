"""Downloads: the CSV of every listing holds exactly the filtered rows; the iCalendar feed of
the meetings validates; document files come with their content type."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from icalendar import Calendar

from tests.security.test_uploads import PDF as PDF_BYTES
from tests.security.test_uploads import office_zip as office_document

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_meetings_csv_holds_exactly_the_filtered_meetings(client, world):
    rows = csv_rows(client.get("/meetings/export.csv?dialogue=rabat-process&status=held"))
    assert sorted(row["Title"] for row in rows) == [
        "Dakar Ministerial Conference",
        "Thematic meeting on return",
    ]
    dakar = next(row for row in rows if row["Title"] == "Dakar Ministerial Conference")
    assert dakar["Start date"] == "2024-03-11"
    assert dakar["End date"] == "2024-03-12"
    assert dakar["Country"] == "Senegal"
    assert dakar["Dialogues"] == "Rabat"


def test_meetings_csv_without_parameters_holds_every_meeting(client, world):
    rows = csv_rows(client.get("/meetings/export.csv"))
    assert len(rows) == 4


def test_meetings_csv_with_an_unknown_filter_value_holds_no_rows(client, world):
    rows = csv_rows(client.get("/meetings/export.csv?type=garden-party"))
    assert rows == []


def test_the_listing_links_to_the_csv_of_its_filtered_rows(client, world):
    content = client.get("/meetings/?type=thematic-meeting&page=1").content.decode()
    assert 'href="/meetings/export.csv?type=thematic-meeting"' in content
    assert 'href="/meetings.ics?type=thematic-meeting"' in content


def test_meetings_csv_headers_are_french_on_the_french_site(client, world):
    rows = csv_rows(client.get("/fr/meetings/export.csv?type=ministerial-conference"))
    assert rows[0]["Titre"] == "Conférence ministérielle de Dakar"
    assert rows[0]["Type"] == "Conférence ministérielle"


def test_documents_csv_holds_exactly_the_filtered_documents(client, world):
    rows = csv_rows(client.get("/documents/export.csv?language=fr"))
    assert [row["Title"] for row in rows] == ["Report on return"]


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/dialogues/export.csv", 2),
        ("/dialogues/export.csv?kind=continental", 0),
        ("/organisations/export.csv", 1),
        ("/organisations/export.csv?dialogue=khartoum-process", 0),
        ("/countries/export.csv", 10),
    ],
)
def test_every_listing_has_a_csv_of_its_rows(client, world, url, count):
    assert len(csv_rows(client.get(url))) == count


def test_a_cell_that_a_spreadsheet_would_run_is_escaped(client, world):
    world.meetings["dakar"].title = '=HYPERLINK("http://evil")'
    world.meetings["dakar"].save()
    rows = csv_rows(client.get("/meetings/export.csv?type=ministerial-conference"))
    assert rows[0]["Title"].startswith("'=")


def parse_calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_calendar_has_one_event_per_meeting_with_all_day_dates(client, world):
    calendar = parse_calendar(client.get("/meetings.ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    by_summary = {str(event["SUMMARY"]): event for event in events}
    dakar = by_summary["Dakar Ministerial Conference"]
    assert dakar.decoded("DTSTART") == datetime.date(2024, 3, 11)
    # DTEND is exclusive: a meeting on 11 and 12 March ends on the 13th.
    assert dakar.decoded("DTEND") == datetime.date(2024, 3, 13)
    rome = by_summary["Thematic meeting on return"]
    assert rome.decoded("DTSTART") == datetime.date(2023, 6, 5)
    assert rome.decoded("DTEND") == datetime.date(2023, 6, 6)
    assert str(dakar["LOCATION"]) == "Dakar, Senegal"
    assert str(dakar["URL"]).endswith("/meetings/dakar-ministerial-conference/")
    assert str(by_summary["Steering committee of next year"]["STATUS"]) == "CONFIRMED"


def test_calendar_uids_are_unique_and_stable_across_requests_and_renames(client, world):
    first = {
        str(e["SUMMARY"]): str(e["UID"])
        for e in parse_calendar(client.get("/meetings.ics")).walk("VEVENT")
    }
    assert len(set(first.values())) == 4
    dakar = world.meetings["dakar"]
    dakar.title = "Dakar Conference (renamed)"
    dakar.save()
    second = {
        str(e["SUMMARY"]): str(e["UID"])
        for e in parse_calendar(client.get("/meetings.ics")).walk("VEVENT")
    }
    assert second["Dakar Conference (renamed)"] == first["Dakar Ministerial Conference"]


def test_the_calendar_takes_the_listing_parameters(client, world):
    calendar = parse_calendar(client.get("/meetings.ics?dialogue=khartoum-process&year=2022"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Senior officials' meeting"]


def test_the_calendar_refuses_unknown_values_with_a_message(client, world):
    response = client.get("/meetings.ics?type=garden-party")
    assert response.status_code == 400
    assert "There is no such meeting type: “garden-party”." in response.content.decode()


def test_long_and_special_text_is_folded_and_escaped_validly(client, world):
    meeting = world.meetings["rome"]
    meeting.summary = "Return, readmission; reintegration\nSecond line " + "é" * 120
    meeting.save()
    calendar = parse_calendar(client.get("/meetings.ics?type=thematic-meeting"))
    (event,) = calendar.walk("VEVENT")
    # Issue 16: the meeting's address follows the summary (calendar clients ignore URL).
    address = "http://testserver/meetings/thematic-meeting-on-return/"
    assert str(event["DESCRIPTION"]) == f"{meeting.summary}\n\n{address}"
    assert all(len(line) <= 75 for line in client.get("/meetings.ics").content.split(b"\r\n"))


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("declaration.pdf", PDF_BYTES, "application/pdf"),
        (
            "plan.docx",
            office_document("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_document_files_are_served_with_their_content_type(
    client, world, filename, content, content_type
):
    document = world.documents["declaration"]
    document.file.save(filename, ContentFile(content), save=True)
    response = client.get(f"/documents/{document.slug}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{document.slug}.{filename.split(".")[1]}"' in disposition
    assert b"".join(response.streaming_content) == content
    document.file.delete(save=False)


def test_a_document_without_file_sends_the_visitor_to_its_online_address(client, world):
    response = client.get("/documents/report-on-return/download/")
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/document.pdf"
