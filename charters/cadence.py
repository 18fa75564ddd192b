"""When an obligation falls due in a year: the occurrences (period key, due date) it generates tasks for."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from coordination.deadlines import deadline_compute, deadline_rule_for, is_working_day
from coordination.models import Anchor, Direction

from .models import Cadence

SESSION_ANCHORS = (Anchor.SESSION_OPENING, Anchor.SESSION_CLOSING)


@dataclass(frozen=True)
class Session:
    """A council session as the generator needs it (kept apart from the meetings model)."""

    pk: int
    opens_on: date
    closes_on: date


@dataclass(frozen=True)
class Occurrence:
    period_key: str
    due_date: date
    label: str = ""  # e.g. "03/2026", "Q1/2026", the session's opening date


def next_working_day(day):
    # Civil Code 2015, Art. 148(5): a period ending on a day off ends on the next working day.
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day):
    # A "before the session" deadline on a day off must be met on the working day before it.
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _day_in_month(year, month, day):
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def obligation_occurrences(obligation, year, *, sessions=(), unit=None):
    """The occurrences of `obligation` in `year`, in date order.

    Calendar cadences fall on `day_of_period` (clamped to the month's length) and move to the next working
    day. Session duties give one occurrence per council session: the deadline rule's date relative to the
    session's opening or closing when the obligation has a rule, otherwise the opening day. A rule anchored
    on another event (receipt, forwarding, a meeting) is event-driven and generates nothing from the calendar.
    """
    cadence = obligation.cadence
    day = obligation.day_of_period or 1
    if cadence == Cadence.MONTHLY:
        return [
            Occurrence(f"{year}-M{month:02d}", next_working_day(_day_in_month(year, month, day)), f"{month:02d}/{year}")
            for month in range(1, 13)
        ]
    if cadence == Cadence.QUARTERLY:
        month_in_quarter = obligation.month or 3
        return [
            Occurrence(
                f"{year}-Q{quarter}",
                next_working_day(_day_in_month(year, (quarter - 1) * 3 + month_in_quarter, day)),
                f"Q{quarter}/{year}",
            )
            for quarter in range(1, 5)
        ]
    if cadence == Cadence.YEARLY:
        return [Occurrence(str(year), next_working_day(_day_in_month(year, obligation.month or 1, day)), str(year))]
    if cadence == Cadence.ONCE:
        return [Occurrence("once", next_working_day(_day_in_month(year, obligation.month or 1, day)), str(year))]
    rule = obligation.deadline_rule
    if cadence == Cadence.RULE and (rule is None or rule.anchor not in SESSION_ANCHORS):
        return []
    occurrences = []
    for session in sorted(sessions, key=lambda s: (s.opens_on, s.pk)):
        if session.opens_on.year != year:
            continue
        if rule is None or rule.anchor not in SESSION_ANCHORS:
            due = session.opens_on
        else:
            anchor = session.closes_on if rule.anchor == Anchor.SESSION_CLOSING else session.opens_on
            # The unit's own version of the rule (or the one in force on that day) wins over the stored row.
            current = deadline_rule_for(rule.code, unit=unit, on_date=anchor) or rule
            due = deadline_compute(current, anchor)
            due = previous_working_day(due) if current.direction == Direction.BEFORE else next_working_day(due)
        occurrences.append(Occurrence(f"S{session.pk}", due, session.opens_on.strftime("%d/%m/%Y")))
    return occurrences


def council_sessions(unit, year):
    """The unit's council sessions opening in `year`."""
    # Imported here: meetings depends on charters, so a module-level import would be circular.
    from django.utils import timezone

    from meetings.models import Meeting, MeetingKind

    rows = Meeting.objects.filter(unit=unit, kind=MeetingKind.COUNCIL_SESSION, starts_at__year=year).only(
        "pk", "starts_at", "ends_at"
    )
    sessions = []
    for meeting in rows:
        opens = timezone.localdate(meeting.starts_at)
        closes = timezone.localdate(meeting.ends_at) if meeting.ends_at else opens
        sessions.append(Session(pk=meeting.pk, opens_on=opens, closes_on=closes))
    return sessions
