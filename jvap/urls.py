"""Addresses of the JVAP app: the public database (/jvap/, /jvap/<id>/, /jvap/export.*,
/jvap/dashboard/) and the upload pages, for focal points only."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy

from .dashboard import CHARTS
from .views import public, upload

app_name = "jvap"

urlpatterns = [
    path("template.xlsx", upload.template_download, name="template"),
    path("upload/", upload.UploadView.as_view(), name="upload"),
    path("upload/<int:pk>/", upload.UploadPreviewView.as_view(), name="upload_preview"),
    path("upload/<int:pk>/file/", upload.UploadFileView.as_view(), name="upload_file"),
    path("upload/<int:pk>/errors.xlsx", upload.UploadErrorsView.as_view(), name="upload_errors"),
    path("upload/entries/", upload.EntryReviewListView.as_view(), name="upload_entries"),
    path("upload/contributors/", upload.ContributorsView.as_view(), name="upload_contributors"),
    path("upload/notifications/", upload.NotificationSettingsView.as_view(), name="notifications"),
    path(
        "upload/welcome/<uidb64>/<token>/",
        upload.ContributorWelcomeView.as_view(),
        name="contributor_welcome",
    ),
    path(
        "upload/contributors/<int:pk>/remove/",
        upload.ContributorRemoveView.as_view(),
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
    path("", public.EntryListView.as_view(), name="entry_list"),
    re_path(
        r"^export\.(?P<export_format>csv|xlsx|json)$",
        public.EntryListView.as_view(),
        name="export",
    ),
    path("<int:pk>/", public.EntryDetailView.as_view(), name="entry_detail"),
    path("dashboard/", public.DashboardView.as_view(), name="dashboard"),
    re_path(
        r"^dashboard/(?P<chart>" + "|".join(CHARTS) + r")\.csv$",
        public.DashboardChartCsvView.as_view(),
        name="dashboard_chart_csv",
    ),
]
