"""Due dates of obligations: calendar cadences on working days, council-session duties by deadline rule."""

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from charters.cadence import Session, council_sessions, obligation_occurrences
from charters.models import Cadence, Obligation
from coordination.models import DeadlineRule
from meetings.models import Meeting, MeetingKind


def duty(cadence, day=1, month=None, rule=None):
    return Obligation(description="Nhiệm vụ", cadence=cadence, day_of_period=day, month=month, deadline_rule=rule)


def rule(code):
    return DeadlineRule.objects.get(code=code, unit__isnull=True)


@pytest.mark.smoke
def test_monthly_duty_falls_on_the_day_or_the_next_working_day():
    dates = [o.due_date for o in obligation_occurrences(duty(Cadence.MONTHLY, day=15), 2026)]
    assert len(dates) == 12
    assert dates[0] == date(2026, 1, 15)  # Thursday
    # 15 February 2026 is a Sunday, and 16–20 February are the Tết holidays.
    assert dates[1] == date(2026, 2, 23)
    assert dates[2] == date(2026, 3, 16)  # Sunday → Monday


def test_monthly_day_beyond_the_month_is_clamped_to_its_last_day():
    dates = [o.due_date for o in obligation_occurrences(duty(Cadence.MONTHLY, day=31), 2026)]
    assert dates[1] == date(2026, 3, 2)  # 28 February 2026 is a Saturday
    # 30 April and 1 May are holidays, 2–3 May a weekend.
    assert dates[3] == date(2026, 5, 4)


def test_quarterly_duty_uses_the_month_within_the_quarter():
    occurrences = obligation_occurrences(duty(Cadence.QUARTERLY, day=10, month=1), 2026)
    assert [o.period_key for o in occurrences] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [o.due_date for o in occurrences] == [
        date(2026, 1, 12),  # 10 January is a Saturday
        date(2026, 4, 10),
        date(2026, 7, 10),
        date(2026, 10, 12),  # 10 October is a Saturday
    ]


def test_quarterly_duty_defaults_to_the_last_month_of_the_quarter():
    dates = [o.due_date for o in obligation_occurrences(duty(Cadence.QUARTERLY, day=20), 2026)]
    assert dates == [date(2026, 3, 20), date(2026, 6, 22), date(2026, 9, 21), date(2026, 12, 21)]


def test_yearly_duty_in_january_and_across_tet():
    assert obligation_occurrences(duty(Cadence.YEARLY, day=25, month=1), 2026)[0].due_date == date(2026, 1, 26)
    tet = obligation_occurrences(duty(Cadence.YEARLY, day=17, month=2), 2026)[0]
    assert tet.due_date == date(2026, 2, 23)
    assert tet.period_key == "2026"


def test_once_duty_has_a_single_occurrence():
    occurrences = obligation_occurrences(duty(Cadence.ONCE, day=1, month=3), 2026)
    assert [(o.period_key, o.due_date) for o in occurrences] == [("once", date(2026, 3, 2))]


SESSIONS = [
    Session(pk=7, opens_on=date(2026, 7, 10), closes_on=date(2026, 7, 10)),
    Session(pk=9, opens_on=date(2026, 12, 8), closes_on=date(2026, 12, 10)),
    Session(pk=3, opens_on=date(2025, 12, 9), closes_on=date(2025, 12, 11)),
]


def test_each_session_duty_due_twenty_days_before_the_opening():
    occurrences = obligation_occurrences(
        duty(Cadence.EACH_SESSION, rule=rule("session-documents")), 2026, sessions=SESSIONS
    )
    assert [o.period_key for o in occurrences] == ["S7", "S9"]
    # 20 June 2026 is a Saturday: documents due before a session must arrive the working day before.
    assert occurrences[0].due_date == date(2026, 6, 19)
    assert occurrences[1].due_date == date(2026, 11, 18)


def test_each_session_duty_after_the_closing():
    occurrences = obligation_occurrences(
        duty(Cadence.EACH_SESSION, rule=rule("petition-compile")), 2026, sessions=SESSIONS
    )
    # 15 days after 10 July 2026 is Saturday 25 July: due the next working day.
    assert occurrences[0].due_date == date(2026, 7, 27)
    assert occurrences[1].due_date == date(2026, 12, 25)


def test_each_session_duty_without_a_rule_is_due_on_the_opening_day():
    occurrences = obligation_occurrences(duty(Cadence.EACH_SESSION), 2026, sessions=SESSIONS)
    assert [o.due_date for o in occurrences] == [date(2026, 7, 10), date(2026, 12, 8)]


def test_a_rule_anchored_on_receipt_generates_nothing_from_the_calendar():
    assert obligation_occurrences(duty(Cadence.RULE, rule=rule("complaint-decide")), 2026, sessions=SESSIONS) == []


def test_a_unit_override_of_the_rule_wins(unit):
    DeadlineRule.objects.create(
        code="session-documents",
        name="Gửi tài liệu kỳ họp (Đà Nẵng)",
        amount=15,
        day_type="calendar",
        anchor="session_opening",
        direction="before",
        effective_from=date(2020, 1, 1),
        unit=unit,
    )
    occurrences = obligation_occurrences(
        duty(Cadence.EACH_SESSION, rule=rule("session-documents")), 2026, sessions=SESSIONS[1:2], unit=unit
    )
    assert occurrences[0].due_date == date(2026, 11, 23)


def test_council_sessions_are_read_from_meetings(unit, agencies):
    tz = timezone.get_current_timezone()
    Meeting.objects.create(
        title="Kỳ họp thứ 10",
        kind=MeetingKind.COUNCIL_SESSION,
        unit=unit,
        host_agency=agencies.hdnd,
        starts_at=dt.datetime(2026, 7, 10, 7, 30, tzinfo=tz),
        ends_at=dt.datetime(2026, 7, 11, 17, 0, tzinfo=tz),
    )
    Meeting.objects.create(
        title="Giao ban quý",
        kind=MeetingKind.JOINT_BRIEFING,
        unit=unit,
        host_agency=agencies.hdnd,
        starts_at=dt.datetime(2026, 7, 20, 8, 0, tzinfo=tz),
    )
    sessions = council_sessions(unit, 2026)
    assert [(s.opens_on, s.closes_on) for s in sessions] == [(date(2026, 7, 10), date(2026, 7, 11))]
