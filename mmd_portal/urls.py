"""Root URL configuration: English at unprefixed addresses, French under /fr/.

The public addresses are a contract (issue 3): keep them stable.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="countries"),
    path(
        "countries/export.csv", views.country_list, {"export_format": "csv"}, name="country_export"
    ),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("search/", views.search_view, name="search"),
    path("", include("dialogues.urls")),
    path("jvap/", include("jvap.urls")),
    path("grants/", include("grants.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
