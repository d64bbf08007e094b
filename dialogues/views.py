"""The public pages of the dialogues app: dialogues, organisations, meetings and documents,
their listings with downloads, and the meetings' iCalendar feed."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import country_names, dates, page_sections
from core.collation import name_order, sorted_by_name
from core.downloads import Column, coded, country
from core.facets import Facet, choice_label, country_facet, year_facet
from core.listing import ListingView
from core.uploads import file_download_response

from .figures import meeting_type_counts
from .filters import DialogueFilter, DocumentFilter, MeetingFilter, OrganisationFilter
from .ical import meetings_calendar
from .maps import DIALOGUE_MAP_LEGEND, MMD_MAP_LEGEND, dialogue_map_classes, mmd_map_layers
from .models import (
    ChairHistory,
    ChairTerm,
    Dialogue,
    Document,
    FrameworkElement,
    Meeting,
    Membership,
    Organisation,
    SteeringCommitteeSeat,
    in_force,
)
from .templatetags.dialogue_page import participant_name

# --- Dialogues ---------------------------------------------------------------------------------


def _current_member_count(role: str) -> Count:
    return Count(
        "memberships",
        filter=Q(memberships__role=role) & in_force(prefix="memberships__"),
        distinct=True,
    )


class DialogueListView(ListingView):
    template_name = "dialogues/dialogue_list.html"
    filterset_class = DialogueFilter
    paginate_by = 100
    export_filename = "dialogues"
    export_url_name = "dialogues:dialogue_export"
    facets = (Facet("kind", option_label=choice_label(Dialogue.Kind.choices)),)
    export_columns = (
        Column(_("Name"), lambda d: d.localized("name")),
        Column(_("Short name"), lambda d: d.short_name),
        *coded(_("Kind"), lambda d: d.kind, lambda d: d.get_kind_display()),
        Column(_("Part of MMD"), lambda d: _("yes") if d.is_mmd_component else _("no")),
        Column(_("Established"), lambda d: d.year_established),
        # Empty rather than 0 where no states are recorded one by one (the C2CMMD's participants
        # are described in words): a zero would read as a fact.
        Column(_("Members"), lambda d: d.member_count or ""),
        Column(_("Observers"), lambda d: d.observer_count or ""),
        Column(_("Meetings"), lambda d: d.meeting_count),
        Column(_("Summary"), lambda d: d.localized("summary")),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map_layers"] = mmd_map_layers()
        context["map_classes"] = context["map_layers"][0]["classes"]
        context["map_legend"] = MMD_MAP_LEGEND
        return context

    def get_queryset(self):
        return Dialogue.objects.annotate(
            member_count=_current_member_count(Membership.Role.MEMBER),
            observer_count=_current_member_count(Membership.Role.OBSERVER),
            meeting_count=Count("meetings", distinct=True),
        ).order_by("display_order", "name")


# The columns the dialogue page reads of each list (a related manager also reads `dialogue`,
# to set it on each row): the rest (descriptions, source notes, history) it never shows.
_ORGANISATION_NAMES = (
    "organisation__slug",
    "organisation__name",
    "organisation__name_fr",
    "organisation__acronym",
    "organisation__acronym_fr",
)
_PARTICIPANT = ("dialogue", "country", "organisation", *_ORGANISATION_NAMES)
_MEMBERSHIP = (*_PARTICIPANT, "role", "start", "start_precision", "note", "note_fr")
_SEAT = (*_PARTICIPANT, "note", "note_fr")
_CHAIR_TERM = (
    *_PARTICIPANT,
    *("start", "start_precision", "end", "end_precision"),
    *("handover_meeting__slug", "handover_meeting__title", "handover_meeting__title_fr"),
)
_TIMELINE_MEETING = (
    *("slug", "title", "title_fr", "type", "start_date", "start_date_precision"),
    *("city", "city_fr", "country", "is_online"),
)
_DIALOGUE = tuple(field.name for field in Dialogue._meta.concrete_fields)
_FRAMEWORK = (
    *("dialogue", "name", "name_fr", "slug", "kind", "is_current", "summary", "summary_fr"),
    *("adopted_on", "adopted_on_precision", "adopted_at", "adopted_at_fr"),
    *("period_start_year", "period_end_year", "document__slug"),
)


def dialogue_detail(request, slug):
    """A dialogue: what it is, who takes part and steers it, where they are, what it met about.

    Each list reads only the columns the page shows, ordered without the models' default
    orderings (which join the dialogue, or the framework and its dialogue, to sort rows that
    all belong to one).
    """
    dialogue, successors = _dialogue_and_successors(slug)
    memberships = list(
        dialogue.memberships.current()
        .select_related("organisation")
        .only(*_MEMBERSHIP)
        .annotate(country_code=F("country"))
        .order_by("role", "country")
    )
    states = [m for m in memberships if m.country_code]
    name_of = country_names.namer()
    state_members = sorted_by_name(
        (m for m in states if m.role == Membership.Role.MEMBER),
        key=lambda m: name_of(m.country_code),
    )
    state_observers = sorted_by_name(
        (m for m in states if m.role == Membership.Role.OBSERVER),
        key=lambda m: name_of(m.country_code),
    )
    organisations = sorted_by_name(
        (m for m in memberships if m.organisation_id), key=lambda m: m.organisation.short_name
    )
    seats = sorted_by_name(
        dialogue.steering_committee_on()
        .select_related("organisation")
        .only(*_SEAT)
        .annotate(country_code=F("country"))
        .order_by("country", "organisation__name"),
        key=lambda seat: participant_name(seat, name_of),
    )
    chairs = ChairHistory.of(
        dialogue.chair_terms.select_related("organisation", "handover_meeting")
        .only(*_CHAIR_TERM)
        .annotate(country_code=F("country"))
        .order_by("-start")
    )
    frameworks = _frameworks_of(dialogue)
    meeting_counts = _meeting_type_counts(dialogue)
    upcoming_meetings = list(dialogue.meetings.upcoming().only(*_TIMELINE_MEETING)[:5])
    past_meetings = list(dialogue.meetings.past().only(*_TIMELINE_MEETING)[:12])
    documents = list(
        dialogue.documents.only("slug", "title", "title_fr", "kind", "date").order_by(
            "-date", "title"
        )[:10]
    )
    context = {
        "dialogue": dialogue,
        "state_members": state_members,
        "state_observers": state_observers,
        "organisation_members": organisations,
        "seats": seats,
        "chairs": chairs,
        "has_participants": bool(
            states or organisations or dialogue.participants_description or dialogue.records_as_of
        ),
        "frameworks": frameworks,
        "meeting_counts": meeting_counts,
        "meeting_total": sum(row["count"] for row in meeting_counts),
        "upcoming_meetings": upcoming_meetings,
        "past_meetings": past_meetings,
        "documents": documents,
        "successors": successors,
        "links": list(dialogue.links.order_by("label").only("dialogue", "label", "url")),
        "map_classes": dialogue_map_classes((m.country_code, m.role) for m in states),
        "map_legend": DIALOGUE_MAP_LEGEND,
        "sections": page_sections.sections_for("dialogue", dialogue),
    }
    return render(request, "dialogues/dialogue_detail.html", context)


def _dialogue_and_successors(slug: str) -> tuple[Dialogue, list[Dialogue]]:
    """The dialogue (with its predecessor and its kept meeting counts) and the dialogues
    continuing it, in one query. Of the predecessor the page shows the name and address only:
    its other thirty columns (descriptions, contacts, history) are not read."""
    rows = list(
        Dialogue.objects.select_related("predecessor", "meeting_type_counts")
        .only(
            *_DIALOGUE,
            *(f"predecessor__{name}" for name in ("slug", "name", "name_fr")),
            *("meeting_type_counts__data_version", "meeting_type_counts__counts"),
        )
        .filter(Q(slug=slug) | Q(predecessor__slug=slug))
    )
    dialogue = next((d for d in rows if d.slug == slug), None)
    if dialogue is None:
        raise Http404("No dialogue matches the given query.")
    return dialogue, [d for d in rows if d.predecessor_id == dialogue.pk]


def _frameworks_of(dialogue: Dialogue) -> list:
    """The dialogue's strategic frameworks, current first, each with its tree of elements.

    The elements are read by a plain query, unordered (the tree sorts them by their numbers),
    and grouped here: `prefetch_related` made a queryset per framework to hand each its
    elements (the Rabat Process has five)."""
    frameworks = list(
        dialogue.frameworks.select_related("document")
        .only(*_FRAMEWORK)
        .order_by("-is_current", "-adopted_on")
    )
    if not frameworks:
        return frameworks
    elements: dict[int, list] = {framework.pk: [] for framework in frameworks}
    rows = FrameworkElement.objects.filter(framework__in=frameworks).order_by()
    for element in rows.only("framework", "parent", "number", "title", "title_fr"):
        elements[element.framework_id].append(element)
    for framework in frameworks:
        framework.areas = _framework_tree(elements[framework.pk])
    return frameworks


def _framework_tree(elements) -> list:
    """Areas with their objectives and actions, in the framework's numbering."""
    elements = list(elements)
    children: dict[int | None, list] = {}
    for element in elements:
        children.setdefault(element.parent_id, []).append(element)
    for element in elements:
        element.sub_elements = sorted(children.get(element.pk, []), key=_number_key)
    return sorted(children.get(None, []), key=_number_key)


