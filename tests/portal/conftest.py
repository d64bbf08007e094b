"""A small world for the portal's tests: two processes, their members, meetings and documents,
and focal points whose personal data must never reach a public page."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction

from dialogues.models import Dialogue, Meeting, Membership
from tests.bursts import one_burst_of_changes
from tests.dialogues.factories import (
    ChairTermFactory,
    DialogueFactory,
    DocumentFactory,
    FocalPointFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    SteeringCommitteeSeatFactory,
)


@dataclass
class PortalWorld:
    rabat: Dialogue
    khartoum: Dialogue
    meetings: dict
    documents: dict
    organisation: object
    focal_points: list


@pytest.fixture
def world(db) -> PortalWorld:
    # One transaction: in a transactional (browser) test, one commit instead of about 85,
    # each of which SQLite writes to disk (0.7-1.8 s less per test).
    with one_burst_of_changes(), transaction.atomic():
        return make_world()


def make_world() -> PortalWorld:
    rabat = DialogueFactory(
        slug="rabat-process",
        name="Rabat Process",
        name_fr="Processus de Rabat",
        short_name="Rabat",
        summary="The Euro-African Dialogue on Migration and Development.",
        summary_fr="Le Dialogue euro-africain sur la migration et le développement.",
        objectives="Organise mobility\nPrevent irregular migration",
        objectives_fr="Organiser la mobilité\nPrévenir la migration irrégulière",
        year_established=2006,
        contact_email="secretariat@rabat.example",
        display_order=1,
    )
    khartoum = DialogueFactory(
        slug="khartoum-process",
        name="Khartoum Process",
        name_fr="Processus de Khartoum",
        short_name="Khartoum",
        summary="The EU-Horn of Africa Migration Route Initiative.",
        year_established=2014,
        display_order=2,
    )
    for code in ("SN", "MA", "FR", "ES"):
        MembershipFactory(dialogue=rabat, country=code, start=datetime.date(2006, 7, 10))
    for code in ("ER", "ET", "FR", "IT"):
        MembershipFactory(dialogue=khartoum, country=code, start=datetime.date(2014, 11, 28))
    MembershipFactory(dialogue=rabat, country="DZ", role=Membership.Role.OBSERVER)
    MembershipFactory(
        dialogue=rabat,
        country="EG",
        start=datetime.date(2006, 7, 10),
        end=datetime.date(2014, 1, 1),
    )
    organisation = OrganisationFactory(
        name="Economic Community of West African States", acronym="ECOWAS", slug="ecowas"
    )
    MembershipFactory(dialogue=rabat, country="", organisation=organisation)
    ChairTermFactory(dialogue=rabat, country="SN", start=datetime.date(2023, 1, 1))
    ChairTermFactory(dialogue=rabat, country="ES", start=datetime.date(2021, 1, 1))
    SteeringCommitteeSeatFactory(dialogue=rabat, country="SN")
    SteeringCommitteeSeatFactory(dialogue=rabat, country="", organisation=organisation)
    meetings = {
        "dakar": MeetingFactory(
            title="Dakar Ministerial Conference",
            title_fr="Conférence ministérielle de Dakar",
            slug="dakar-ministerial-conference",
            type=Meeting.Type.MINISTERIAL_CONFERENCE,
            start_date=datetime.date(2024, 3, 11),
            end_date=datetime.date(2024, 3, 12),
            city="Dakar",
            country="SN",
            dialogues=[rabat],
        ),
        "rome": MeetingFactory(
            title="Thematic meeting on return",
            slug="thematic-meeting-on-return",
            type=Meeting.Type.THEMATIC_MEETING,
            start_date=datetime.date(2023, 6, 5),
            city="Rome",
            country="IT",
            dialogues=[rabat, khartoum],
        ),
        "asmara": MeetingFactory(
            title="Senior officials' meeting",
            slug="senior-officials-meeting-2022",
            type=Meeting.Type.SENIOR_OFFICIALS_MEETING,
            start_date=datetime.date(2022, 10, 20),
            city="Addis Ababa",
            country="ET",
            dialogues=[khartoum],
        ),
        "future": MeetingFactory(
            title="Steering committee of next year",
            slug="steering-committee-next-year",
            type=Meeting.Type.STEERING_COMMITTEE_MEETING,
            start_date=datetime.date.today() + datetime.timedelta(days=60),
            status=Meeting.Status.PLANNED,
            city="Brussels",
            country="BE",
            dialogues=[rabat],
        ),
    }
    documents = {
        "declaration": DocumentFactory(
            title="Dakar Declaration",
            title_fr="Déclaration de Dakar",
            slug="dakar-declaration",
            kind="declaration",
            language="en",
            date=datetime.date(2024, 3, 12),
            meeting=meetings["dakar"],
            dialogues=[rabat],
        ),
        "report": DocumentFactory(
            title="Report on return",
            slug="report-on-return",
            kind="report",
            language="fr",
            date=datetime.date(2023, 6, 30),
            dialogues=[khartoum],
        ),
    }
    focal_points = [
        FocalPointFactory(
            name="Aminata Focal",
            country="SN",
            email="aminata.private@gouv.example",
            phone="+221 77 123 45 67",
        ),
        FocalPointFactory(
            name="Tesfaye Focal",
            country="ET",
            email="tesfaye.private@gov.example",
            phone="+251 911 00 11 22",
        ),
    ]
    for focal_point in focal_points:
        focal_point.dialogues.set([rabat, khartoum])
    return PortalWorld(rabat, khartoum, meetings, documents, organisation, focal_points)
