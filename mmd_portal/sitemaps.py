"""The sitemaps: an index at /sitemap.xml naming one paginated sitemap per kind of page
(/sitemap-<section>.xml?p=N), every public page in English and French with its
other-language address, and `lastmod` where the data knows when a record last changed."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from dialogues.models import Dialogue, Document, Meeting, Membership, Organisation
from grants.models import Call, Grant
from jvap.models import JvapEntry


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item is listed in both languages: 2,000 addresses per page of the sitemap.
    limit = 1000

    def lastmod(self, item):
        return getattr(item, "last_changed", None)


def with_last_change(queryset):
    """The records with `last_changed`: the date of their latest version in the audit history
    (django-simple-history), read in the same query."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk"))
    return queryset.annotate(
        last_changed=Subquery(history.order_by("-history_date").values("history_date")[:1])
    )


class StaticPagesSitemap(PortalSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "dialogues:dialogue_list",
            "countries",
            "dialogues:organisation_list",
            "dialogues:meeting_list",
            "dialogues:document_list",
            "jvap:entry_list",
            "jvap:dashboard",
            "grants:grant_list",
            "grants:call_list",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


class DialogueSitemap(PortalSitemap):
    priority = 0.9

    def items(self):
        return with_last_change(Dialogue.objects.order_by("display_order", "pk"))


class OrganisationSitemap(PortalSitemap):
    def items(self):
        return with_last_change(Organisation.objects.order_by("pk"))


class MeetingSitemap(PortalSitemap):
    def items(self):
        return with_last_change(Meeting.objects.order_by("pk"))


class DocumentSitemap(PortalSitemap):
    def items(self):
        return with_last_change(Document.objects.order_by("pk"))


class JvapEntrySitemap(PortalSitemap):
    def items(self):
        return JvapEntry.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, entry):
        return entry.updated_at


class GrantSitemap(PortalSitemap):
    def items(self):
        return with_last_change(Grant.objects.published().order_by("pk"))


class CallSitemap(PortalSitemap):
    def items(self):
        return with_last_change(Call.objects.published().order_by("pk"))


class CountrySitemap(PortalSitemap):
    def items(self):
        codes = set(Membership.objects.exclude(country="").values_list("country", flat=True))
        codes |= set(Meeting.objects.exclude(country="").values_list("country", flat=True))
        return sorted(code.lower() for code in codes)

    def location(self, code):
        return reverse("country_detail", args=[code])

    def lastmod(self, code):
        return None


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "dialogues": DialogueSitemap,
    "countries": CountrySitemap,
    "organisations": OrganisationSitemap,
    "meetings": MeetingSitemap,
    "documents": DocumentSitemap,
    "jvap": JvapEntrySitemap,
    "grants": GrantSitemap,
    "calls": CallSitemap,
}