def _number_key(element) -> tuple:
    parts = []
    for part in element.number.replace("-", ".").split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(parts)


def _meeting_type_counts(dialogue: Dialogue) -> list[dict]:
    """How many of a dialogue's meetings are of each type, most first, with their labels."""
    labels = dict(Meeting.Type.choices)
    counts = [
        {"type": meeting_type, "label": labels.get(meeting_type, meeting_type), "count": count}
        for meeting_type, count in meeting_type_counts(dialogue).items()
    ]
    return sorted(counts, key=lambda row: (-row["count"], str(row["label"])))


# --- Organisations -----------------------------------------------------------------------------


def _dialogue_names() -> dict[str, str]:
    """The dialogues' short names by slug, in the visitor's language: the labels of the
    dialogue filter (one query)."""
    dialogues = Dialogue.objects.only("slug", "short_name", "short_name_fr")
    return {dialogue.slug: dialogue.localized("short_name") for dialogue in dialogues}


def dialogue_facet(*, distinct: bool | None = None) -> Facet:
    """`dialogue=<slug>` as checkboxes with the dialogues' short names. `distinct=False` where
    a row meets each dialogue at most once through the join (a unique link table, no other
    join that repeats rows)."""
    return Facet(
        "dialogue",
        "dialogues__slug",
        option_label=_dialogue_names().get,
        widget="checkboxes",
        distinct=distinct,
    )


