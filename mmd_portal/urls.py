"""Root URL configuration: English at unprefixed addresses, French under /fr/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import media, views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", views.home, name="home"),
    path("", include("dialogues.urls")),
    path("jvap/", include("jvap.urls")),
    path("grants/", include("grants.urls")),
    prefix_default_language=False,
)

# Uploaded files, with their type and as downloads (trust section; see mmd_portal.media). A
# front server may serve MEDIA_ROOT itself if it sends the same headers (README).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media.serve_media, name="media"),
]
