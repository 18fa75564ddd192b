"""The deadline engine: working-day calendar and due dates computed from `DeadlineRule` data."""

import threading
from datetime import date, timedelta

import holidays
from django.db.models import Q

from .models import DayType, DeadlineRule, Direction

# Vietnam's calendar as the `holidays` library publishes it: public holidays (Tết included), substituted days
# off, and the Saturdays the government makes working days in exchange (e.g. Saturday 22/08/2026 for Monday
# 31/08/2026). Every working-day answer below comes from the library's own working-day API, so a make-up
# Saturday counts as worked.
_CALENDAR = holidays.country_holidays("VN", years=())
_CALENDAR_LOCK = threading.Lock()


def _calendar(*days):
    """The calendar with the years around `days` loaded (a working-day walk may cross a year end). A calendar
    missing a year is replaced by a new one built whole, never filled in while another thread reads it."""
    global _CALENDAR
    years = {day.year + offset for day in days for offset in (-1, 0, 1)}
    calendar = _CALENDAR
    if years <= calendar.years:
        return calendar
    with _CALENDAR_LOCK:
        if not years <= _CALENDAR.years:
            _CALENDAR = holidays.country_holidays("VN", years=_CALENDAR.years | years)
        return _CALENDAR


def is_working_day(day):
    """A working day in Vietnam: Monday to Friday that is no public holiday or day off, or a make-up Saturday."""
    return _calendar(day).is_working_day(day)


def working_days_add(start, amount, *, forward=True):
    """The day `amount` working days after (or before) `start`; `start` itself is not counted."""
    if amount <= 0:
        return start
    return _calendar(start).get_nth_working_day(start, amount if forward else -amount)


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    return _calendar(start, end).get_working_days_count(start + timedelta(days=1), end)


def deadline_compute(rule, anchor_date):
    """The due date given by `rule` for an event on `anchor_date` (a pure function of its inputs)."""
    return due_date_for(amount=rule.amount, day_type=rule.day_type, direction=rule.direction, anchor_date=anchor_date)


def due_date_for(*, amount, day_type, direction, anchor_date):
    forward = direction == Direction.AFTER
    if day_type == DayType.WORKING:
        return working_days_add(anchor_date, amount, forward=forward)
    delta = timedelta(days=amount)
    return anchor_date + delta if forward else anchor_date - delta


def deadline_rule_for(code, *, unit=None, on_date=None):
    """The rule of family `code` in force on `on_date` for `unit`: the unit's own version
    (or its province's) wins over the national default. None when no rule applies."""
    on_date = on_date or date.today()
    unit_ids = []
    current = unit
    while current is not None:
        unit_ids.append(current.pk)
        current = current.parent
    rules = (
        DeadlineRule.objects.filter(code=code)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=unit_ids))
        .filter(effective_from__lte=on_date)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
    )
    rank = {unit_id: position for position, unit_id in enumerate(unit_ids)}
    best = None
    for rule in rules:
        key = (rank.get(rule.unit_id, len(unit_ids)), -rule.effective_from.toordinal())
        if best is None or key < best[0]:
            best = (key, rule)
    return best[1] if best else None


def deadline_for(code, *, anchor_date, unit=None):
    """Due date from the rule of family `code` in force on the anchor date, or None."""
    rule = deadline_rule_for(code, unit=unit, on_date=anchor_date)
    return deadline_compute(rule, anchor_date) if rule else None