class OrganisationListView(ListingView):
    template_name = "dialogues/organisation_list.html"
    filterset_class = OrganisationFilter
    export_filename = "organisations"
    export_url_name = "dialogues:organisation_export"
    export_columns = (
        Column(_("Name"), lambda o: o.localized("name")),
        Column(_("Acronym"), lambda o: o.acronym),
        *coded(_("Type"), lambda o: o.type, lambda o: o.get_type_display()),
        *country(_("Country"), lambda o: o.country),
        Column(_("Website"), lambda o: o.website),
        Column(_("Dialogues"), lambda o: o.dialogue_count),
    )

    def get_facets(self):
        return (
            Facet("type", option_label=choice_label(Organisation.Type.choices)),
            Facet(
                "dialogue",
                "membership__dialogue__slug",
                option_label=_dialogue_names().get,
                widget="checkboxes",
            ),
        )

    def get_queryset(self):
        organisations = Organisation.objects.order_by(name_order("name", translated=True), "pk")
        if self.kwargs.get("export_format"):
            # The download's "Dialogues" column. Not on the page: the join of the count
            # repeated each organisation once per membership in the facets' counts.
            return organisations.annotate(
                dialogue_count=Count("membership__dialogue", distinct=True)
            )
        return organisations


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("dialogue")
        .order_by("dialogue__display_order", "start")
    )
    seats = list(
        SteeringCommitteeSeat.objects.filter(organisation=organisation)
        .select_related("dialogue")
        .order_by("-start")
    )
    chairs = ChairHistory.place_terms(
        ChairTerm.objects.filter(organisation=organisation)
        .select_related("dialogue", "handover_meeting")
        .order_by("-start")
    )
    return render(
        request,
        "dialogues/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "seats": seats,
            "chairs": chairs,
            "sections": page_sections.sections_for("organisation", organisation),
        },
    )


# --- Meetings ----------------------------------------------------------------------------------


def _dialogue_list(obj) -> str:
    return "; ".join(d.localized("short_name") for d in obj.dialogues.all())


# The dialogues of a meeting or document: their identifiers (the `dialogue` filter's values)
# and their short names.
DIALOGUE_COLUMNS = coded(
    _("Dialogues"), lambda obj: "; ".join(d.slug for d in obj.dialogues.all()), _dialogue_list
)


def _date_cell(record, field_name: str):
    """A date cell of a download: the date itself when its day is known (a date cell in
    spreadsheets), else its ISO text as far as it is known ("2008-11", "2008")."""
    value = getattr(record, field_name)
    if value is None or dates.precision_of(record, field_name) == dates.DatePrecision.DAY:
        return value
    return dates.iso(value, dates.precision_of(record, field_name))


