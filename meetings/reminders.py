"""Reminder watchers for meetings: documents due before a council session, and minutes not recorded."""

import datetime

from django.db.models import Q
from django.utils import timezone

from coordination.deadlines import deadline_compute
from coordination.models import DeadlineRule
from coordination.reminders import ReminderItem, url_builder

from .models import MINUTES_RULE_CODE, Meeting, SessionDocument


def session_document_items(schedule):
    """Session documents not yet delivered, due on one of the schedule's dates; one query."""
    rows = (
        SessionDocument.objects.undelivered()
        .filter(due_date__in=schedule.due_dates)
        .values_list("pk", "title", "due_date", "responsible_agency_id", "meeting_id", "meeting__unit_id")
        .order_by("due_date", "pk")
    )
    url = url_builder("meetings:detail", "meetings:list")
    return [
        ReminderItem(
            item_kind="session_document",
            item_key=f"session_document:{pk}",
            title=title,
            due_date=due_date,
            url=url(meeting_id),
            agency_id=agency_id,
            unit_id=unit_id,
        )
        for pk, title, due_date, agency_id, meeting_id, unit_id in rows
    ]


def minutes_items(schedule):
    """Past meetings without minutes whose minutes deadline (rule `meeting-minutes`, from the opening
    day) is on one of the schedule's dates; the host agency is responsible. Two queries: the rule
    versions, then the candidate meetings (held within the reminder horizon); the deadline of each is
    computed in memory with the same rule resolution as `deadline_rule_for`."""
    rules = list(DeadlineRule.objects.filter(code=MINUTES_RULE_CODE))
    if not rules:
        return []
    wanted = set(schedule.due_dates)
    earliest = min(wanted) - datetime.timedelta(days=120)  # no minutes deadline is months after a meeting
    start = timezone.make_aware(datetime.datetime.combine(earliest, datetime.time.min))
    meetings = (
        Meeting.objects.filter(minutes_recorded_at__isnull=True, starts_at__gte=start, starts_at__lt=timezone.now())
        .filter(Q(ends_at__isnull=True) | Q(ends_at__lt=timezone.now()))
        .values_list("pk", "title", "starts_at", "host_agency_id", "unit_id", "unit__parent_id")
        .order_by("starts_at", "pk")
    )
    url = url_builder("meetings:minutes", "meetings:list")
    items = []
    for pk, title, starts_at, agency_id, unit_id, parent_id in meetings:
        opening = timezone.localtime(starts_at).date()
        rule = _rule_for(rules, unit_id, parent_id, opening)
        if rule is None:
            continue
        due = deadline_compute(rule, opening)
        if due not in wanted:
            continue
        items.append(
            ReminderItem(
                item_kind="meeting_minutes",
                item_key=f"meeting_minutes:{pk}",
                title=title,
                due_date=due,
                url=url(pk),
                agency_id=agency_id,
                unit_id=unit_id,
            )
        )
    return items


def _rule_for(rules, unit_id, parent_id, on_date):
    """The unit's own version wins over its parent's, which wins over the national default; the
    latest version in force on `on_date` within each (as `coordination.deadlines.deadline_rule_for`)."""
    chain = [unit_id, parent_id]
    best = None
    for rule in rules:
        if rule.effective_from > on_date or (rule.effective_to and rule.effective_to < on_date):
            continue
        if rule.unit_id is None:
            rank = len(chain)
        elif rule.unit_id in chain:
            rank = chain.index(rule.unit_id)
        else:
            continue
        key = (rank, -rule.effective_from.toordinal())
        if best is None or key < best[0]:
            best = (key, rule)
    return best[1] if best else None
