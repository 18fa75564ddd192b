"""Tasks by hand and from meeting conclusions, completion on time or late, and the derived states."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from charters import services
from charters.models import Task, TaskOrigin, TaskStatus


def make_task(agencies, actor, *, due_date, title="Chuẩn bị phiên giải trình", **extra):
    return services.task_create(
        actor=actor,
        unit=agencies.hdnd.unit,
        title=title,
        responsible_agency=extra.pop("responsible_agency", agencies.hdnd),
        due_date=due_date,
        origin=extra.pop("origin", TaskOrigin.ARISING),
        **extra,
    )


@pytest.mark.smoke
def test_task_done_on_or_before_the_due_date_is_on_time(agencies, clerk):
    today = timezone.localdate()
    task = make_task(agencies, clerk, due_date=today)
    services.task_complete(actor=clerk, task=task, completed_on=today, evidence_note="Công văn số 12", version=1)
    task = Task.objects.get(pk=task.pk)
    assert task.status == TaskStatus.DONE
    assert task.done_on_time is True
    assert Task.objects.done_on_time().filter(pk=task.pk).exists()
    assert not Task.objects.done_late().filter(pk=task.pk).exists()


def test_task_done_after_the_due_date_is_late(agencies, clerk):
    today = timezone.localdate()
    task = make_task(agencies, clerk, due_date=today - timedelta(days=10))
    services.task_complete(
        actor=clerk, task=task, completed_on=today, evidence_link="https://example.test/bao-cao", version=1
    )
    task = Task.objects.get(pk=task.pk)
    assert task.done_on_time is False
    assert Task.objects.done_late().filter(pk=task.pk).exists()


def test_completion_needs_evidence_and_a_date_not_in_the_future(agencies, clerk):
    today = timezone.localdate()
    task = make_task(agencies, clerk, due_date=today)
    with pytest.raises(ValidationError, match="evidence"):
        services.task_complete(actor=clerk, task=task, completed_on=today, version=1)
    with pytest.raises(ValidationError):
        services.task_complete(
            actor=clerk, task=task, completed_on=today + timedelta(days=1), evidence_note="x", version=1
        )


def test_a_stale_version_is_a_conflict(agencies, clerk):
    task = make_task(agencies, clerk, due_date=date(2026, 12, 1))
    services.task_update(actor=clerk, task=task, version=1, title="Tiêu đề mới")
    with pytest.raises(services.ConflictError):
        services.task_complete(actor=clerk, task=task, completed_on=timezone.localdate(), evidence_note="x", version=1)


def test_a_done_task_cannot_be_cancelled(agencies, clerk):
    today = timezone.localdate()
    task = make_task(agencies, clerk, due_date=today)
    services.task_complete(actor=clerk, task=task, completed_on=today, evidence_note="x", version=1)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.task_cancel(actor=clerk, task=task, version=task.version, reason="Không cần")


def test_overdue_and_due_soon_are_derived(agencies, clerk):
    today = date(2026, 11, 24)
    overdue = make_task(agencies, clerk, due_date=today - timedelta(days=1), title="Quá hạn")
    soon = make_task(agencies, clerk, due_date=today + timedelta(days=3), title="Sắp đến hạn")
    later = make_task(agencies, clerk, due_date=today + timedelta(days=30), title="Còn xa")
    assert list(Task.objects.overdue(today)) == [overdue]
    assert list(Task.objects.due_soon(today, 7)) == [soon]
    assert set(Task.objects.open()) == {overdue, soon, later}
    services.task_cancel(actor=clerk, task=overdue, version=overdue.version, reason="Không còn phù hợp")
    assert not Task.objects.overdue(today).exists()


def test_task_from_a_meeting_conclusion(agencies, clerk, in_force_charter):
    article = in_force_charter.articles.get(number=1)
    task = services.task_create(
        actor=clerk,
        unit=agencies.hdnd.unit,
        title="UBND báo cáo kết quả xử lý ô nhiễm tại sông Phú Lộc",
        responsible_agency=agencies.ubnd,
        due_date=date(2026, 12, 15),
        origin=TaskOrigin.CONCLUSION,
        article=article,
        supporting_agencies=[agencies.department, agencies.ubnd],
    )
    assert task.charter == in_force_charter
    assert task.area == article.area
    assert list(task.supporting_agencies.all()) == [agencies.department]


def test_task_for_another_units_agency_is_refused(agencies, clerk, other_agency):
    with pytest.raises(ValidationError, match="not an agency"):
        make_task(agencies, clerk, due_date=date(2026, 12, 1), responsible_agency=other_agency)


def test_the_same_token_creates_one_task(agencies, clerk):
    first = make_task(agencies, clerk, due_date=date(2026, 12, 1), idempotency_token="tok-1")
    second = make_task(agencies, clerk, due_date=date(2026, 12, 1), idempotency_token="tok-1")
    assert first.pk == second.pk
    assert Task.objects.count() == 1
