"""The deadline engine: working-day calendar and due dates computed from `DeadlineRule` data."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models import Q

from .models import DayType, DeadlineRule, Direction


@lru_cache(maxsize=64)
def _holidays_for(year):
    # Vietnam's public holidays, including Tết and substituted days off, as the government publishes them.
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day):
    """Monday to Friday and not a Vietnamese public holiday."""
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def working_days_add(start, amount, *, forward=True):
    """The day `amount` working days after (or before) `start`; `start` itself is not counted."""
    step = timedelta(days=1 if forward else -1)
    day = start
    remaining = amount
    while remaining > 0:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


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
