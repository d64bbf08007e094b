"""The Grant Facility's live figures, computed in the database from the published grants.

The home page may show them too: `facility_figures()` is the one function to call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django_countries import countries as country_names

from core.collation import sorted_by_name
from dialogues.models import Organisation

from .models import ConsortiumMember, Grant, GrantCountry, Partnership


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
        return sorted_by_name(
            ((code, str(country_names.name(code))) for code in self.country_codes),
            key=lambda pair: pair[1],
        )


def facility_figures() -> FacilityFigures:
    """Grants, organisations, countries, total awarded, partnership kinds and the share of each
    organisation type, over the published grants; each organisation and country counted once."""
    published = Grant.objects.published()
    totals = published.with_partnership().aggregate(
        grants=Count("pk"),
        total=Sum("amount_eur"),
        south_north=Count("pk", filter=Q(partnership=Partnership.SOUTH_NORTH)),
        south_south=Count("pk", filter=Q(partnership=Partnership.SOUTH_SOUTH)),
    )
    in_a_published_grant = ConsortiumMember.objects.filter(
        organisation=OuterRef("pk"), grant__in=Grant.objects.published()
    )
    by_type = (
        Organisation.objects.filter(Exists(in_a_published_grant))
        .values("type")
        .annotate(count=Count("pk"))
        .order_by("-count", "type")
    )
    by_type = list(by_type)
    organisations = sum(row["count"] for row in by_type)
    labels = dict(Organisation.Type.choices)
    shares = [
        OrganisationTypeShare(
            type=row["type"],
            label=str(labels.get(row["type"], row["type"])),
            count=row["count"],
            percent=round(100 * row["count"] / organisations) if organisations else 0,
        )
        for row in by_type
    ]
    codes = list(
        GrantCountry.objects.filter(grant__in=Grant.objects.published())
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    return FacilityFigures(
        grants=totals["grants"],
        organisations=organisations,
        countries=len(codes),
        total_awarded_eur=totals["total"] or Decimal(0),
        south_north=totals["south_north"],
        south_south=totals["south_south"],
        organisation_types=shares,
        country_codes=codes,
    )
