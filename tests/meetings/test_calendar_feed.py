"""The per-user iCalendar feed: valid RFC 5545, only the user's agency's meetings, revocable."""

import datetime

import icalendar
import pytest

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
    body = response.content
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
