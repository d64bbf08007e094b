"""The home page's first figures: the states that are members of an MMD dialogue today and the
MMD dialogues and components, counted together in one query."""

import datetime

import pytest

from dialogues.models import Membership
from mmd_portal.figures import member_states_and_dialogues
from tests.dialogues.factories import DialogueFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_member_states_are_todays_members_of_mmd_dialogues_each_counted_once(
    django_assert_num_queries,
):
    rabat, khartoum = DialogueFactory(), DialogueFactory()
    other = DialogueFactory(is_mmd_component=False)
    MembershipFactory(dialogue=rabat, country="SN")
    MembershipFactory(dialogue=khartoum, country="SN")  # counted once
    MembershipFactory(dialogue=rabat, country="MA", start=datetime.date(2006, 7, 10))
    MembershipFactory(dialogue=rabat, country="ML", role=Membership.Role.OBSERVER)
    MembershipFactory(dialogue=rabat, country="NE", end=datetime.date(2010, 1, 1))  # ended
    MembershipFactory(dialogue=rabat, country="TN", start=datetime.date(2999, 1, 1))  # not yet
    MembershipFactory(dialogue=other, country="DE")  # not an MMD dialogue
    MembershipFactory(dialogue=rabat, country="", organisation=OrganisationFactory())
    DialogueFactory()  # a component without members yet

    with django_assert_num_queries(1):
        states, dialogues = member_states_and_dialogues()

    assert (states.value, str(states.label)) == (2, "member states")
    assert (dialogues.value, str(dialogues.label)) == (3, "dialogues and components")


def test_without_dialogues_both_figures_are_zero(db):
    assert [figure.value for figure in member_states_and_dialogues()] == [0, 0]
