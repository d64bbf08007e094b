"""sitemap.xml: every public page, in English and French, with its other-language address."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from dialogues.models import Dialogue, Document, Meeting, Membership, Organisation


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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
        ]

    def location(self, item):
        return reverse(item)


class DialogueSitemap(PortalSitemap):
    priority = 0.9

    def items(self):
        return Dialogue.objects.order_by("display_order", "pk")


class OrganisationSitemap(PortalSitemap):
    def items(self):
        return Organisation.objects.order_by("pk")


class MeetingSitemap(PortalSitemap):
    def items(self):
        return Meeting.objects.order_by("pk")

    def lastmod(self, meeting):
        return None


class DocumentSitemap(PortalSitemap):
    def items(self):
        return Document.objects.order_by("pk")


class CountrySitemap(PortalSitemap):
    def items(self):
        codes = set(Membership.objects.exclude(country="").values_list("country", flat=True))
        codes |= set(Meeting.objects.exclude(country="").values_list("country", flat=True))
        return sorted(code.lower() for code in codes)

    def location(self, code):
        return reverse("country_detail", args=[code])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "dialogues": DialogueSitemap,
    "countries": CountrySitemap,
    "organisations": OrganisationSitemap,
    "meetings": MeetingSitemap,
    "documents": DocumentSitemap,
}
