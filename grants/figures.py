"""The Grant Facility's live figures, computed in the database from the published grants.

`facility_figures()` gives all of them (the grants page); the home page shows two, counted
alone by `facility_counts()`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from core import country_names
from core.collation import sorted_by_name
from dialogues.models import Organisation

from .models import Grant, GrantCountry, Partnership


@dataclass
class OrganisationTypeShare:
    type: str
    label: str
    count: int
    percent: int


@dataclass
class FacilityFigures:
    grants: int = 0
    organisations: int = 0
    countries: int = 0
    total_awarded_eur: Decimal = Decimal(0)
    south_north: int = 0
    south_south: int = 0
    organisation_types: list[OrganisationTypeShare] = field(default_factory=list)
    country_codes: list[str] = field(default_factory=list)

    def country_list(self) -> list[tuple[str, str]]:
        """(code, name) of the countries of implementation, by name."""
        name_of = country_names.namer()
        return sorted_by_name(
            ((code, name_of(code)) for code in self.country_codes), key=lambda pair: pair[1]
        )


def facility_figures(*, country_codes: Iterable[str] | None = None) -> FacilityFigures:
    """Grants, organisations, countries, total awarded, partnership kinds and the share of each
    organisation type, over the published grants; each organisation and country counted once.

    Two queries: a row per member of a published grant (a few hundred), counted here, and the
    countries of implementation. The partnerships are classified in Python
    (`Partnership.of`): as conditional counts in SQL (a correlated EXISTS per grant and
    continent, long IN lists planned again each time) the same figures took 25 ms at 300
    grants on PostgreSQL, the member rows take ~3 ms. `country_codes` gives the countries of
    implementation when the caller has read them already (the grants listing, for its country
    filter): one query fewer."""
    amounts: dict[int, Decimal] = {}
    member_countries: dict[int, set[str | None]] = defaultdict(set)
    organisation_types: dict[int, str] = {}
    members = (
        Grant.objects.published()
        .order_by()
        .values_list(
            "pk",
            "amount_eur",
            "consortium__organisation",
            "consortium__organisation__type",
            "consortium__organisation__country",
        )
    )
    for pk, amount, organisation, organisation_type, country in members:
        amounts[pk] = amount
        member_countries[pk].add(country)
        if organisation is not None:
            organisation_types[organisation] = organisation_type
    partnerships = Counter(Partnership.of(codes) for codes in member_countries.values())
    by_type = sorted(
        Counter(organisation_types.values()).items(), key=lambda pair: (-pair[1], pair[0])
    )
    organisations = len(organisation_types)
    labels = dict(Organisation.Type.choices)
    shares = [
        OrganisationTypeShare(
            type=kind,
            label=str(labels.get(kind, kind)),
            count=count,
            percent=round(100 * count / organisations),
        )
        for kind, count in by_type
    ]
    if country_codes is not None:
        codes = sorted(country_codes)
    else:
        codes = list(
            GrantCountry.objects.filter(grant__in=Grant.objects.published())
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
    return FacilityFigures(
        grants=len(amounts),
        organisations=organisations,
        countries=len(codes),
        total_awarded_eur=sum(amounts.values(), Decimal(0)),
        south_north=partnerships[Partnership.SOUTH_NORTH.value],
        south_south=partnerships[Partnership.SOUTH_SOUTH.value],
        organisation_types=shares,
        country_codes=codes,
    )


@dataclass(frozen=True)
class FacilityCounts:
    """Published grants and the organisations in their consortia, each counted once."""

    grants: int
    organisations: int


def facility_counts() -> FacilityCounts:
    """The two figures the home page shows, counted in one aggregate query (~3 ms at 300
    grants on PostgreSQL, where `facility_figures` reads and classifies every member row for
    figures the home page does not show, ~8 ms)."""
    counts = (
        Grant.objects.published()
        .order_by()
        .aggregate(
            grants=Count("pk", distinct=True),
            organisations=Count("consortium__organisation", distinct=True),
        )
    )
    return FacilityCounts(**counts)
