"""Addresses of the JVAP app. The public database (/jvap/, /jvap/<id>/, /jvap/export.*,
/jvap/dashboard/) is added next to these; the upload pages are for focal points only."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "jvap"

urlpatterns = [
    path("template.xlsx", views.template_download, name="template"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("upload/<int:pk>/", views.UploadPreviewView.as_view(), name="upload_preview"),
    path("upload/<int:pk>/file/", views.UploadFileView.as_view(), name="upload_file"),
    path("upload/entries/", views.EntryReviewListView.as_view(), name="upload_entries"),
    path("upload/contributors/", views.ContributorsView.as_view(), name="upload_contributors"),
    path(
        "upload/contributors/<int:pk>/remove/",
        views.ContributorRemoveView.as_view(),
        name="upload_contributor_remove",
    ),
    path(
        "upload/login/",
        auth_views.LoginView.as_view(
            template_name="jvap/upload/login.html", next_page=reverse_lazy("jvap:upload")
        ),
        name="login",
    ),
    path(
        "upload/logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("jvap:login")),
        name="logout",
    ),
]

# --- The public JVAP database (jvap-public branch) -------------------------------------------
from django.urls import re_path  # noqa: E402

from .dashboard import CHARTS  # noqa: E402

urlpatterns += [
    path("", views.EntryListView.as_view(), name="entry_list"),
    re_path(
        r"^export\.(?P<export_format>csv|xlsx|json)$",
        views.EntryListView.as_view(),
        name="export",
    ),
    path("<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    re_path(
        r"^dashboard/(?P<chart>" + "|".join(CHARTS) + r")\.csv$",
        views.DashboardChartCsvView.as_view(),
        name="dashboard_chart_csv",
    ),
]
