"""The meetings as an iCalendar feed (RFC 5545), so that partners can subscribe to them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting

PRODID = "-//ICMPD//MMD Portal//EN"
# Stable, host-independent identifiers: a meeting keeps its UID across renames and servers.
UID_DOMAIN = "mmd-portal.icmpd.org"

STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def meetings_calendar(meetings: Iterable[Meeting], request, name: str = "") -> str:
    """The calendar text: one all-day VEVENT per meeting (DTEND is the day after the last),
    named `name` (by default "MMD meetings")."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(name or _("MMD meetings")),
    ]
    for meeting in meetings:
        last_day = meeting.end_date or meeting.start_date
        address = request.build_absolute_uri(meeting.get_absolute_url())
        # Calendar clients show DESCRIPTION but most ignore URL: the address goes in both.
        description = "\n\n".join(part for part in (meeting.localized("summary"), address) if part)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting_uid(meeting)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{meeting.start_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last_day + datetime.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + _escape(meeting.localized("title")),
            f"STATUS:{STATUS.get(meeting.status, 'CONFIRMED')}",
            "TRANSP:TRANSPARENT",
            "URL:" + address,
            "CATEGORIES:" + _escape(str(meeting.get_type_display())),
        ]
        if meeting.place:
            lines.append("LOCATION:" + _escape(meeting.place))
        lines.append("DESCRIPTION:" + _escape(description))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)
