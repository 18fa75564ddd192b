"""Conclusions become follow-up tasks of the work programme, shown with their state on the meeting page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from charters.models import Task, TaskOrigin, TaskStatus
from coordination.models import AuditEvent
from meetings import services

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_conclusion_with_task(briefing, agencies, clerk):
    conclusion = services.conclusion_add(
        actor=clerk,
        meeting=briefing,
        text="UBND chỉ đạo Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước kỳ họp cuối năm.",
        responsible_agency=agencies.ubnd,
        due_date=datetime.date(2026, 12, 1),
        create_task=True,
    )
    task = Task.objects.get(pk=conclusion.task_id)
    assert task.origin == TaskOrigin.CONCLUSION
    assert task.responsible_agency == agencies.ubnd
    assert task.due_date == datetime.date(2026, 12, 1)
    assert task.unit == briefing.unit
    assert task.status == TaskStatus.OPEN
    assert AuditEvent.objects.filter(object_id=str(briefing.pk), action="conclusion_add").exists()


def test_conclusion_without_task(briefing, clerk):
    conclusion = services.conclusion_add(actor=clerk, meeting=briefing, text="Thống nhất nội dung báo cáo.")
    assert conclusion.task is None
    assert not Task.objects.exists()


def test_task_needs_agency_and_due_date(briefing, clerk):
    with pytest.raises(ValidationError):
        services.conclusion_add(actor=clerk, meeting=briefing, text="Giao nhiệm vụ.", create_task=True)
    assert not Task.objects.exists()


def test_task_created_later_only_once(briefing, agencies, clerk):
    conclusion = services.conclusion_add(
        actor=clerk,
        meeting=briefing,
        text="Rà soát.",
        responsible_agency=agencies.ubnd,
        due_date=datetime.date(2026, 12, 10),
    )
    services.conclusion_task_create(actor=clerk, conclusion=conclusion)
    services.conclusion_task_create(actor=clerk, conclusion=conclusion)
    assert Task.objects.count() == 1


def test_task_state_on_meeting_page(briefing, agencies, clerk, login):
    services.conclusion_add(
        actor=clerk,
        meeting=briefing,
        text="Hoàn thành báo cáo giám sát.",
        responsible_agency=agencies.ubnd,
        due_date=datetime.date(2026, 11, 20),
        create_task=True,
    )
    response = login(clerk).get(f"/meetings/{briefing.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hoàn thành báo cáo giám sát." in body
    assert "text-bg-danger" in body  # open and past due on 24 Nov 2026 → shown overdue


def test_minutes_page_records_minutes_and_conclusions(briefing, agencies, clerk, login):
    client = login(clerk)
    response = client.post(
        f"/meetings/{briefing.pk}/minutes/",
        {
            "minutes_text": "Hội nghị thống nhất các nội dung.",
            "conclusions-TOTAL_FORMS": "2",
            "conclusions-INITIAL_FORMS": "0",
            "conclusions-0-text": "Giao UBND rà soát kiến nghị tồn đọng.",
            "conclusions-0-responsible_agency": agencies.ubnd.pk,
            "conclusions-0-due_date": "2026-12-15",
            "conclusions-0-create_task": "on",
            "conclusions-1-text": "",
        },
    )
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.minutes_recorded_at is not None
    conclusion = briefing.conclusions.get()
    assert conclusion.task.responsible_agency == agencies.ubnd


def test_conclusion_form_twice_adds_one(briefing, agencies, clerk, login):
    client = login(clerk)
    token = client.get(f"/meetings/{briefing.pk}/").context["conclusion_form"].initial["idempotency_token"]
    data = {"conclusion-text": "Giao UBND rà soát các dự án chậm tiến độ", "conclusion-idempotency_token": token}
    client.post(f"/meetings/{briefing.pk}/conclusions/", data)
    client.post(f"/meetings/{briefing.pk}/conclusions/", data)
    assert briefing.conclusions.count() == 1
