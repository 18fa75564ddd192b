"""The iCalendar (RFC 5545) feed of a user's meetings, written with the `icalendar` library."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone


def meetings_to_ics(meetings, *, base_url, calendar_name, now=None):
    """Bytes of a VCALENDAR with one VEVENT per meeting; times in UTC, stable UIDs."""
    now = now or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Quy che phoi hop//Meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # UIDs must stay the same across requests: the site's host name (no port) identifies this calendar.
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "phoihop.local"
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now.astimezone(datetime.UTC))
        starts = meeting.starts_at.astimezone(datetime.UTC)
        ends = (meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)).astimezone(datetime.UTC)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", meeting.title)
        if meeting.place:
            event.add("location", meeting.place)
        description = [meeting.get_kind_display(), meeting.host_agency.name]
        event.add("description", "\n".join(str(line) for line in description))
        event.add("url", f"{base_url.rstrip('/')}/meetings/{meeting.pk}/")
        event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
        event.add("sequence", meeting.version)
        calendar.add_component(event)
    return calendar.to_ical()
