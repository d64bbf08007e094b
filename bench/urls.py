"""The portal's URLs plus a trivial view, so that each page's cost reads as a ratio."""

from django.http import HttpResponse
from django.urls import path

from mmd_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The least a Django view can do: the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")


# The portal's patterns are listed, not included: i18n_patterns cannot be included.
urlpatterns = [path("__bench__/trivial/", trivial), *portal_urlpatterns]
