"""The forum calendar feed as iCalendar text (RFC 5545), written by hand: no ics library is
installed. Only dates, times, places and the forum's name go in; never a young person's name."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from forums.models import Forum, Meeting

UTC = ZoneInfo("UTC")


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74
        if len(current) + len(encoded) > limit:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(day, at: time) -> str:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, forum: Forum, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:forum-meeting-{meeting.pk}@heard",
        f"DTSTAMP:{stamp}",
    ]
    if meeting.starts_at:
        lines.append(f"DTSTART:{_utc(meeting.date, meeting.starts_at)}")
        end = (
            meeting.ends_at
            or (datetime.combine(meeting.date, meeting.starts_at) + timedelta(hours=1)).time()
        )
        lines.append(f"DTEND:{_utc(meeting.date, end)}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{meeting.date + timedelta(days=1):%Y%m%d}")
    lines.append(f"SUMMARY:{escape(forum.name + ' meeting')}")
    if meeting.where:
        lines.append(f"LOCATION:{escape(meeting.where)}")
    lines.append("END:VEVENT")
    return lines


def forum_calendar(*, forum: Forum, meetings) -> str:
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Heard//Forum meetings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(forum.name)}",
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, forum, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
