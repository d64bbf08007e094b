"""What the public pages say on the reference data alone (issue 10: facts that went stale or
were shown wrongly, and dates as precise as their source)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from dialogues.models import ChairTerm, Dialogue, Meeting, Organisation
from tests.http import response_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(reference_data_of_the_module):
    """Every test here only reads the reference data: it is loaded once for the module."""


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words, without tags and with runs of white space made one space."""
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([,.)])", r"\1", words)


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section #{section_id}"
    return text_of(match.group(0))


def current_chair(html: str) -> str:
    match = re.search(r'<p class="current-chair">.*?</p>', html, re.S)
    assert match, "no current chair"
    return text_of(match.group(0)).strip()


# --- Chairs ---------------------------------------------------------------------------------


def test_the_rabat_process_is_chaired_by_switzerland_since_the_abuja_handover(
    reference_data, client
):
    html = page(client, "/dialogues/rabat-process/")

    current = current_chair(html)
    assert current.startswith("Current chair: Switzerland since 30 January 2026")
    assert "handed over at Euro-African meeting of the Rabat Process in Abuja" in current
    assert "Nigeria" not in current
    past = section(html, "steering").partition("Past chairs")[2]
    assert "Nigeria 30 January 2025 – 30 January 2026" in past


def test_the_switzerland_term_keeps_its_source_and_links_the_abuja_meeting(reference_data):
    term = ChairTerm.objects.get(dialogue__slug="rabat-process", country="CH")

    assert term.start == datetime.date(2026, 1, 30)
    assert "Abuja" in term.source_note
    assert term.handover_meeting.slug == "rabat-process-euro-african-meeting-abuja-2026"
    assert term.handover_meeting.country == "NG"


@pytest.mark.parametrize(
    "slug,holder,start",
    [
        ("rabat-process", "BE", datetime.date(2017, 3, 21)),
        ("rabat-process", "BF", datetime.date(2018, 5, 2)),
        ("rabat-process", "FR", datetime.date(2019, 6, 3)),
        ("rabat-process", "MA", datetime.date(2022, 12, 14)),
        ("rabat-process", "NG", datetime.date(2025, 1, 30)),
        ("khartoum-process", "ER", datetime.date(2019, 3, 7)),
        ("khartoum-process", "NL", datetime.date(2020, 3, 5)),
    ],
)
def test_handovers_are_recorded_on_the_day_the_sources_give(reference_data, slug, holder, start):
    term = ChairTerm.objects.get(dialogue__slug=slug, country=holder, start=start)

    assert term.start_precision == "day"
    if term.handover_meeting:
        assert term.handover_meeting.start_date <= start
        assert start <= (term.handover_meeting.end_date or term.handover_meeting.start_date)


def test_ethiopia_chairs_the_khartoum_process_from_december_2016(reference_data, client):
    term = ChairTerm.objects.get(dialogue__slug="khartoum-process", country="ET")

    assert (term.start, term.start_precision) == (datetime.date(2016, 12, 1), "month")
    assert "Ethiopia December 2016 – 2018" in section(
        page(client, "/dialogues/khartoum-process/"), "steering"
    )


def test_country_pages_of_switzerland_and_nigeria_show_the_handover(reference_data, client):
    switzerland = text_of(page(client, "/countries/ch/"))
    nigeria = text_of(page(client, "/countries/ng/"))

    assert "Chair of the Rabat Process (current) since 30 January 2026" in switzerland
    assert "Former chair of the Rabat Process 30 January 2025 – 30 January 2026" in nigeria


def test_the_home_page_names_the_current_chairs(reference_data, client):
    home = text_of(page(client, "/"))

    assert "Chair: Switzerland · since 30 January 2026" in home
    assert (
        "Co-chairs: African Union Commission (AUC), European Commission (EC) "
        "· since 30 November 2017" in home
    )


def test_the_c2cmmd_shows_both_co_chairs_as_current_and_none_as_past(reference_data, client):
    html = page(client, "/dialogues/c2cmmd/")

    assert current_chair(html).startswith(
        "Co-chairs: African Union Commission (AUC), European Commission (EC) since"
    )
    assert "Past chairs" not in section(html, "steering")


def test_the_c2cmmd_co_chair_terms_start_no_earlier_than_the_abidjan_summit(reference_data):
    abidjan = datetime.date(2017, 11, 29)

    assert all(term.start >= abidjan for term in ChairTerm.objects.filter(dialogue__slug="c2cmmd"))


