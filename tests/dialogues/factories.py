"""Factories for the dialogues records that tests/factories.py does not cover."""

import datetime

import factory
from factory.django import DjangoModelFactory

from dialogues.models import (
    DialogueLink,
    FrameworkElement,
    MeetingPhoto,
    ProgrammePhase,
    StrategicFramework,
)
from tests.factories import DialogueFactory, MeetingFactory


class DialogueLinkFactory(DjangoModelFactory):
    class Meta:
        model = DialogueLink

    dialogue = factory.SubFactory(DialogueFactory)
    label = "LinkedIn"
    url = factory.Sequence(lambda n: f"https://www.linkedin.com/company/test-{n}/")


class StrategicFrameworkFactory(DjangoModelFactory):
    class Meta:
        model = StrategicFramework

    dialogue = factory.SubFactory(DialogueFactory)
    name = factory.Sequence(lambda n: f"Test Action Plan {n}")
    slug = factory.Sequence(lambda n: f"test-action-plan-{n}")
    kind = StrategicFramework.Kind.ACTION_PLAN
    adopted_on = datetime.date(2022, 12, 14)


class FrameworkElementFactory(DjangoModelFactory):
    class Meta:
        model = FrameworkElement

    framework = factory.SubFactory(StrategicFrameworkFactory)
    level = FrameworkElement.Level.AREA
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Test area {n}")


class ProgrammePhaseFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammePhase

    name = factory.Sequence(lambda n: f"Test phase {n}")
    start = datetime.date(2023, 10, 1)
    budget_eur = 1_000_000


class MeetingPhotoFactory(DjangoModelFactory):
    class Meta:
        model = MeetingPhoto

    meeting = factory.SubFactory(MeetingFactory)
    image = factory.django.ImageField(width=40, height=30, color="blue", format="PNG")
    alt_text = "Delegates around a table"
