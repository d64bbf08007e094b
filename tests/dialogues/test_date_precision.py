"""Dates as precise as their source: stored on the first day of their month or year, shown and
exported without an invented day, entered in the admin as a date and a precision."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import formats, translation

from core.dates import DatePrecision, display, iso, month_year, truncate
from dialogues.models import ChairTerm, Meeting, Membership
from tests.dialogues.factories import DialogueFactory, MeetingFactory

D = datetime.date


@pytest.mark.parametrize(
    "precision,shown,shown_fr,iso_text",
    [
        ("day", "30 January 2026", "30 janvier 2026", "2026-01-30"),
        ("month", "January 2026", "janvier 2026", "2026-01"),
        ("year", "2026", "2026", "2026"),
    ],
)
def test_a_date_is_written_as_precisely_as_it_is_known(precision, shown, shown_fr, iso_text):
    date = D(2026, 1, 30)

    with translation.override("en"):
        assert display(date, precision) == shown
    with translation.override("fr"):
        assert display(date, precision) == shown_fr
    assert iso(date, precision) == iso_text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_days_and_months_are_written_as_djangos_date_format_writes_them(language):
    """`display` (a day) and `month_year` write dates directly: the text of `date_format`."""
    first = datetime.date(1999, 12, 28)
    with translation.override(language):
        for offset in range(0, 800, 3):
            date = first + datetime.timedelta(days=offset)
            assert display(date) == formats.date_format(date, "j F Y")
            assert month_year(date) == formats.date_format(date, "F Y")
        assert month_year(datetime.date(987, 3, 1)) == formats.date_format(
            datetime.date(987, 3, 1), "F Y"
        )


def test_dates_are_kept_on_the_first_day_and_ends_on_the_last_day_of_their_period():
    assert truncate(D(2008, 11, 15), DatePrecision.MONTH) == D(2008, 11, 1)
    assert truncate(D(2008, 11, 15), DatePrecision.YEAR) == D(2008, 1, 1)
    assert truncate(D(2024, 2, 10), DatePrecision.MONTH, last=True) == D(2024, 2, 29)
    assert truncate(D(2020, 6, 1), DatePrecision.YEAR, last=True) == D(2020, 12, 31)
    assert truncate(D(2008, 11, 15), DatePrecision.DAY) == D(2008, 11, 15)


@pytest.mark.django_db
def test_a_meeting_known_to_the_month_is_stored_on_its_first_day_and_shown_as_the_month():
    meeting = MeetingFactory(start_date=D(2008, 11, 17), start_date_precision="month")

    meeting.refresh_from_db()
    assert meeting.start_date == D(2008, 11, 1)
    html = Template(
        "{% load dates %}<time datetime=\"{{ m|iso_as_known:'start_date' }}\">"
        '{{ m|as_known:"start_date" }}</time>'
    ).render(Context({"m": meeting}))
    assert html == '<time datetime="2008-11">November 2008</time>'


@pytest.mark.django_db
def test_a_meeting_whose_days_are_not_known_has_no_last_day():
    meeting = MeetingFactory.build(
        start_date=D(2008, 1, 1), start_date_precision="year", end_date=D(2008, 1, 2)
    )

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert "end_date" in error.value.message_dict


@pytest.mark.django_db
def test_a_membership_until_a_year_lasts_through_that_year():
    rabat = DialogueFactory()
    membership = Membership.objects.create(
        dialogue=rabat, country="GB", end=D(2020, 1, 1), end_precision="year"
    )

    assert membership.end == D(2020, 12, 31)
    assert Membership.objects.on(D(2020, 11, 1)).filter(pk=membership.pk).exists()
    assert not Membership.objects.on(D(2021, 1, 1)).filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_the_admin_form_takes_a_year_and_keeps_its_first_day(rf, admin_user):
    dialogue = DialogueFactory()
    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site._registry[ChairTerm].get_form(request)

    form = form_class(
        data={
            "dialogue": dialogue.pk,
            "country": "ML",
            "start": "2017-06-15",
            "start_precision": "year",
            "end_precision": "day",
        }
    )

    assert form.is_valid(), form.errors
    term = form.save()
    assert (term.start, term.start_precision) == (D(2017, 1, 1), "year")
    assert str(Meeting._meta.get_field("start_date_precision").verbose_name) == "known to"


@pytest.mark.parametrize("date", [D(2026, 1, 30), D(2008, 11, 1), D(999, 7, 4), D(2024, 12, 9)])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_day_is_written_as_djangos_date_format_writes_it(date, language):
    """`display` writes a day without Django's format parser: the same text."""
    from django.utils import formats

    with translation.override(language):
        assert display(date, DatePrecision.DAY) == formats.date_format(date, "j F Y")
