"""A call's status follows from its dates, in Python and in the database alike."""

import datetime

import pytest

from grants.models import Call, CallStatus
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"opens_on": TODAY + DAY}, CallStatus.FORTHCOMING),
        ({"opens_on": TODAY - DAY, "concept_note_deadline": TODAY + DAY}, CallStatus.OPEN),
        ({"opens_on": TODAY - DAY}, CallStatus.OPEN),
        ({"concept_note_deadline": TODAY}, CallStatus.OPEN),
        (
            {"concept_note_deadline": TODAY - 20 * DAY, "full_application_deadline": TODAY + DAY},
            CallStatus.OPEN,
        ),
        ({"concept_note_deadline": TODAY - DAY}, CallStatus.CLOSED),
        (
            {"concept_note_deadline": TODAY - 20 * DAY, "full_application_deadline": TODAY - DAY},
            CallStatus.CLOSED,
        ),
        (
            {"concept_note_deadline": TODAY - 20 * DAY, "awarded_on": TODAY - DAY},
            CallStatus.AWARDED,
        ),
        ({"concept_note_deadline": TODAY - 20 * DAY, "awarded_on": TODAY + DAY}, CallStatus.CLOSED),
        ({}, ""),
        ({"status_override": CallStatus.CLOSED}, CallStatus.CLOSED),
    ],
)
def test_status_is_derived_from_the_dates(dates, expected):
    call = CallFactory(**dates)
    assert call.status_on(TODAY) == expected
    assert Call.objects.with_status(TODAY).get(pk=call.pk).derived_status == expected


def test_call_without_dates_says_so():
    call = CallFactory()
    assert str(call.status_label) == "Dates not yet published"


def test_open_calls_come_first():
    closed = CallFactory(concept_note_deadline=TODAY - DAY)
    awarded = CallFactory(awarded_on=TODAY - DAY)
    forthcoming = CallFactory(opens_on=TODAY + DAY)
    open_call = CallFactory(opens_on=TODAY - DAY, concept_note_deadline=TODAY + DAY)
    assert list(Call.objects.open_first(TODAY)) == [open_call, forthcoming, closed, awarded]


def test_grant_range_must_be_ordered_in_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        CallFactory(grant_min_eur=200_000, grant_max_eur=100_000)


def test_open_calls_by_nearest_deadline_and_past_calls_by_latest():
    later = CallFactory(opens_on=TODAY - DAY, concept_note_deadline=TODAY + 30 * DAY)
    sooner = CallFactory(opens_on=TODAY - DAY, concept_note_deadline=TODAY + 3 * DAY)
    older = CallFactory(concept_note_deadline=TODAY - 300 * DAY)
    recent = CallFactory(concept_note_deadline=TODAY - 3 * DAY)
    assert list(Call.objects.open_first(TODAY)) == [sooner, later, recent, older]


def test_a_call_without_dates_comes_after_open_calls_and_before_closed_ones():
    closed = CallFactory(concept_note_deadline=TODAY - DAY)
    undated = CallFactory()
    open_call = CallFactory(opens_on=TODAY - DAY, concept_note_deadline=TODAY + DAY)
    assert list(Call.objects.open_first(TODAY)) == [open_call, undated, closed]
