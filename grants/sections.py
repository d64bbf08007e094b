"""The blocks the grants app adds to the dialogues' organisation, country and dialogue pages
(registered in `GrantsConfig.ready()`, so the dialogues app never imports this one)."""

from __future__ import annotations

from django.db.models import F, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from core.page_sections import PageSection

from .models import ConsortiumMember, Grant

ORDER = 60
LEAD = ConsortiumMember.Role.LEAD


def organisation_grants_section(organisation) -> PageSection | None:
    """The published grants an organisation leads or takes part in, with its role."""
    memberships = list(
        ConsortiumMember.objects.filter(
            organisation=organisation, grant__in=Grant.objects.published()
        )
        .select_related("grant")
        .order_by("role_order", "-grant__start")
    )
    if not memberships:
        return None
    return PageSection(
        heading=_("Grants of the MMD Grant Facility"),
        template="grants/includes/organisation_grants.html",
        context={"memberships": memberships},
        order=ORDER,
    )


def _grant_links_section(condition, heading, more_query: str) -> PageSection | None:
    """The published grants matching the condition, linked, newest first; None when none. The
    condition joins a table where a grant appears once at most (its dialogues, its
    countries), so no grant is repeated.

    Only what the list shows is read, in one query: each grant's title, address and years,
    and its lead applicant's name in both languages, joined (a grant has one lead at most, a
    constraint). A dialogue's 26 grants have 79 members: read whole with their
    organisations, through a prefetch that makes a queryset per grant, they cost more than the
    rest of the section; read by a second query, one more statement to compile and send. As
    two correlated subqueries, and the condition as EXISTS, the three compiled queries took
    2.8 ms of the Rabat Process's page (1.6 ms joined, at 100,000 entries)."""
    grants = list(
        Grant.objects.published()
        .filter(condition)
        .only("slug", "title", "title_fr", "start", "end")
        .alias(lead=FilteredRelation("consortium", condition=Q(consortium__role=LEAD)))
        .annotate(
            lead_name=F("lead__organisation__name"),
            lead_name_fr=F("lead__organisation__name_fr"),
        )
        .order_by("-start", "title")
    )
    if not grants:
        return None
    return PageSection(
        heading=heading,
        template="grants/includes/grant_links.html",
        context={"grants": grants, "more_query": more_query},
        order=ORDER,
    )


def country_grants_section(country_code) -> PageSection | None:
    """The published grants carried out in a country."""
    code = str(getattr(country_code, "code", country_code)).upper()
    return _grant_links_section(
        Q(countries__country=code),
        _("Grants implemented here"),
        f"country={code}",
    )


def dialogue_grants_section(dialogue) -> PageSection | None:
    """The published grants that contribute to a dialogue."""
    return _grant_links_section(
        Q(dialogues=dialogue),
        _("Grants linked to this dialogue"),
        f"dialogue={dialogue.slug}",
    )
