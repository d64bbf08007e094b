"""`/api/v1/`: the versioned read-only API, its OpenAPI schema and its documentation page
(Swagger UI from drf-spectacular-sidecar's static files: nothing from a CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import VIEWSETS, CountryViewSet

app_name = "api"

router = DefaultRouter()
for prefix, viewset in VIEWSETS.items():
    router.register(prefix, viewset, basename=prefix)
router.register("countries", CountryViewSet, basename="countries")


class SchemaView(SpectacularAPIView):
    # The page cache keeps only the parameters a view declares (core.caching).
    query_parameters = ("format", "lang")


class DocsView(SpectacularSwaggerSplitView):
    query_parameters = ("script",)


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
