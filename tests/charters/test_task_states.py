"""Each task state is defined once as a `TaskQuerySet` condition with its Python twin on `Task`: both must
agree on every boundary date (yesterday, today, the due-soon boundary and one day past it)."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.test import override_settings

from charters.models import Task, TaskQuerySet, TaskStatus
from charters.selectors import TASK_STATES, task_state_q
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
DAY = timedelta(days=1)


@pytest.fixture
def tasks():
    agency = AgencyFactory()
    rows = []
    for offset in (-8, -1, 0, 1, 4, 5, 6, 7, 8):
        due = TODAY + offset * DAY
        for status, completed in [
            (TaskStatus.OPEN, None),
            (TaskStatus.CANCELLED, None),
            (TaskStatus.DONE, due - DAY),
            (TaskStatus.DONE, due),
            (TaskStatus.DONE, due + DAY),
        ]:
            rows.append(
                Task(
                    title=f"{status} {offset}",
                    unit=agency.unit,
                    responsible_agency=agency,
                    due_date=due,
                    status=status,
                    completed_on=completed,
                )
            )
    return Task.objects.bulk_create(rows)


def _agree(tasks, condition, twin):
    in_db = set(Task.objects.filter(condition).values_list("pk", flat=True))
    in_python = {task.pk for task in tasks if twin(task)}
    assert in_db == in_python
    return in_db


@pytest.mark.parametrize("today", [TODAY - DAY, TODAY, TODAY + DAY, TODAY + 7 * DAY])
def test_each_task_state_and_its_python_twin_agree(tasks, today):
    assert _agree(tasks, TaskQuerySet.q_overdue(today), lambda t: t.is_overdue(today))
    assert _agree(tasks, TaskQuerySet.q_pending(today), lambda t: t.is_pending(today))
    assert _agree(tasks, TaskQuerySet.q_due_soon(today), lambda t: t.is_due_soon(today))
    assert _agree(tasks, TaskQuerySet.q_due_soon(today, 0), lambda t: t.is_due_soon(today, 0))
    assert _agree(tasks, TaskQuerySet.q_done_on_time(), lambda t: t.done_on_time is True)
    assert _agree(tasks, TaskQuerySet.q_done_late(), lambda t: t.done_on_time is False)
    # The dashboard's states are the same conditions.
    twins = {
        "active": lambda t: t.status != TaskStatus.CANCELLED,
        "done_on_time": lambda t: t.done_on_time is True,
        "done_late": lambda t: t.done_on_time is False,
        "pending": lambda t: t.is_pending(today),
        "overdue": lambda t: t.is_overdue(today),
    }
    for name in TASK_STATES:
        _agree(tasks, task_state_q(name, today), twins[name])


def test_boundaries_of_overdue_and_due_soon(tasks):
    open_task = {t.due_date: t for t in tasks if t.status == TaskStatus.OPEN}
    assert open_task[TODAY - DAY].is_overdue(TODAY)
    assert not open_task[TODAY].is_overdue(TODAY)  # due today: not yet overdue, but due soon
    assert open_task[TODAY].is_due_soon(TODAY)
    assert open_task[TODAY + 7 * DAY].is_due_soon(TODAY)  # the last day of the window (DUE_SOON_DAYS = 7)
    assert not open_task[TODAY + 8 * DAY].is_due_soon(TODAY)
    assert set(Task.objects.due_soon(TODAY).values_list("due_date", flat=True)) == {
        TODAY + offset * DAY for offset in (0, 1, 4, 5, 6, 7)
    }


@override_settings(DUE_SOON_DAYS=5)
def test_due_soon_follows_the_setting_in_queries_twins_and_the_badge(tasks):
    open_task = {t.due_date: t for t in tasks if t.status == TaskStatus.OPEN}
    assert open_task[TODAY + 5 * DAY].is_due_soon(TODAY)
    assert not open_task[TODAY + 6 * DAY].is_due_soon(TODAY)
    assert set(Task.objects.due_soon(TODAY).values_list("due_date", flat=True)) == {
        TODAY + offset * DAY for offset in (0, 1, 4, 5)
    }
    badge = Template("{% load charter_tags %}{% task_state_badge task today %}")
    # Due in 6 days: "due soon" with the default 7-day window, plainly open with this 5-day one.
    assert "text-bg-info" in badge.render(Context({"task": open_task[TODAY + 6 * DAY], "today": TODAY}))
    assert "text-bg-warning" in badge.render(Context({"task": open_task[TODAY + 5 * DAY], "today": TODAY}))


def test_overdue_on_filter_is_the_task_twin(tasks):
    template = Template("{% load charter_tags %}{% if task|overdue_on:today %}overdue{% endif %}")
    for task in tasks:
        rendered = template.render(Context({"task": task, "today": TODAY}))
        assert (rendered == "overdue") == task.is_overdue(TODAY)
