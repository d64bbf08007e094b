"""Factories for the dialogues app's records, built in code for each test."""

import datetime

import factory
from factory.django import DjangoModelFactory

from dialogues.models import (
    ChairTerm,
    Dialogue,
    DialogueLink,
    Document,
    Domain,
    FocalPoint,
    FrameworkElement,
    Meeting,
    MeetingPhoto,
    Membership,
    Organisation,
    ProgrammePhase,
    SteeringCommitteeSeat,
    StrategicFramework,
)


class DialogueFactory(DjangoModelFactory):
    class Meta:
        model = Dialogue
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test Process {n}")
    short_name = factory.Sequence(lambda n: f"Test {n}")
    slug = factory.Sequence(lambda n: f"test-process-{n}")
    kind = Dialogue.Kind.INTERGOVERNMENTAL
    is_mmd_component = True
    summary = "A dialogue made for a test."


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    acronym = factory.Sequence(lambda n: f"TO{n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    type = Organisation.Type.INTERNATIONAL_ORGANISATION


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ["number"]

    number = factory.Iterator([1, 2, 3, 4, 5])
    slug = factory.LazyAttribute(lambda o: f"domain-{o.number}")
    name = factory.LazyAttribute(lambda o: f"Domain {o.number}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    dialogue = factory.SubFactory(DialogueFactory)
    country = "SN"
    role = Membership.Role.MEMBER


class SteeringCommitteeSeatFactory(DjangoModelFactory):
    class Meta:
        model = SteeringCommitteeSeat

    dialogue = factory.SubFactory(DialogueFactory)
    country = "SN"
    start = datetime.date(2020, 1, 1)


class ChairTermFactory(DjangoModelFactory):
    class Meta:
        model = ChairTerm

    dialogue = factory.SubFactory(DialogueFactory)
    country = "MA"
    start = datetime.date(2020, 1, 1)


class FocalPointFactory(DjangoModelFactory):
    class Meta:
        model = FocalPoint

    name = factory.Sequence(lambda n: f"Focal Person {n}")
    country = "SN"
    email = factory.Sequence(lambda n: f"focal.person{n}@ministry.example")
    phone = "+221 33 000 00 00"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Test meeting {n}")
    slug = factory.Sequence(lambda n: f"test-meeting-{n}")
    type = Meeting.Type.THEMATIC_MEETING
    start_date = datetime.date(2024, 3, 1)
    city = "Dakar"
    country = "SN"
    status = Meeting.Status.HELD

    @factory.post_generation
    def dialogues(self, create, extracted, **kwargs):
        if create and extracted:
            self.dialogues.set(extracted)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Test document {n}")
    slug = factory.Sequence(lambda n: f"test-document-{n}")
    kind = Document.Kind.REPORT
    date = datetime.date(2024, 1, 1)
    url = "https://example.org/document.pdf"

    @factory.post_generation
    def dialogues(self, create, extracted, **kwargs):
        if create and extracted:
            self.dialogues.set(extracted)


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
