"""Reminder watcher for charters: open work-programme tasks (the annual reviews' watcher is in charters/reviews)."""

from coordination.reminders import ReminderItem, url_builder

from .models import Task


def task_items(schedule):
    """Open tasks due on one of the schedule's dates; one query."""
    tasks = Task.objects.due_soon(schedule.today, schedule.max_lead) | Task.objects.overdue(schedule.today)
    rows = (
        tasks.filter(due_date__in=schedule.due_dates)
        .values_list("pk", "title", "due_date", "responsible_agency_id", "unit_id")
        .order_by("due_date", "pk")
    )
    url = url_builder("charters:task", "charters:tasks")
    return [
        ReminderItem(
            item_kind="task",
            item_key=f"task:{pk}",
            title=title,
            due_date=due_date,
            url=url(pk),
            agency_id=agency_id,
            unit_id=unit_id,
        )
        for pk, title, due_date, agency_id, unit_id in rows
    ]
