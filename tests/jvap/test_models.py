"""The JVAP records: one visibility rule, references unique per partner, database rules."""

import datetime

import pytest
from django.db import IntegrityError

from jvap.models import JvapEntry, ReportingPartner
from tests.dialogues.factories import OrganisationFactory

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
    JvapEntryFactory(
        reference="old", start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2016, 12, 31)
    )
    running = JvapEntryFactory(reference="running", start_date=datetime.date(2018, 1, 1))
    assert list(JvapEntry.objects.active_in(2020)) == [running]


def test_current_campaign_is_the_open_one_else_the_latest_opened():
    from jvap.models import DataCollectionCampaign

    from .factories import CampaignFactory

    CampaignFactory(year=2024)
    open_now = CampaignFactory(year=2025)
    CampaignFactory(year=2026)
    assert DataCollectionCampaign.current(datetime.date(2025, 6, 1)) == open_now
    assert DataCollectionCampaign.current(datetime.date(2027, 3, 1)).year == 2026


def test_focal_point_group_may_only_view_entries_and_uploads(focal_point_group):
    codenames = set(
        focal_point_group.permissions.filter(content_type__app_label="jvap").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_jvapentry", "view_entryupload"}


def test_country_domain_and_text_filters_return_each_entry_once():
    from jvap.models import EntryOrganisation
    from tests.dialogues.factories import DomainFactory

    two_countries = JvapEntryFactory(reference="a", title="Border work", countries=["NE", "ML"])
    two_countries.secondary_domains.add(DomainFactory(number=3, slug="domain-3"))
    EntryOrganisation.objects.create(entry=two_countries, role="donor", name="Kingdom of Spain")
    EntryOrganisation.objects.create(entry=two_countries, role="implementer", name="Spain NGO")
    other = JvapEntryFactory(reference="b", title="Other", countries=["SN"])
    entries = JvapEntry.objects.all()
    assert list(entries.in_countries(["NE", "ML"])) == [two_countries]
    assert list(entries.in_countries(["NE", "SN"]).order_by("reference")) == [two_countries, other]
    assert list(entries.in_domains([3])) == [two_countries]
    assert list(entries.in_domains([1]).order_by("reference")) == [two_countries, other]
    assert list(entries.search("spain")) == [two_countries]
    assert list(entries.search("other")) == [other]
