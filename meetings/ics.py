"""The iCalendar (RFC 5545) feed of a user's meetings, written line by line as a stream.

A calendar app polls the feed every few minutes: the view answers 304 when nothing in the window changed
(`feed_etag`, one aggregate query), and otherwise streams the events as they are read (`ics_chunks`), so
neither the rows nor the body are ever held whole in memory."""

import datetime
import hashlib

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

CRLF = "\r\n"
# The columns one event reads (no model instances).
EVENT_VALUES = ("pk", "starts_at", "ends_at", "title", "place", "kind", "host_agency__name", "updated_at", "version")
CHUNK_SIZE = 500


def feed_window(now=None):
    """(from, until): the meetings the feed carries, CALENDAR_FEED_DAYS_BACK before now to
    CALENDAR_FEED_DAYS_AHEAD after, in whole local days (so the window and its ETag move once a day)."""
    today = timezone.localdate(now or timezone.now())
    start = today - datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_BACK)
    end = today + datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_AHEAD + 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


def feed_etag(meetings, *, key):
    """A weak ETag of the feed from one cheap aggregate: how many meetings the window holds and the latest
    change among them, with `key` (the user, the window, the language). An edited, added or removed meeting
    changes it; DTSTAMP alone does not (hence weak)."""
    # COUNT(*), not COUNT(id): with MAX(updated_at) it reads only the `meeting_feed_window` index (starts_at
    # INCLUDE updated_at) for the national feed, no table row.
    figures = meetings.order_by().aggregate(count=Count("*"), changed=Max("updated_at"))
    changed = figures["changed"].isoformat() if figures["changed"] else "-"
    digest = hashlib.sha256(f"{key}|{figures['count']}|{changed}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def etag_matches(if_none_match, etag):
    """Whether the request's If-None-Match names `etag` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in if_none_match.split(","))


def _text(value):
    """A TEXT value escaped (RFC 5545 3.3.11)."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _utc(value):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """One content line, folded at 75 octets without splitting a UTF-8 character, ending with CRLF."""
    data = line.encode()
    if len(data) <= 75:
        return line + CRLF
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # the following lines start with a space
    return (CRLF + " ").join(parts) + CRLF


def ics_chunks(meetings, *, base_url, calendar_name, now=None):
    """The VCALENDAR as text chunks (one per event): times in UTC, stable UIDs, labels resolved once."""
    from .models import MeetingKind

    now = now or timezone.now()
    stamp = _utc(now)
    kinds = {value: str(label) for value, label in MeetingKind.choices}
    # UIDs must stay the same across requests: the site's host name (no port) identifies this calendar.
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "phoihop.local"
    site = base_url.rstrip("/")
    yield "".join(
        _fold(line)
        for line in (
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Quy che phoi hop//Meetings//VI",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{_text(calendar_name)}",
            f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        )
    )
    rows = meetings.values_list(*EVENT_VALUES).iterator(chunk_size=CHUNK_SIZE)
    for pk, starts_at, ends_at, title, place, kind, host_name, updated_at, version in rows:
        ends_at = ends_at or starts_at + datetime.timedelta(hours=2)
        lines = [
            "BEGIN:VEVENT",
            f"UID:meeting-{pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(starts_at)}",
            f"DTEND:{_utc(ends_at)}",
            f"SUMMARY:{_text(title)}",
        ]
        if place:
            lines.append(f"LOCATION:{_text(place)}")
        lines.append(f"DESCRIPTION:{_text(kinds.get(kind, kind) + chr(10) + host_name)}")
        lines += [
            f"URL:{site}/meetings/{pk}/",
            f"LAST-MODIFIED:{_utc(updated_at)}",
            f"SEQUENCE:{version}",
            "END:VEVENT",
        ]
        yield "".join(_fold(line) for line in lines)
    yield "END:VCALENDAR" + CRLF


def meetings_to_ics(meetings, *, base_url, calendar_name, now=None):
    """Bytes of the whole VCALENDAR (tests and small callers; the feed view streams `ics_chunks`)."""
    return "".join(ics_chunks(meetings, base_url=base_url, calendar_name=calendar_name, now=now)).encode()
