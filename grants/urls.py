"""Addresses of the Grant Facility's pages (a public contract: keep them stable)."""

from django.urls import path, re_path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.GrantListView.as_view(), name="grant_list"),
    # `export` and `calls/` come before `<slug>/`, or they would be read as grant slugs.
    re_path(
        r"^export\.(?P<export_format>csv|xlsx)$", views.GrantListView.as_view(), name="grant_export"
    ),
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
    path("<slug:slug>/", views.GrantDetailView.as_view(), name="grant_detail"),
]
