"""The JVAP records: one visibility rule, references unique per partner, database rules."""

import pytest
from django.db import IntegrityError

from jvap.models import JvapEntry, ReportingPartner
from tests.factories import OrganisationFactory

from .factories import JvapEntryFactory, ReportingPartnerFactory, give_access

pytestmark = pytest.mark.django_db


def test_only_published_entries_are_public():
    published = JvapEntryFactory()
    JvapEntryFactory(review_state=JvapEntry.ReviewState.SUBMITTED)
    JvapEntryFactory(review_state=JvapEntry.ReviewState.RETURNED)
    assert list(JvapEntry.objects.published()) == [published]


def test_reference_is_unique_per_partner_but_not_across_partners():
    senegal = ReportingPartnerFactory(country="SN")
    mali = ReportingPartnerFactory(country="ML")
    JvapEntryFactory(partner=senegal, reference="1003")
    JvapEntryFactory(partner=mali, reference="1003")
    with pytest.raises(IntegrityError):
        JvapEntryFactory(partner=senegal, reference="1003")


def test_focal_point_sees_only_their_partners_entries(django_user_model):
    senegal = ReportingPartnerFactory(country="SN")
    mali = ReportingPartnerFactory(country="ML")
    own = JvapEntryFactory(partner=senegal, review_state=JvapEntry.ReviewState.SUBMITTED)
    JvapEntryFactory(partner=mali)
    user = django_user_model.objects.create_user("fp", password="x" * 12)
    give_access(user, senegal)
    assert list(JvapEntry.objects.visible_to(user)) == [own]


def test_secretariat_sees_every_entry(secretariat_user):
    JvapEntryFactory(partner=ReportingPartnerFactory(country="SN"))
    JvapEntryFactory(partner=ReportingPartnerFactory(country="ML"))
    assert JvapEntry.objects.visible_to(secretariat_user).count() == 2


def test_partner_code_is_the_iso_code_or_the_organisations_acronym():
    assert ReportingPartner.for_code("sn").code == "SN"
    OrganisationFactory(acronym="IOM", name="International Organization for Migration")
    partner = ReportingPartner.for_code("iom")
    assert partner.code == "IOM" and partner.organisation.acronym == "IOM"
    assert ReportingPartner.for_code("nowhere") is None


def test_active_in_year_counts_open_ended_entries():
    import datetime

    JvapEntryFactory(
        reference="old", start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2016, 12, 31)
    )
    running = JvapEntryFactory(reference="running", start_date=datetime.date(2018, 1, 1))
    assert list(JvapEntry.objects.active_in(2020)) == [running]
