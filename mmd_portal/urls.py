"""Root URL configuration: English at unprefixed addresses, French under /fr/.

The public addresses are a contract: keep them stable.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from core.health import HealthView

from . import media, views
from .security import ThrottledPasswordResetView
from .sitemaps import SITEMAPS

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # For the load balancer: 200 when every part answers, 500 naming the one that does not.
    path(
        "health/",
        HealthView.as_view(
            checks=[
                "health_check.checks.Database",
                "health_check.checks.Cache",
                "health_check.checks.Storage",
                "core.health.TaskBackend",
            ]
        ),
        name="health",
    ),
    # The public API is versioned in its address and speaks both languages (`?lang=fr`).
    path("api/v1/", include("mmd_portal.api.urls")),
]

urlpatterns += i18n_patterns(
    # Password reset by e-mail (trust section); the name makes the admin's login page link to it.
    path(
        f"{settings.ADMIN_PATH}password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="countries"),
    path(
        "countries/export.csv", views.country_list, {"export_format": "csv"}, name="country_export"
    ),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("search/", views.search_view, name="search"),
    path("style/", views.style_guide, name="style_guide"),
    path("", include("dialogues.urls")),
    path("jvap/", include("jvap.urls")),
    path("grants/", include("grants.urls")),
    path("", include("mmd_portal.opendata.urls")),
    prefix_default_language=False,
)

# Uploaded files, with their type and as downloads (trust section; see mmd_portal.media). A
# front server may serve MEDIA_ROOT itself if it sends the same headers (README).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media.serve_media, name="media"),
]
