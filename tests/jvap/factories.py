"""Factories for the JVAP app's records, built in code for each test."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jvap.models import (
    DataCollectionCampaign,
    EntryChange,
    EntryCountry,
    EntryOrganisation,
    EntryUpload,
    JvapEntry,
    PartnerAccess,
    PublicFigures,
    ReportingPartner,
)
from tests.factories import DomainFactory


class ReportingPartnerFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPartner
        django_get_or_create = ["code"]

    country = "SN"
    code = factory.LazyAttribute(lambda o: o.country)


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = DataCollectionCampaign
        django_get_or_create = ["year"]

    year = 2025
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    closes_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))


class JvapEntryFactory(DjangoModelFactory):
    class Meta:
        model = JvapEntry
        skip_postgeneration_save = True

    partner = factory.SubFactory(ReportingPartnerFactory)
    reference = factory.Sequence(lambda n: f"REF-{n}")
    title = factory.Sequence(lambda n: f"Entry {n}")
    type = JvapEntry.Type.PROJECT
    domain = factory.SubFactory(DomainFactory, number=1)
    campaign_year = 2025
    review_state = JvapEntry.ReviewState.PUBLISHED

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        for code in extracted or ["SN"]:
            EntryCountry.objects.create(entry=self, country=code)


def make_domains():
    """The five JVAP domains with their real names."""
    from jvap.spreadsheet import DOMAIN_NAMES

    return [
        DomainFactory(number=n, slug=f"domain-{n}", name=names[0], name_fr=names[1])
        for n, names in DOMAIN_NAMES.items()
    ]


def give_access(user, partner, role=PartnerAccess.Role.FOCAL_POINT):
    return PartnerAccess.objects.create(user=user, partner=partner, role=role)


class EntryUploadFactory(DjangoModelFactory):
    class Meta:
        model = EntryUpload

    partner = factory.SubFactory(ReportingPartnerFactory)
    original_name = "entries.xlsx"
    file = factory.django.FileField(filename="entries.xlsx", data=b"PK\x03\x04 test upload")


class PartnerAccessFactory(DjangoModelFactory):
    class Meta:
        model = PartnerAccess

    user = factory.SubFactory("tests.jvap.factories.UserFactory")
    partner = factory.SubFactory(ReportingPartnerFactory)
    role = PartnerAccess.Role.FOCAL_POINT


class EntryChangeFactory(DjangoModelFactory):
    class Meta:
        model = EntryChange

    entry = factory.SubFactory(JvapEntryFactory)
    action = EntryChange.Action.CREATED
    changes = {"title": ["", "A title"]}


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"focal-point-{n}")


class EntryCountryFactory(DjangoModelFactory):
    class Meta:
        model = EntryCountry

    entry = factory.SubFactory(JvapEntryFactory, countries=["ML"])
    country = "SN"


class EntryOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = EntryOrganisation

    entry = factory.SubFactory(JvapEntryFactory)
    role = EntryOrganisation.Role.IMPLEMENTER
    name = "Implementing agency"


class PublicFiguresFactory(DjangoModelFactory):
    class Meta:
        model = PublicFigures

    language = "en"
    data_version = "a-version"
    computed_at = factory.LazyFunction(timezone.now)
    dashboard = {"totals": {"entries": 0, "funding": "0.00"}, "charts": []}
    facet_counts = {"domain": {}}
