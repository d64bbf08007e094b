"""The home page's figures: the states that are members of an MMD dialogue today and the MMD
dialogues and components, counted together in one query; all the numbers behind the figures
and the map counted by a task after each change, for the day (mmd_portal.figures)."""

import datetime

import pytest
from django.utils import timezone

from dialogues.models import Membership
from mmd_portal.figures import (
    counted_now,
    member_states_and_dialogues,
    member_states_and_dialogues_counted,
    refresh,
)
from mmd_portal.models import HomeFigures
from tests.dialogues.factories import (
    DialogueFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
)

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
        counts = member_states_and_dialogues_counted()
    states, dialogues = member_states_and_dialogues(counts)

    assert (states.value, str(states.label)) == (2, "member states")
    assert (dialogues.value, str(dialogues.label)) == (3, "dialogues and components")


def test_without_dialogues_both_figures_are_zero(db):
    counts = member_states_and_dialogues_counted()
    assert [figure.value for figure in member_states_and_dialogues(counts)] == [0, 0]


# --- Counted once per change, for the day --------------------------------------------------


@pytest.fixture
def precomputed(settings):
    settings.PRECOMPUTED_FIGURES = True  # the test settings count every figure live
    settings.PUBLIC_CACHE_SECONDS = 0  # the page cache would hide the work


def test_the_home_page_reads_the_kept_numbers_in_one_query_and_shows_the_same_page(
    client, world, precomputed, monkeypatch, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jvap import public_figures
    from mmd_portal import figures

    public_figures.refresh()  # the JVAP figures: read from their own kept rows in both pages
    refresh()
    with monkeypatch.context() as patched:
        patched.setattr(figures, "precomputed_counts", lambda: None)
        with CaptureQueriesContext(connection) as live:
            counted = client.get("/").content.decode()
    # The four counting queries and the map's are one read of the kept row.
    with django_assert_num_queries(len(live) - 4):
        kept = client.get("/").content.decode()
    assert kept == counted
    assert HomeFigures.objects.get().counts == counted_now()


def test_a_change_not_yet_refreshed_is_counted_live_on_the_connection_that_made_it(
    client, world, precomputed
):
    refresh()
    before = client.get("/").content.decode()
    MembershipFactory(dialogue=world.rabat, country="GM")  # a new member state today
    after = client.get("/").content.decode()
    assert after != before  # counted now: the row was counted before the change
    refresh()
    assert client.get("/").content.decode() == after


def test_a_change_schedules_a_refresh_that_keeps_the_new_numbers(
    world, precomputed, django_capture_on_commit_callbacks
):
    refresh()
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(dialogues=[world.rabat], start_date=datetime.date(2020, 5, 5))
    assert HomeFigures.objects.get().counts == counted_now()


def test_numbers_counted_on_an_earlier_day_are_not_shown(client, world, precomputed):
    refresh()
    HomeFigures.objects.update(counts={**counted_now(), "documents": 12345})
    assert "12,345" in client.get("/").content.decode()
    HomeFigures.objects.update(counted_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "12,345" not in client.get("/").content.decode()
