"""Public addresses of the dialogues app (a public contract: keep them stable)."""

from django.urls import path

from . import views

app_name = "dialogues"


def listing(prefix: str, view, name: str) -> list:
    """A listing and its CSV download: `/<prefix>/` and `/<prefix>/export.csv`."""
    return [
        path(f"{prefix}/", view.as_view(), name=f"{name}_list"),
        path(
            f"{prefix}/export.csv", view.as_view(), {"export_format": "csv"}, name=f"{name}_export"
        ),
    ]


urlpatterns = [
    *listing("dialogues", views.DialogueListView, "dialogue"),
    path("dialogues/<slug:slug>/", views.dialogue_detail, name="dialogue_detail"),
    path(
        "dialogues/<slug:slug>/meetings.ics",
        views.DialogueCalendarView.as_view(),
        name="dialogue_calendar",
    ),
    *listing("organisations", views.OrganisationListView, "organisation"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    *listing("meetings", views.MeetingListView, "meeting"),
    path("meetings.ics", views.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    *listing("documents", views.DocumentListView, "document"),
    path("documents/<slug:slug>/", views.document_detail, name="document_detail"),
    path("documents/<slug:slug>/download/", views.document_download, name="document_download"),
]
