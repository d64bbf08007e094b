"""Pages that bring several apps together: the home page, the country pages and search."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import user_passes_test
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_GET
from django_countries import countries

from core import page_sections
from core.caching import query_parameters
from core.collation import sorted_by_name
from core.downloads import Column, csv_response
from dialogues.maps import MMD_MAP_LEGEND, mmd_map_layers
from dialogues.models import (
    ChairHistory,
    ChairTerm,
    Dialogue,
    Meeting,
    Membership,
    ProgrammePhase,
    SteeringCommitteeSeat,
    prefetch_card_dialogues,
)

from .figures import home_counts, home_figures
from .search import MAX_QUERY_LENGTH, search

# What the home page shows of an organisation (a chair, the phase's donor and implementer):
# its name and address, not its thirty other columns.
_ORGANISATION_LINK = ("slug", "name", "name_fr", "acronym", "acronym_fr")
_HOME_CHAIR_TERM = (
    *("dialogue", "country", "organisation", "start", "start_precision", "end", "end_precision"),
    *(f"organisation__{name}" for name in _ORGANISATION_LINK),
)
_PHASE = (
    *("name", "name_fr", "start", "start_precision", "end", "end_precision"),
    *("budget_eur", "eu_contribution_eur", "summary", "summary_fr", "objectives", "objectives_fr"),
    *("donor", "implementing_organisation"),
    *(f"donor__{name}" for name in _ORGANISATION_LINK),
    *(f"implementing_organisation__{name}" for name in _ORGANISATION_LINK),
)


def home(request):
    """The programme's front page: what MMD is, its components, figures, meetings, the map."""
    components = list(
        Dialogue.objects.filter(is_mmd_component=True)
        .only("slug", "name", "name_fr", "summary", "summary_fr")
        .prefetch_related(
            # Ordered by start only: the terms' own ordering begins with their dialogue, a join
            # to the dialogues for terms that are already grouped by dialogue here.
            Prefetch(
                "chair_terms",
                queryset=ChairTerm.objects.select_related("organisation")
                .only(*_HOME_CHAIR_TERM)
                .order_by("-start"),
            )
        )
        .order_by("display_order")
    )
    for dialogue in components:
        dialogue.chairs = dialogue.chair_history()
    phase = (
        ProgrammePhase.objects.filter(is_current=True)
        .select_related("donor", "implementing_organisation")
        .only(*_PHASE)
        .order_by("-start")
        .first()
    )
    upcoming = list(Meeting.objects.upcoming().for_cards()[:5])
    recent = list(Meeting.objects.recent().for_cards()[:5])
    prefetch_card_dialogues(upcoming, recent)
    counts = home_counts()
    figures = home_figures(counts)
    map_layers = mmd_map_layers(counts["mmd_map"])
    figure_groups: dict[str, list] = {}
    for figure in figures:
        figure_groups.setdefault(figure.group or "main", []).append(figure)
    return render(
        request,
        "home.html",
        {
            "components": components,
            "phase": phase,
            "figures": figures,
            "figure_groups": figure_groups,
            "upcoming": upcoming,
            "recent": recent,
            "map_classes": map_layers[0]["classes"],
            "map_legend": MMD_MAP_LEGEND,
            "map_layers": map_layers,
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
        is_current = membership.in_force_on(today)
        row(membership.country.code)["current" if is_current else "past"].append(membership)
    hosted = (
        Meeting.objects.exclude(country="")
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    for code, count in hosted:
        row(code)["hosted"] = count
    return sorted_by_name(by_code.values(), key=lambda r: r["name"])


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


# The columns the country page reads of its lists: its dialogues' names and addresses, the
# dates, roles and notes (a dialogue row has some thirty columns, descriptions and history).
_DIALOGUE_NAME = ("dialogue__slug", "dialogue__name", "dialogue__name_fr")
_DATES = ("start", "start_precision", "end", "end_precision")
_MEMBERSHIP = ("country", *_DIALOGUE_NAME, *_DATES, "role", "note", "note_fr")
_SEAT = ("country", *_DIALOGUE_NAME, *_DATES)
_CHAIR_TERM = (
    *("country", *_DIALOGUE_NAME, *_DATES),
    *("handover_meeting__slug", "handover_meeting__title", "handover_meeting__title_fr"),
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
        .only(*_MEMBERSHIP)
        .order_by("dialogue__display_order", "dialogue__name", "start")
    )
    for membership in memberships:
        membership.is_current = membership.in_force_on(today)
    seats = list(
        SteeringCommitteeSeat.objects.filter(country=iso2)
        .select_related("dialogue")
        .only(*_SEAT)
        .order_by("-start")
    )
    for seat in seats:
        seat.is_current = seat.in_force_on(today)
    chairs = ChairHistory.place_terms(
        ChairTerm.objects.filter(country=iso2)
        .select_related("dialogue", "handover_meeting")
        .only(*_CHAIR_TERM)
        .order_by("-start")
    )
    hosted = Meeting.objects.filter(country=iso2).for_cards()
    hosted_count = hosted.count()
    hosted_upcoming = list(hosted.upcoming()[:10])
    hosted_past = list(hosted.past()[:20])
    prefetch_card_dialogues(hosted_upcoming, hosted_past)
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


@query_parameters("q")
def search_view(request):
    """`/search/?q=`: one search across the portal, results grouped by kind."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    groups = search(query) if query else []
    # A kind with more results than it shows makes the total a lower bound: say so.
    return render(
        request,
        "mmd_portal/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(len(g.results) for g in groups),
            "total_is_exact": not any(g.more for g in groups),
        },
    )


# Example content of the style guide: data, like the database's, not interface text.
STYLE_GUIDE_SAMPLES = {
    "lead": "Every meeting of the dialogues, past and planned.",
    "cards": [
        ("Rabat Process", "Regional dialogue", "The Euro-African Dialogue on Migration."),
        ("Khartoum Process", "Regional dialogue", "The EU-Horn of Africa Migration Route."),
    ],
    "rows": [
        ("Legal pathways for young professionals", ["SN", "MA", "ES"], "2,191,000", "2021–2024"),
        ("Reintegration of returnees", ["NE"], "640,000", "2022–2025"),
    ],
    "success": "The upload was confirmed: 12 new, 3 updated, 40 unchanged.",
    "error": "type: Select a valid choice. garden-party is not one of the available choices.",
}


def _is_staff(user) -> bool:
    return user.is_active and user.is_staff


@user_passes_test(_is_staff)
def style_guide(request):
    """`/style/` (staff only): every component of the design system, live (static/css)."""
    from .figures import Figure

    sample_figures = [
        Figure(57, ngettext_lazy("member state", "member states", 57), reverse("countries")),
        Figure(1, ngettext_lazy("document", "documents", 1), reverse("dialogues:document_list")),
        Figure(9, ngettext_lazy("meeting held", "meetings held", 9)),
    ]
    return render(
        request,
        "style_guide.html",
        {
            "sample_figures": sample_figures,
            "sample_page": Paginator(range(100), 10).page(3),
            "sample": STYLE_GUIDE_SAMPLES,
        },
    )


FAVICON = Path(settings.BASE_DIR) / "static" / "icons" / "favicon.ico"


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links to."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


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
