"""Template helpers of the charter pages: a task's derived state (defined on `Task`) as a badge, compliance
percentages."""

from django import template
from django.utils.translation import gettext_lazy as _

from coordination.templatetags.ui import badge_html

register = template.Library()

TASK_STATES = {
    "done_on_time": (_("Done on time"), "success"),
    "done_late": (_("Done late"), "warning"),
    "cancelled": (_("Cancelled"), "secondary"),
    "overdue": (_("Overdue"), "danger"),
    "due_soon": (_("Due soon"), "warning"),
    "open": (_("Open"), "info"),
}


@register.simple_tag
def task_state_badge(task, today):
    """The task's state as a status badge (one per row of the task list)."""
    label, tone = TASK_STATES[task.state_on(today)]
    return badge_html(label, tone)


@register.filter
def overdue_on(task, today):
    """`{% if task|overdue_on:today %}`: the task is overdue (`Task.is_overdue`, the twin of `TaskQuerySet.overdue`)."""
    return task is not None and today is not None and task.is_overdue(today)


@register.filter
def percent_of(part, whole):
    """`part` as a whole-number percentage of `whole` (0 when `whole` is 0)."""
    try:
        return round(100 * part / whole) if whole else 0
    except (TypeError, ValueError):
        return 0
