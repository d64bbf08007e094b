"""The blocks the grants app adds to the dialogues' organisation, country and dialogue pages
(registered in `GrantsConfig.ready()`, so the dialogues app never imports this one)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.page_sections import PageSection

from .models import ConsortiumMember, Grant, GrantCountry

ORDER = 60


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
    """The published grants matching the condition, linked, newest first; None when none.

    Only what the list shows is read, in one query: each grant's title, address and years,
    and its lead applicant's name (the first lead in the consortium's order, as
    `lead_member()`) in both languages, as subqueries (a dialogue's 26 grants have 79
    members: read whole with their organisations, through a prefetch that makes a queryset
    per grant, they cost more than the rest of the section; read by a second query, one
    more statement to compile and send)."""
    leads = ConsortiumMember.objects.filter(
        grant=OuterRef("pk"), role=ConsortiumMember.Role.LEAD
    ).order_by("role_order", "organisation__name")
    grants = list(
        Grant.objects.published()
        .filter(condition)
        .only("slug", "title", "title_fr", "start", "end")
        .annotate(
            lead_name=Subquery(leads.values("organisation__name")[:1]),
            lead_name_fr=Subquery(leads.values("organisation__name_fr")[:1]),
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
        Exists(GrantCountry.objects.filter(grant=OuterRef("pk"), country=code)),
        _("Grants implemented here"),
        f"country={code}",
    )


def dialogue_grants_section(dialogue) -> PageSection | None:
    """The published grants that contribute to a dialogue."""
    return _grant_links_section(
        Exists(Grant.dialogues.through.objects.filter(grant=OuterRef("pk"), dialogue=dialogue)),
        _("Grants linked to this dialogue"),
        f"dialogue={dialogue.slug}",
    )
