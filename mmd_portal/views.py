"""Pages that bring several apps together: the home page, the country pages and search."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_countries import countries

from dialogues import page_sections
from dialogues.listing import Column, csv_response
from dialogues.maps import MMD_MAP_LEGEND, mmd_map_classes
from dialogues.models import (
    ChairHistory,
    ChairTerm,
    Dialogue,
    Meeting,
    Membership,
    ProgrammePhase,
    SteeringCommitteeSeat,
)

from .figures import home_figures
from .search import MAX_QUERY_LENGTH, search


def home(request):
    """The programme's front page: what MMD is, its components, figures, meetings, the map."""
    components = list(
        Dialogue.objects.filter(is_mmd_component=True)
        .prefetch_related(
            Prefetch("chair_terms", queryset=ChairTerm.objects.select_related("organisation"))
        )
        .order_by("display_order")
    )
    for dialogue in components:
        dialogue.chairs = dialogue.chair_history()
    phase = (
        ProgrammePhase.objects.filter(is_current=True)
        .select_related("donor", "implementing_organisation")
        .order_by("-start")
        .first()
    )
    upcoming = list(Meeting.objects.upcoming().for_listing()[:5])
    recent = list(Meeting.objects.recent().for_listing()[:5])
    return render(
        request,
        "home.html",
        {
            "components": components,
            "phase": phase,
            "figures": home_figures(),
            "upcoming": upcoming,
            "recent": recent,
            "map_classes": mmd_map_classes(),
            "map_legend": MMD_MAP_LEGEND,
        },
    )


def _country_rows() -> list[dict]:
    """Every state that takes or took part in a dialogue or hosted a meeting, with how."""
    today = timezone.localdate()
    by_code: dict[str, dict] = {}

    def row(code):
        return by_code.setdefault(
            code,
            {"code": code, "name": countries.name(code), "current": [], "past": [], "hosted": 0},
        )

    memberships = (
        Membership.objects.exclude(country="")
        .select_related("dialogue")
        .order_by("dialogue__display_order", "dialogue__name")
    )
    for membership in memberships:
        is_current = (membership.start is None or membership.start <= today) and (
            membership.end is None or membership.end >= today
        )
        row(membership.country.code)["current" if is_current else "past"].append(membership)
    hosted = (
        Meeting.objects.exclude(country="")
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    for code, count in hosted:
        row(code)["hosted"] = count
    return sorted(by_code.values(), key=lambda r: str(r["name"]))


def country_list(request, export_format=None):
    rows = _country_rows()
    if export_format == "csv":
        columns = (
            Column(_("Country"), lambda r: r["name"]),
            Column(_("ISO code"), lambda r: r["code"]),
            Column(
                _("Member of"),
                lambda r: "; ".join(
                    m.dialogue.short_name for m in r["current"] if m.role == Membership.Role.MEMBER
                ),
            ),
            Column(
                _("Observer in"),
                lambda r: "; ".join(
                    m.dialogue.short_name
                    for m in r["current"]
                    if m.role == Membership.Role.OBSERVER
                ),
            ),
            Column(_("Meetings hosted"), lambda r: r["hosted"]),
        )
        return csv_response(rows, columns, f"countries-{timezone.localdate():%Y-%m-%d}")
    return render(
        request,
        "mmd_portal/country_list.html",
        {
            "countries": rows,
            "export_formats": ("csv",),
            "export_base_url": reverse("country_export").rsplit(".", 1)[0],
        },
    )


def country_detail(request, code):
    """A state: the dialogues it takes part in and how, its seats and chairs, meetings hosted."""
    if code != code.lower():
        return redirect("country_detail", code=code.lower(), permanent=True)
    iso2 = code.upper()
    name = countries.name(iso2)
    if not name:
        raise Http404(_("There is no country with this code."))
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(country=iso2)
        .select_related("dialogue")
        .order_by("dialogue__display_order", "dialogue__name", "start")
    )
    for membership in memberships:
        membership.is_current = (membership.start is None or membership.start <= today) and (
            membership.end is None or membership.end >= today
        )
    seats = list(
        SteeringCommitteeSeat.objects.filter(country=iso2)
        .select_related("dialogue")
        .order_by("-start")
    )
    for seat in seats:
        seat.is_current = (seat.start is None or seat.start <= today) and (
            seat.end is None or seat.end >= today
        )
    chairs = ChairHistory.place_terms(
        ChairTerm.objects.filter(country=iso2)
        .select_related("dialogue", "handover_meeting")
        .order_by("-start")
    )
    hosted = Meeting.objects.filter(country=iso2).for_listing()
    hosted_count = hosted.count()
    hosted_upcoming = list(hosted.upcoming()[:10])
    hosted_past = list(hosted.past()[:20])
    return render(
        request,
        "mmd_portal/country_detail.html",
        {
            "code": iso2,
            "country_name": name,
            "memberships": memberships,
            "seats": seats,
            "chairs": chairs,
            "hosted_upcoming": hosted_upcoming,
            "hosted": hosted_past,
            "hosted_shown": len(hosted_upcoming) + len(hosted_past),
            "hosted_count": hosted_count,
            "sections": page_sections.sections_for("country", iso2),
        },
    )


def search_view(request):
    """`/search/?q=`: one search across the portal, results grouped by kind."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    groups = search(query) if query else []
    return render(
        request,
        "mmd_portal/search.html",
        {"query": query, "groups": groups, "total": sum(len(g.results) for g in groups)},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}",
        "Disallow: /search/",
        "Disallow: /fr/search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
