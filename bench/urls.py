"""The portal's URLs plus a trivial view, so that each page's cost reads as a ratio."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The least a Django view can do: the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/trivial/", trivial),
    path("", include("mmd_portal.urls")),
]
