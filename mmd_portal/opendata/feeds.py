"""Atom feeds of new and changed meetings, documents and published JVAP entries, for the whole
portal and per dialogue (`/feeds/...atom`), so that partners and aggregators follow the
portal without visiting it. Items are ordered by their last change; only what public pages
show goes into a feed (no focal points, no uploaders, no unpublished entries)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from dialogues.models import Dialogue, Document, Meeting
from jvap.models import JvapEntry

FEED_SIZE = 50


def jvap_dialogue_choice(slug: str) -> str:
    """The JVAP entries' `dialogue` code of a dialogue's slug ("rabat" for the Rabat Process),
    or "" for a dialogue JVAP entries cannot name."""
    code = slug.removesuffix("-process")
    return (
        code if code in {JvapEntry.DialogueChoice.RABAT, JvapEntry.DialogueChoice.KHARTOUM} else ""
    )


def _text(*parts) -> str:
    """Plain-text parts as the HTML of an Atom summary, one paragraph each."""
    return "".join(f"<p>{escape(part)}</p>" for part in parts if part)


class ChangesFeed(Feed):
    """An Atom feed of the latest changed records, optionally of one dialogue (`slug`)."""

    feed_type = Atom1Feed
    listing_url_name = ""

    def get_object(self, request, slug: str | None = None):
        return get_object_or_404(Dialogue, slug=slug) if slug else None

    def link(self, obj):
        url = reverse(self.listing_url_name)
        return f"{url}?dialogue={obj.slug}" if obj else url

    def item_link(self, item):
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return item.modified

    def title(self, obj):
        return self.title_for(obj.short_name if obj else _("MMD Portal"))


class MeetingFeed(ChangesFeed):
    listing_url_name = "dialogues:meeting_list"

    def title_for(self, name):
        return _("%(name)s: new and changed meetings") % {"name": name}

    def subtitle(self, obj):
        return _("Meetings of the dialogues, latest changes first.")

    def items(self, obj):
        meetings = Meeting.objects.prefetch_related("dialogues")
        if obj:
            meetings = meetings.filter(dialogues=obj)
        return meetings.order_by("-modified", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.localized("title")

    def item_description(self, item):
        when = item.start_date.isoformat()
        if item.end_date and item.end_date != item.start_date:
            when += f" – {item.end_date.isoformat()}"
        place = item.place if item.place else ""
        return _text(
            " · ".join(p for p in (when, str(item.get_type_display()), place) if p),
            str(item.get_status_display()),
            item.localized("summary"),
        )

    def item_categories(self, item):
        return [d.short_name for d in item.dialogues.all()]


class DocumentFeed(ChangesFeed):
    listing_url_name = "dialogues:document_list"

    def title_for(self, name):
        return _("%(name)s: new and changed documents") % {"name": name}

    def subtitle(self, obj):
        return _("Declarations, action plans, reports and other documents, latest changes first.")

    def items(self, obj):
        documents = Document.objects.prefetch_related("dialogues")
        if obj:
            documents = documents.filter(dialogues=obj)
        return documents.order_by("-modified", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.localized("title")

    def item_description(self, item):
        date = item.date.isoformat() if item.date else ""
        return _text(
            " · ".join(p for p in (str(item.get_kind_display()), date) if p),
            item.localized("description"),
        )

    def item_categories(self, item):
        return [d.short_name for d in item.dialogues.all()]


class JvapEntryFeed(ChangesFeed):
    """Published JVAP entries; per dialogue only for the Rabat and Khartoum Processes, the two
    dialogues an entry can name (entries of both are in each)."""

    listing_url_name = "jvap:entry_list"

    def get_object(self, request, slug: str | None = None):
        dialogue = super().get_object(request, slug)
        if dialogue and not jvap_dialogue_choice(dialogue.slug):
            raise Http404("JVAP entries name only the Rabat and Khartoum Processes.")
        return dialogue

    def link(self, obj):
        url = reverse(self.listing_url_name)
        return f"{url}?dialogue={jvap_dialogue_choice(obj.slug)}" if obj else url

    def title_for(self, name):
        return _("%(name)s: new and changed JVAP entries") % {"name": name}

    def subtitle(self, obj):
        return _("Projects and policies of the JVAP database, validated and published.")

    def items(self, obj):
        entries = JvapEntry.objects.published().select_related("partner__organisation", "domain")
        if obj:
            entries = entries.filter(
                dialogue__in=[jvap_dialogue_choice(obj.slug), JvapEntry.DialogueChoice.BOTH]
            )
        return entries.order_by("-updated_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _text(
            " · ".join(
                p
                for p in (
                    str(item.partner),
                    str(item.get_type_display()),
                    item.domain.localized("name"),
                    str(item.get_status_display()) if item.status else "",
                )
                if p
            ),
            item.description,
        )

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.domain.localized("name")]
