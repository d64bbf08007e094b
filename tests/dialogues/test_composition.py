"""The steering committee, the chair and the members on a date are derived from dated records."""

import datetime

import pytest

from tests.dialogues.factories import (
    ChairTermFactory,
    DialogueFactory,
    MembershipFactory,
    OrganisationFactory,
    SteeringCommitteeSeatFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_committee_on_a_date_is_the_seats_whose_terms_cover_it():
    dialogue = DialogueFactory()
    SteeringCommitteeSeatFactory(dialogue=dialogue, country="SN", start=D(2018, 1, 1))
    SteeringCommitteeSeatFactory(
        dialogue=dialogue, country="ML", start=D(2018, 1, 1), end=D(2020, 12, 31)
    )
    SteeringCommitteeSeatFactory(dialogue=dialogue, country="NG", start=D(2021, 1, 1))
    commission = OrganisationFactory(name="European Commission", acronym="EC")
    SteeringCommitteeSeatFactory(dialogue=dialogue, country="", organisation=commission, start=None)

    def on(date):
        return {seat.participant_name for seat in dialogue.steering_committee_on(date)}

    ec = "European Commission (EC)"  # organisations by name with their acronym (issue 10)
    assert on(D(2017, 6, 1)) == {ec}
    assert on(D(2019, 6, 1)) == {"Senegal", "Mali", ec}
    assert on(D(2020, 12, 31)) == {"Senegal", "Mali", ec}
    assert on(D(2021, 1, 1)) == {"Senegal", "Nigeria", ec}


def test_a_seat_of_another_dialogue_is_not_counted():
    dialogue, other = DialogueFactory(), DialogueFactory()
    SteeringCommitteeSeatFactory(dialogue=other, country="FR")

    assert not dialogue.steering_committee_on(D(2024, 1, 1)).exists()


def test_the_chair_on_a_date_is_the_latest_term_started_by_then():
    dialogue = DialogueFactory()
    ChairTermFactory(dialogue=dialogue, country="MA", start=D(2022, 12, 1))
    ChairTermFactory(dialogue=dialogue, country="PT", start=D(2024, 2, 1))
    ChairTermFactory(dialogue=dialogue, country="NG", start=D(2025, 1, 29))

    assert dialogue.chair_on(D(2022, 11, 30)) is None
    assert dialogue.chair_on(D(2023, 6, 1)).country == "MA"
    assert dialogue.chair_on(D(2024, 2, 1)).country == "PT"
    assert dialogue.chair_on(D(2025, 1, 28)).country == "PT"
    assert dialogue.chair_on(D(2025, 3, 1)).country == "NG"


def test_a_term_with_an_end_date_leaves_the_chair_empty_after_it():
    dialogue = DialogueFactory()
    ChairTermFactory(dialogue=dialogue, country="EG", start=D(2024, 4, 17), end=D(2025, 4, 8))

    assert dialogue.chair_on(D(2025, 1, 1)).country == "EG"
    assert dialogue.chair_on(D(2025, 5, 1)) is None


def test_co_chairs_who_took_office_together_are_both_the_chair():
    dialogue = DialogueFactory()
    commission = OrganisationFactory(name="European Commission", acronym="EC")
    au_commission = OrganisationFactory(name="African Union Commission", acronym="AUC")
    ChairTermFactory(dialogue=dialogue, country="FR", start=D(2015, 1, 1))
    for organisation in (commission, au_commission):
        ChairTermFactory(
            dialogue=dialogue, country="", organisation=organisation, start=D(2017, 1, 1)
        )

    assert {term.participant_name for term in dialogue.chairs_on(D(2016, 1, 1))} == {"France"}
    assert {term.participant_name for term in dialogue.chairs_on(D(2024, 1, 1))} == {
        "European Commission (EC)",
        "African Union Commission (AUC)",
    }
    assert not dialogue.chairs_on(D(2014, 1, 1)).exists()


def test_the_members_on_a_date_respect_since_and_until():
    dialogue = DialogueFactory()
    MembershipFactory(dialogue=dialogue, country="SN")
    MembershipFactory(dialogue=dialogue, country="EG", end=D(2014, 11, 30))
    MembershipFactory(dialogue=dialogue, country="UG", start=D(2016, 1, 1))

    def on(date):
        return {str(m.country) for m in dialogue.memberships.on(date)}

    assert on(D(2014, 1, 1)) == {"SN", "EG"}
    assert on(D(2015, 1, 1)) == {"SN"}
    assert on(D(2016, 1, 1)) == {"SN", "UG"}
