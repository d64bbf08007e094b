"""The open-data pages and files: the IATI export of the JVAP projects (more to come)."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse

from jvap.filters import JvapEntryFilter
from jvap.models import JvapEntry

from . import iati


def jvap_iati(request):
    """`/open-data/jvap-iati.xml`: the published JVAP projects as IATI 2.03 activities, filtered
    by the JVAP listing's parameters (`?country=SN&domain=2`)."""
    filterset = JvapEntryFilter(request.GET, queryset=JvapEntry.objects.published())
    if not filterset.is_valid():
        messages = "; ".join(str(m) for errors in filterset.errors.values() for m in errors)
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    entries = iati.iati_projects(filterset.qs).iterator(chunk_size=1000)
    response = StreamingHttpResponse(
        iati.activities_xml(entries, request.build_absolute_uri),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="mmd-jvap-iati.xml"'
    return response