def test_the_c2cmmd_page_says_who_takes_part_instead_of_zero_member_states(reference_data, client):
    members = section(page(client, "/dialogues/c2cmmd/"), "members")

    assert "member states of the African Union and of the European Union" in members
    assert "0 member states" not in members
    assert "None." not in members


def test_chairs_and_organisations_are_named_in_french_with_french_acronyms(reference_data, client):
    c2cmmd = text_of(page(client, "/fr/dialogues/c2cmmd/"))
    rabat = section(page(client, "/fr/dialogues/rabat-process/"), "members")

    assert "Coprésidence :" in c2cmmd or "Coprésidents :" in c2cmmd
    assert "Commission européenne (CE)" in c2cmmd
    assert "Commission de l'Union africaine (CUA)" in c2cmmd
    assert "(CEDEAO)" in rabat
    with translation.override("fr"):
        assert Organisation.objects.get(slug="ecowas").short_name == "CEDEAO"


# --- As of a date, and no empty counts --------------------------------------------------------


def test_the_prague_process_data_is_shown_as_of_2018(reference_data, client):
    html = page(client, "/dialogues/prague-process/")

    assert "As of 2018" in section(html, "members")
    steering = section(html, "steering")
    assert "As recorded as of 2018" in steering
    assert "Current" not in steering


def public_pages_of_the_reference_data() -> list[str]:
    urls = ["/", "/dialogues/", "/meetings/", "/documents/", "/organisations/", "/countries/"]
    urls += [d.get_absolute_url() for d in Dialogue.objects.all()]
    urls += [m.get_absolute_url() for m in Meeting.objects.all()]
    urls += [o.get_absolute_url() for o in Organisation.objects.all()]
    codes = {
        str(c) for c in ChairTerm.objects.exclude(country="").values_list("country", flat=True)
    }
    urls += [reverse("country_detail", args=[code.lower()]) for code in sorted(codes)]
    return urls


@pytest.mark.parametrize("language", ["", "/fr"])
def test_no_public_page_of_the_reference_data_shows_a_zero_count(reference_data, client, language):
    zero = re.compile(
        r"\b0 (member|observer|États?|membres?|observateurs?|meetings?|réunions?|documents?)\b",
        re.IGNORECASE,
    )
    for url in public_pages_of_the_reference_data():
        words = text_of(page(client, language + url))
        assert not zero.search(words), f"{language + url}: {zero.search(words).group(0)!r}"
        assert "None." not in words, language + url


# --- Dates as precise as their source ---------------------------------------------------------


def test_the_paris_conference_shows_as_2008_not_as_1_january_2008(reference_data, client):
    paris = Meeting.objects.get(slug="rabat-process-ministerial-conference-paris-2008")

    for url in (paris.get_absolute_url(), "/meetings/?dialogue=rabat-process&year=2008"):
        html = page(client, url)
        assert "1 January 2008" not in html, url
        assert '<time datetime="2008">2008</time>' in html, url
    assert "1 janvier 2008" not in page(client, "/fr" + paris.get_absolute_url())
    assert "1 January 2008" not in page(client, "/dialogues/rabat-process/")
    assert "Ministerial conference · Paris, France · 2008" in text_of(
        page(client, "/search/?q=Euro-African Paris")
    )


def test_a_year_filter_and_the_date_sorts_still_find_dates_known_to_the_year(
    reference_data, client
):
    assert "Paris" in page(client, "/meetings/?year=2008")
    oldest = page(client, "/meetings/?sort=date")
    assert oldest.index("1st Euro-African") < oldest.index("2nd Euro-African")
    assert oldest.index("2nd Euro-African") < oldest.index("3rd Euro-African")


def test_the_meetings_download_carries_dates_as_precise_as_known(reference_data, client):
    csv = response_body(client.get("/meetings/export.csv?year=2008")).decode()

    paris = next(line for line in csv.splitlines() if "2nd Euro-African" in line)
    assert ",2008,2008,Paris," in paris
    assert "2008-01-01" not in paris
    rabat = response_body(client.get("/meetings/export.csv?year=2006")).decode()
    assert ",2006-07-10,2006-07-11,Rabat," in rabat


def test_the_calendar_leaves_out_meetings_whose_days_are_not_known(reference_data, client):
    calendar = client.get("/meetings.ics").content.decode()

    assert "DTSTART;VALUE=DATE:20080101" not in calendar
    assert "DTSTART;VALUE=DATE:20060710" in calendar
