"""Template helpers of the charter pages: a task's derived state as a badge, compliance percentages."""

from django import template
from django.utils.translation import gettext_lazy as _

from charters.models import TaskStatus
from coordination.templatetags.ui import badge_html

register = template.Library()

DUE_SOON_DAYS = 7

TASK_STATES = {
    "done_on_time": (_("Done on time"), "success"),
    "done_late": (_("Done late"), "warning"),
    "cancelled": (_("Cancelled"), "secondary"),
    "overdue": (_("Overdue"), "danger"),
    "due_soon": (_("Due soon"), "warning"),
    "open": (_("Open"), "info"),
}


def task_state(task, today):
    if task.status == TaskStatus.DONE:
        return "done_on_time" if task.done_on_time else "done_late"
    if task.status == TaskStatus.CANCELLED:
        return "cancelled"
    if task.is_overdue(today):
        return "overdue"
    if task.is_due_soon(today, DUE_SOON_DAYS):
        return "due_soon"
    return "open"


@register.simple_tag
def task_state_badge(task, today):
    """The task's state as a status badge (one per row of the task list)."""
    label, tone = TASK_STATES[task_state(task, today)]
    return badge_html(label, tone)


@register.filter
def percent_of(part, whole):
    """`part` as a whole-number percentage of `whole` (0 when `whole` is 0)."""
    try:
        return round(100 * part / whole) if whole else 0
    except (TypeError, ValueError):
        return 0
