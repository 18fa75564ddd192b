"""A past meeting without minutes is flagged once the `meeting-minutes` deadline (5 working days) has passed."""

import datetime

import pytest

from coordination.models import DayType, DeadlineRule, Direction
from meetings import services
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory, local_datetime

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_flagged_only_after_five_working_days(briefing):
    # Held Mon 16 Nov 2026: minutes due Mon 23 Nov (five working days later).
    assert briefing.minutes_due_on() == datetime.date(2026, 11, 23)
    assert not Meeting.objects.minutes_missing(datetime.date(2026, 11, 23)).filter(pk=briefing.pk).exists()
    assert Meeting.objects.minutes_missing(datetime.date(2026, 11, 24)).filter(pk=briefing.pk).exists()


def test_recorded_minutes_clear_the_flag(briefing, clerk):
    services.meeting_record_minutes(actor=clerk, meeting=briefing, text="Biên bản hội nghị giao ban.")
    assert not Meeting.objects.minutes_missing(datetime.date(2026, 12, 31)).exists()


def test_future_meetings_are_not_flagged(agencies, reference_data):
    MeetingFactory(host_agency=agencies.hdnd, starts_at=local_datetime(2026, 12, 20))
    assert not Meeting.objects.minutes_missing(datetime.date(2026, 11, 24)).exists()


def test_holiday_extends_the_minutes_deadline(agencies, reference_data):
    # Held Fri 29 Jan 2027: 5 working days are 1, 2, 3 Feb then Tết (4–10 Feb) → 11, 12 Feb.
    meeting = MeetingFactory(host_agency=agencies.hdnd, starts_at=local_datetime(2027, 1, 29, 14))
    assert meeting.minutes_due_on() == datetime.date(2027, 2, 12)
    assert not Meeting.objects.minutes_missing(datetime.date(2027, 2, 12)).exists()
    assert Meeting.objects.minutes_missing(datetime.date(2027, 2, 15)).filter(pk=meeting.pk).exists()


def test_unit_override_of_the_rule(agencies, other_agency, reference_data):
    DeadlineRule.objects.create(
        code="meeting-minutes",
        name="Biên bản (Đà Nẵng: 2 ngày làm việc)",
        amount=2,
        day_type=DayType.WORKING,
        anchor="meeting_date",
        direction=Direction.AFTER,
        effective_from=datetime.date(2026, 1, 1),
        unit=agencies.hdnd.unit,
    )
    here = MeetingFactory(host_agency=agencies.hdnd, starts_at=local_datetime(2026, 11, 16))
    elsewhere = MeetingFactory(host_agency=other_agency, starts_at=local_datetime(2026, 11, 16))
    flagged = set(Meeting.objects.minutes_missing(datetime.date(2026, 11, 19)).values_list("pk", flat=True))
    assert flagged == {here.pk}  # due 18 Nov here, 23 Nov under the national rule
    flagged = set(Meeting.objects.minutes_missing(datetime.date(2026, 11, 24)).values_list("pk", flat=True))
    assert flagged == {here.pk, elsewhere.pk}


def test_list_filter_shows_flagged_meetings(briefing, agencies, clerk, login):
    with_minutes = MeetingFactory(host_agency=agencies.hdnd, title="Giao ban có biên bản")
    services.meeting_record_minutes(actor=clerk, meeting=with_minutes, text="Đã ghi.")
    response = login(clerk).get("/meetings/", {"minutes_missing": "on"})
    assert response.status_code == 200
    page = list(response.context["meetings"])
    assert [meeting.pk for meeting in page] == [briefing.pk]


def test_dashboard_style_link_filters_by_unit_and_dates(briefing, agencies, clerk, login):
    from tests.factories import CommuneFactory

    commune = CommuneFactory(parent=agencies.hdnd.unit)
    response = login(clerk).get(
        "/meetings/", {"unit": agencies.hdnd.unit.pk, "date_from": "2026-11-01", "date_to": "2026-11-30"}
    )
    assert [meeting.pk for meeting in response.context["meetings"]] == [briefing.pk]
    # A commune without meetings is still a valid filter: nothing matches, rather than everything.
    response = login(clerk).get("/meetings/", {"unit": commune.pk})
    assert list(response.context["meetings"]) == []


def test_minutes_and_their_conclusions_are_recorded_together(briefing, clerk, agencies):
    from django.core.exceptions import ValidationError

    bad = [{"text": "Giao UBND rà soát", "create_task": True}]  # a task needs an agency and a due date
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(actor=clerk, meeting=briefing, text="Biên bản.", conclusions=bad)
    briefing.refresh_from_db()
    assert briefing.minutes_recorded_at is None and not briefing.conclusions.exists()

    good = [{"text": "Giao UBND rà soát", "responsible_agency": agencies.ubnd}]
    services.meeting_record_minutes(actor=clerk, meeting=briefing, text="Biên bản.", conclusions=good)
    briefing.refresh_from_db()
    assert briefing.minutes_recorded_at is not None and briefing.conclusions.count() == 1
