"""The per-user iCalendar feed: valid RFC 5545, only the user's agency's meetings, revocable."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from meetings import services
from meetings.models import CalendarFeedToken
from tests.meetings.factories import MeetingFactory, local_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_meetings(agencies, other_agency, reference_data):
    return {
        "hosted": MeetingFactory(host_agency=agencies.hdnd, title="Giao ban quý IV, năm 2026; HĐND, UBND"),
        "participant": MeetingFactory(host_agency=agencies.mttq, participating_agencies=[agencies.hdnd]),
        "not_ours": MeetingFactory(host_agency=agencies.mttq, title="Hội nghị riêng của Mặt trận"),
        "other_unit": MeetingFactory(host_agency=other_agency, title="Kỳ họp tỉnh khác"),
    }


@pytest.mark.smoke
def test_feed_is_valid_ics_with_only_visible_meetings(feed_meetings, clerk, client):
    token = services.calendar_feed_token_regenerate(actor=clerk, user=clerk)
    response = client.get(f"/meetings/calendar/{token.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends with CRLF
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded at 75 octets
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    uids = {str(event["UID"]).split("@")[0] for event in events}
    assert uids == {f"meeting-{feed_meetings['hosted'].pk}", f"meeting-{feed_meetings['participant'].pk}"}
    hosted = next(e for e in events if str(e["UID"]).startswith(f"meeting-{feed_meetings['hosted'].pk}@"))
    assert str(hosted["SUMMARY"]) == "Giao ban quý IV, năm 2026; HĐND, UBND"  # commas and semicolons escaped
    assert b"SUMMARY:Giao ban qu" in body and b"2026\\; H" in body
    assert hosted.decoded("DTSTART") == local_datetime(2026, 11, 16, 8).astimezone(datetime.UTC)
    assert b"DTSTART:20261116T010000Z" in body  # 08:00 in Hà Nội time is 01:00 UTC
    assert "DTSTAMP" in hosted
    assert calendar["VERSION"] == "2.0"


def test_revoked_or_replaced_token_answers_404(feed_meetings, clerk, client):
    first = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    second = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    assert first != second
    assert client.get(f"/meetings/calendar/{first}.ics").status_code == 404
    assert client.get(f"/meetings/calendar/{second}.ics").status_code == 200
    services.calendar_feed_token_revoke(actor=clerk, user=clerk)
    assert client.get(f"/meetings/calendar/{second}.ics").status_code == 404
    assert not CalendarFeedToken.objects.exists()


def test_unknown_token_answers_404(client, db):
    assert client.get("/meetings/calendar/not-a-token.ics").status_code == 404


def test_feed_settings_page_issues_and_revokes(clerk, login):
    client = login(clerk)
    assert client.get("/meetings/calendar/feed/").status_code == 200
    client.post("/meetings/calendar/feed/", {"action": "regenerate"})
    token = CalendarFeedToken.objects.get(user=clerk)
    assert len(token.token) >= 40
    response = client.get("/meetings/calendar/feed/")
    assert f"/meetings/calendar/{token.token}.ics" in response.content.decode()
    client.post("/meetings/calendar/feed/", {"action": "revoke"})
    assert not CalendarFeedToken.objects.filter(user=clerk).exists()


def _feed(client, token, **headers):
    response = client.get(f"/meetings/calendar/{token}.ics", headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_feed_answers_304_to_its_etag_until_a_meeting_changes(feed_meetings, clerk, client):
    token = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    first, _body = _feed(client, token)
    etag = first["ETag"]
    assert etag and first["Cache-Control"].startswith("private, max-age=")
    again, again_body = _feed(client, token, if_none_match=etag)
    assert again.status_code == 304 and again_body == b"" and again["ETag"] == etag
    meeting = feed_meetings["hosted"]
    meeting.title = "Giao ban quý IV (dời lịch)"
    meeting.save()
    changed, changed_body = _feed(client, token, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "dời lịch".encode() in changed_body
    # A reissued link (another key) never shares the ETag.
    other = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    assert _feed(client, other)[0]["ETag"] != changed["ETag"]


def test_feed_covers_its_window_and_not_other_agencies(agencies, other_agency, reference_data, clerk, client, settings):
    now = timezone.now()
    inside_past = MeetingFactory(host_agency=agencies.hdnd, starts_at=now - datetime.timedelta(days=80))
    inside_future = MeetingFactory(host_agency=agencies.hdnd, starts_at=now + datetime.timedelta(days=300))
    too_old = MeetingFactory(host_agency=agencies.hdnd, starts_at=now - datetime.timedelta(days=120))
    too_far = MeetingFactory(host_agency=agencies.hdnd, starts_at=now + datetime.timedelta(days=400))
    others = MeetingFactory(host_agency=other_agency, starts_at=now + datetime.timedelta(days=3))
    mttq_only = MeetingFactory(host_agency=agencies.mttq, starts_at=now + datetime.timedelta(days=3))
    token = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    _response, body = _feed(client, token)
    uids = {str(event["UID"]).split("@")[0] for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert uids == {f"meeting-{inside_past.pk}", f"meeting-{inside_future.pk}"}
    for absent in (too_old, too_far, others, mttq_only):
        assert f"meeting-{absent.pk}@".encode() not in body
    settings.CALENDAR_FEED_DAYS_BACK = 200
    _response, body = _feed(client, token)
    assert f"meeting-{too_old.pk}@".encode() in body


def test_long_titles_fold_without_splitting_a_character(agencies, reference_data, clerk, client):
    title = "Hội nghị tiếp xúc cử tri " * 12
    MeetingFactory(host_agency=agencies.hdnd, title=title.strip())
    token = services.calendar_feed_token_regenerate(actor=clerk, user=clerk).token
    _response, body = _feed(client, token)
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    body.decode("utf-8")  # every folded line is whole UTF-8
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == title.strip()
