"""Supervision services: each write is one transaction with its audit entry, authorised whoever calls it,
and a report request / recommendation notifies the body that must act."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coordination.models import AuditEvent, Notification, Role
from supervision import services
from supervision.models import RecommendationStatus, SocialCriticism, SupervisionProgramme
from tests.factories import member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def plan(actor, agencies, **extra):
    fields = {
        "subject": "  Việc thực hiện chính sách về đất đai  ",
        "period_start": TODAY - datetime.timedelta(days=30),
        "period_end": TODAY + datetime.timedelta(days=30),
        "plan_number": "15/KH-HĐND",
    }
    fields.update(extra)
    return services.programme_create(
        actor=actor, supervising_agency=agencies.hdnd, supervised_agencies=[agencies.ubnd], **fields
    )


def test_programme_create_writes_the_programme_and_its_audit_entry(clerk, agencies):
    programme = plan(clerk, agencies)
    assert programme.subject == "Việc thực hiện chính sách về đất đai"
    assert programme.subject_key == "viec thuc hien chinh sach ve dat dai"
    assert list(programme.supervised_agencies.all()) == [agencies.ubnd]
    event = AuditEvent.objects.get(object_id=str(programme.pk), action="create")
    assert event.actor == clerk and event.unit_id == agencies.hdnd.unit_id


def test_an_invalid_period_writes_nothing(clerk, agencies):
    with pytest.raises(ValidationError):
        plan(clerk, agencies, period_end=TODAY - datetime.timedelta(days=60))
    assert not SupervisionProgramme.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.parametrize("actor_name", ["leader", "outsider", "mttq_clerk"])
def test_who_may_not_plan_for_the_council(request, agencies, actor_name):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(PermissionDenied):
        plan(actor, agencies)
    assert not SupervisionProgramme.objects.exists()


def test_the_council_office_plans_for_a_committee_of_the_council(clerk, agencies):
    from tests.factories import DepartmentFactory

    committee = DepartmentFactory(unit=agencies.hdnd.unit, name="Ban Kinh tế - Ngân sách HĐND")
    programme = services.programme_create(
        actor=clerk,
        supervising_agency=committee,
        subject="Quản lý đất đai",
        period_start=TODAY,
        period_end=TODAY,
    )
    assert programme.supervising_agency == committee


def test_report_request_notifies_the_supervised_body_in_the_same_transaction(clerk, ubnd_clerk, agencies):
    programme = plan(clerk, agencies)
    due = TODAY + datetime.timedelta(days=10)
    request = services.report_request_create(actor=clerk, programme=programme, agency=agencies.ubnd, due_date=due)
    note = Notification.objects.get(recipient=ubnd_clerk)
    assert note.item_key == f"supervision_report:{request.pk}" and note.kind == "handoff_supervision_report"
    assert due.strftime("%d/%m/%Y") in note.title and programme.subject in note.title
    assert not Notification.objects.filter(recipient=clerk).exists(), "the sender is not told"
    assert AuditEvent.objects.filter(object_id=str(programme.pk), action="report_request").exists()


def test_a_report_received_after_its_due_date_is_late(clerk, agencies):
    programme = plan(clerk, agencies)
    request = services.report_request_create(
        actor=clerk,
        programme=programme,
        agency=agencies.ubnd,
        requested_on=TODAY - datetime.timedelta(days=20),
        due_date=TODAY - datetime.timedelta(days=5),
    )
    assert not request.is_late and request.is_overdue(TODAY)
    services.report_receive(actor=clerk, request=request, received_on=TODAY - datetime.timedelta(days=1))
    request.refresh_from_db()
    assert request.is_late and not request.is_overdue(TODAY)
    event = AuditEvent.objects.get(object_id=str(programme.pk), action="report_receive")
    assert "chậm" in event.summary or "late" in event.summary


def test_a_report_cannot_be_received_in_the_future(clerk, agencies):
    programme = plan(clerk, agencies)
    request = services.report_request_create(
        actor=clerk, programme=programme, agency=agencies.ubnd, due_date=TODAY + datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError):
        services.report_receive(actor=clerk, request=request, received_on=TODAY + datetime.timedelta(days=1))
    request.refresh_from_db()
    assert request.received_on is None
    assert not AuditEvent.objects.filter(action="report_receive").exists()


def test_the_responsible_body_marks_its_recommendation_done(clerk, ubnd_clerk, leader, agencies):
    programme = plan(clerk, agencies)
    recommendation = services.recommendation_create(
        actor=clerk,
        programme=programme,
        text="Rà soát thủ tục cấp giấy chứng nhận.",
        responsible_agency=agencies.ubnd,
        due_date=TODAY + datetime.timedelta(days=30),
    )
    assert Notification.objects.filter(recipient=ubnd_clerk, kind="handoff_recommendation").exists()
    with pytest.raises(PermissionDenied):
        services.recommendation_complete(actor=leader, recommendation=recommendation, done_on=TODAY)
    services.recommendation_complete(actor=ubnd_clerk, recommendation=recommendation, done_on=TODAY, result="Xong")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE and recommendation.done_on == TODAY
    assert not recommendation.done_late
    with pytest.raises(ValidationError):
        services.recommendation_complete(actor=ubnd_clerk, recommendation=recommendation, done_on=TODAY)
    assert AuditEvent.objects.filter(action="recommendation_done").count() == 1


def test_a_body_of_another_province_cannot_be_supervised(clerk, agencies, other_agency):
    programme = plan(clerk, agencies)
    with pytest.raises(ValidationError):
        services.report_request_create(
            actor=clerk, programme=programme, agency=other_agency, due_date=TODAY + datetime.timedelta(days=5)
        )


def test_a_visit_is_a_supervision_meeting_hosted_by_the_supervising_body(clerk, agencies):
    from meetings.models import MeetingKind

    programme = plan(clerk, agencies)
    meeting = services.visit_record(
        actor=clerk,
        programme=programme,
        title="Giám sát tại Sở Xây dựng",
        starts_at=timezone.now(),
        agencies=[agencies.ubnd],
    )
    assert meeting.kind == MeetingKind.SUPERVISION and meeting.host_agency == agencies.hdnd
    assert list(programme.visits.all()) == [meeting]


def test_social_criticism_is_recorded_by_the_front(mttq_clerk, clerk, agencies):
    with pytest.raises(PermissionDenied):
        services.criticism_create(actor=clerk, agency=agencies.mttq, subject="Dự thảo", held_on=TODAY)
    criticism = services.criticism_create(
        actor=mttq_clerk, agency=agencies.mttq, subject="Dự thảo Nghị quyết về giá đất", held_on=TODAY
    )
    assert SocialCriticism.objects.get().unit == agencies.mttq.unit
    assert AuditEvent.objects.filter(object_id=str(criticism.pk), action="create").exists()
    services.criticism_update(actor=mttq_clerk, criticism=criticism, conclusion="Đồng tình")
    assert AuditEvent.objects.filter(object_id=str(criticism.pk), action="update").exists()


def test_a_secretariat_member_of_another_agency_cannot_edit(agencies, clerk):
    programme = plan(clerk, agencies)
    other = member(agencies.dbqh, Role.CLERK, username="dbqh_clerk_x")
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=other, programme=programme, findings="x")
