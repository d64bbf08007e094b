"""Factories for the JVAP app's records, built in code for each test."""

import datetime
from decimal import Decimal

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
    NotificationSettings,
    PartnerAccess,
    PublicFigures,
    ReportingPartner,
)
from tests.dialogues.factories import DomainFactory, OrganisationFactory

UNPUBLISHED = (JvapEntry.ReviewState.SUBMITTED, JvapEntry.ReviewState.RETURNED)


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


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
    budget_eur = factory.LazyAttribute(
        lambda o: Decimal(o.budget) if o.budget is not None else None
    )
    start_date = factory.LazyAttribute(lambda o: _date(o.start))
    end_date = factory.LazyAttribute(lambda o: _date(o.end))

    class Params:
        # Written as in the spreadsheet: budget="1250000.50", start="2019-01-01".
        budget = None
        start = None
        end = None

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        for code in extracted or ["SN"]:
            EntryCountry.objects.create(entry=self, country=code)

    @factory.post_generation
    def implementers(self, create, extracted, **kwargs):
        for position, name in enumerate(extracted or ()):
            EntryOrganisation.objects.create(
                entry=self, role=EntryOrganisation.Role.IMPLEMENTER, name=name, position=position
            )

    @factory.post_generation
    def donors(self, create, extracted, **kwargs):
        for position, name in enumerate(extracted or ()):
            EntryOrganisation.objects.create(
                entry=self, role=EntryOrganisation.Role.DONOR, name=name, position=position
            )

    @factory.post_generation
    def secondary(self, create, extracted, **kwargs):
        if extracted:
            self.secondary_domains.set(extracted)


def make_domains():
    """The five JVAP domains with their real names."""
    from jvap.spreadsheet import DOMAIN_NAMES

    return [
        DomainFactory(number=n, slug=f"domain-{n}", name=names[0], name_fr=names[1])
        for n, names in DOMAIN_NAMES.items()
    ]


def domains_by_number():
    return {domain.number: domain for domain in make_domains()}


def organisation_partner(acronym="IOM"):
    """A reporting partner that is an organisation rather than a state."""
    organisation = OrganisationFactory(name=f"Partner organisation {acronym}", acronym=acronym)
    return ReportingPartnerFactory(country="", organisation=organisation, code=acronym)


def give_access(user, partner, role=PartnerAccess.Role.FOCAL_POINT):
    return PartnerAccess.objects.create(user=user, partner=partner, role=role)


def make_focal_point(partner, username="focal", password="focal-pass-123"):
    """An account in the focal points' group with access to the partner."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from dialogues.roles import FOCAL_POINT

    user = get_user_model().objects.create_user(username, password=password)
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, partner)
    return user


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


class NotificationSettingsFactory(DjangoModelFactory):
    class Meta:
        model = NotificationSettings

    user = factory.SubFactory(UserFactory)
    review_mails = False
