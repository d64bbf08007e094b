"""Builders of published and unpublished JVAP entries for the public pages' tests."""

import datetime
from decimal import Decimal

from jvap.models import EntryOrganisation, JvapEntry
from tests.factories import OrganisationFactory
from tests.jvap.factories import JvapEntryFactory, ReportingPartnerFactory, make_domains


def domains_by_number():
    return {domain.number: domain for domain in make_domains()}


def organisation_partner(acronym="IOM"):
    organisation = OrganisationFactory(name=f"Partner organisation {acronym}", acronym=acronym)
    return ReportingPartnerFactory(country="", organisation=organisation, code=acronym)


def make_entry(
    *,
    domain,
    countries=("SN",),
    implementers=(),
    donors=(),
    secondary=(),
    budget=None,
    start=None,
    end=None,
    **fields,
):
    """An entry with its countries, organisations and secondary domains (published unless
    `review_state` says otherwise)."""
    if start and isinstance(start, str):
        start = datetime.date.fromisoformat(start)
    if end and isinstance(end, str):
        end = datetime.date.fromisoformat(end)
    entry = JvapEntryFactory(
        domain=domain,
        countries=list(countries),
        budget_eur=Decimal(budget) if budget is not None else None,
        start_date=start,
        end_date=end,
        **fields,
    )
    for position, name in enumerate(implementers):
        EntryOrganisation.objects.create(
            entry=entry, role=EntryOrganisation.Role.IMPLEMENTER, name=name, position=position
        )
    for position, name in enumerate(donors):
        EntryOrganisation.objects.create(
            entry=entry, role=EntryOrganisation.Role.DONOR, name=name, position=position
        )
    entry.secondary_domains.set(secondary)
    return entry


UNPUBLISHED = (JvapEntry.ReviewState.SUBMITTED, JvapEntry.ReviewState.RETURNED)
