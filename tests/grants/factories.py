"""Factories for the grants app's records, built in code for each test."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from dialogues.models import Organisation
from grants.models import Call, CallDocument, ConsortiumMember, Grant, GrantCountry, Output
from tests.dialogues.factories import OrganisationFactory


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ["reference"]

    title = factory.Sequence(lambda n: f"Test call {n}")
    reference = factory.Sequence(lambda n: f"TEST-CALL-{n}")
    slug = factory.Sequence(lambda n: f"test-call-{n}")
    grant_min_eur = Decimal(100_000)
    grant_max_eur = Decimal(150_000)


class GrantFactory(DjangoModelFactory):
    """A published grant; `countries=["SN", "ML"]`, `dialogues=[...]`, `domains=[...]` and
    `members=[(organisation, role), ...]` fill its relations."""

    class Meta:
        model = Grant
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"GF-TEST-{n:03d}")
    title = factory.Sequence(lambda n: f"Test grant {n}")
    slug = factory.Sequence(lambda n: f"test-grant-{n}")
    summary = "A grant made for a test."
    call = factory.SubFactory(CallFactory)
    amount_eur = Decimal(120_000)
    start = datetime.date(2025, 3, 1)
    end = datetime.date(2025, 9, 1)
    status = Grant.Status.ONGOING
    is_published = True

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            GrantCountry.objects.bulk_create(
                [GrantCountry(grant=self, country=c) for c in extracted]
            )

    @factory.post_generation
    def dialogues(self, create, extracted, **kwargs):
        if create and extracted:
            self.dialogues.set(extracted)

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            for organisation, role in extracted:
                ConsortiumMember.objects.create(grant=self, organisation=organisation, role=role)


def organisation(type=Organisation.Type.CIVIL_SOCIETY, country="SN", **kwargs):
    """An organisation of the given type and country."""
    return OrganisationFactory(type=type, country=country, **kwargs)


class OutputFactory(DjangoModelFactory):
    class Meta:
        model = Output

    grant = factory.SubFactory(GrantFactory)
    title = factory.Sequence(lambda n: f"Policy brief {n}")
    kind = Output.Kind.POLICY_BRIEF
    url = "https://example.org/brief.pdf"


LEAD = ConsortiumMember.Role.LEAD
CO = ConsortiumMember.Role.CO_APPLICANT
AFFILIATED = ConsortiumMember.Role.AFFILIATED


class ConsortiumMemberFactory(DjangoModelFactory):
    class Meta:
        model = ConsortiumMember

    grant = factory.SubFactory(GrantFactory)
    organisation = factory.SubFactory(OrganisationFactory, type=Organisation.Type.CIVIL_SOCIETY)
    role = ConsortiumMember.Role.CO_APPLICANT


class GrantCountryFactory(DjangoModelFactory):
    class Meta:
        model = GrantCountry

    grant = factory.SubFactory(GrantFactory)
    country = "SN"


class CallDocumentFactory(DjangoModelFactory):
    class Meta:
        model = CallDocument

    call = factory.SubFactory(CallFactory)
    title = "Guidelines for applicants"
    url = "https://example.org/guidelines.pdf"