class MeetingListView(ListingView):
    template_name = "dialogues/meeting_list.html"
    filterset_class = MeetingFilter
    export_filename = "meetings"
    export_url_name = "dialogues:meeting_export"
    export_columns = (
        Column(_("Title"), lambda m: m.localized("title")),
        *coded(_("Type"), lambda m: m.type, lambda m: m.get_type_display()),
        *DIALOGUE_COLUMNS,
        # A date known only to the month or year is exported as "2008-11" or "2008".
        Column(_("Start date"), lambda m: _date_cell(m, "start_date")),
        Column(_("End date"), lambda m: _date_cell(m, "end_date") or _date_cell(m, "start_date")),
        Column(_("City"), lambda m: m.localized("city")),
        *country(_("Country"), lambda m: m.country),
        Column(_("Online"), lambda m: _("yes") if m.is_online else _("no")),
        *coded(_("Status"), lambda m: m.status, lambda m: m.get_status_display()),
        Column(_("Participants"), lambda m: m.participants_count),
        Column(_("Address"), lambda m: m.get_absolute_url()),
    )

    def get_queryset(self):
        return Meeting.objects.for_listing().in_reading_order()

    def paginate_queryset(self, queryset, page_size):
        """The page's meetings as their cards read them (`for_cards()`, their dialogues as a
        list); downloads and calendars keep `for_listing()`."""
        cards = queryset.prefetch_related(None).for_cards().with_card_dialogues()
        return super().paginate_queryset(cards, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["calendar_url"] = reverse("dialogues:meeting_calendar")
        return context

    def get_facets(self):
        return (
            # A meeting is linked to a dialogue once (the link table is unique) and the other
            # filters read the meeting's own columns: its rows are counted without DISTINCT,
            # which made PostgreSQL sort the whole join (5,000 meetings: ~30 -> ~16 ms).
            dialogue_facet(distinct=False),
            Facet("type", option_label=choice_label(Meeting.Type.choices)),
            year_facet("year", "start_date"),
            country_facet(case="lower"),
            Facet("status", option_label=choice_label(Meeting.Status.choices)),
        )


class MeetingCalendarView(MeetingListView):
    """`/meetings.ics`: the meetings matching the listing's parameters, to subscribe to."""

    paginate_by = None

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            messages = "; ".join(
                str(m) for errors in filterset.form.errors.values() for m in errors
            )
            return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
        # A calendar event needs its days: meetings known only by month or year are left out.
        meetings = filterset.qs.filter(start_date_precision=dates.DatePrecision.DAY)
        body = meetings_calendar(
            meetings.order_by("start_date", "pk"), request, self.calendar_name()
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.calendar_filename()}"'
        return response

    def calendar_name(self) -> str:
        return ""

    def calendar_filename(self) -> str:
        return "mmd-meetings.ics"


class DialogueCalendarView(MeetingCalendarView):
    """`/dialogues/<slug>/meetings.ics`: one dialogue's meetings, to subscribe to; the
    listing's parameters narrow it further."""

    def get_queryset(self):
        self.dialogue = get_object_or_404(Dialogue, slug=self.kwargs["slug"])
        return super().get_queryset().filter(dialogues=self.dialogue)

    def calendar_name(self) -> str:
        return _("%(dialogue)s meetings") % {"dialogue": self.dialogue.short_name}

    def calendar_filename(self) -> str:
        return f"{self.dialogue.slug}-meetings.ics"


def meeting_detail(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.prefetch_related(
            "dialogues",
            "thematic_areas",
            "photos",
            Prefetch("documents", queryset=Document.objects.order_by("-date", "title")),
        ),
        slug=slug,
    )
    return render(request, "dialogues/meeting_detail.html", {"meeting": meeting})


# --- Documents ---------------------------------------------------------------------------------


class DocumentListView(ListingView):
    template_name = "dialogues/document_list.html"
    filterset_class = DocumentFilter
    export_filename = "documents"
    export_url_name = "dialogues:document_export"
    export_columns = (
        Column(_("Title"), lambda d: d.localized("title")),
        *coded(_("Kind"), lambda d: d.kind, lambda d: d.get_kind_display()),
        *coded(_("Language"), lambda d: d.language, lambda d: d.get_language_display()),
        Column(_("Date"), lambda d: d.date),
        *DIALOGUE_COLUMNS,
        Column(_("Meeting"), lambda d: d.meeting.localized("title") if d.meeting else ""),
        Column(_("Link"), lambda d: d.url),
        Column(_("Address"), lambda d: d.get_absolute_url()),
    )

    def get_queryset(self):
        return Document.objects.for_listing()

    def get_facets(self):
        return (
            dialogue_facet(),
            Facet("kind", option_label=choice_label(Document.Kind.choices)),
            Facet("language", option_label=choice_label(Document.Language.choices)),
            year_facet("year", "date"),
        )


def document_detail(request, slug):
    document = get_object_or_404(
        Document.objects.select_related("meeting").prefetch_related("dialogues"), slug=slug
    )
    return render(request, "dialogues/document_detail.html", {"document": document})


def document_download(request, slug):
    """The document's file with its content type, or its online address."""
    document = get_object_or_404(Document, slug=slug)
    if not document.file:
        if document.url:
            return redirect(document.url)
        raise Http404
    # Stored names are random (core.uploads); the visitor gets a readable one.
    filename = f"{document.slug}{Path(document.file.name).suffix.lower()}"
    try:
        return file_download_response(document.file, filename, as_attachment=True)
    except FileNotFoundError as error:
        raise Http404 from error
