"""Documents due before a council session: due dates from the rule, on time / late / overdue, counts per agency."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from coordination.deadlines import is_working_day
from coordination.models import DayType, DeadlineRule, Direction
from meetings import selectors, services
from meetings.models import DocumentState, SessionDocument
from tests.meetings.factories import CouncilSessionFactory, MeetingFactory, SessionDocumentFactory, local_datetime

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_due_date_is_twenty_calendar_days_before_opening(session, clerk):
    # The national rule: 20 calendar days before the opening day (8 Dec 2026 → 18 Nov 2026).
    document = services.session_document_add(
        actor=clerk,
        meeting=session,
        kind="submission",
        title="Tờ trình dự toán 2027",
        responsible_agency=session.host_agency,
    )
    assert document.due_date == datetime.date(2026, 11, 18)
    assert document.due_date_overridden is False


def test_unit_rule_in_working_days_skips_tet(agencies, reference_data, clerk):
    # A province that counts 10 working days before the opening: a session on 22 Feb 2027 reaches back
    # over the Tết 2027 holidays (4–10 Feb 2027), so the due date is earlier than two plain weeks.
    DeadlineRule.objects.create(
        code="session-documents",
        name="Hồ sơ kỳ họp (Đà Nẵng)",
        amount=10,
        day_type=DayType.WORKING,
        anchor="session_opening",
        direction=Direction.BEFORE,
        effective_from=datetime.date(2026, 1, 1),
        unit=agencies.hdnd.unit,
    )
    session = CouncilSessionFactory(host_agency=agencies.hdnd, starts_at=local_datetime(2027, 2, 22, 8))
    document = services.session_document_add(
        actor=clerk, meeting=session, kind="report", title="Báo cáo", responsible_agency=agencies.ubnd
    )
    assert not is_working_day(datetime.date(2027, 2, 8))  # a Tết day
    # Working days back from Mon 22 Feb: 19, 18, 17, 16, 15, 12, 11 Feb; Tết (4–10 Feb) is skipped; 3, 2, 1 Feb.
    assert document.due_date == datetime.date(2027, 2, 1)


def test_override_by_hand_is_marked(session, clerk):
    document = services.session_document_add(
        actor=clerk,
        meeting=session,
        kind="draft_resolution",
        title="Dự thảo nghị quyết",
        responsible_agency=session.host_agency,
        due_date=datetime.date(2026, 11, 25),
    )
    assert document.due_date == datetime.date(2026, 11, 25)
    assert document.due_date_overridden is True


def test_documents_only_for_council_sessions(agencies, reference_data, clerk):
    briefing = MeetingFactory(host_agency=agencies.hdnd)
    with pytest.raises(ValidationError):
        services.session_document_add(
            actor=clerk, meeting=briefing, kind="report", title="Báo cáo", responsible_agency=agencies.hdnd
        )


@pytest.mark.smoke
def test_delivery_marks_on_time_or_late(session, clerk):
    today = datetime.date(2026, 11, 24)
    on_time = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 18))
    late = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 18))
    overdue = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 18))
    pending = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 30))
    services.session_document_deliver(actor=clerk, document=on_time, delivered_on=datetime.date(2026, 11, 18))
    services.session_document_deliver(actor=clerk, document=late, delivered_on=datetime.date(2026, 11, 21))
    states = {doc.pk: doc.state_on(today) for doc in SessionDocument.objects.all()}
    assert states == {
        on_time.pk: DocumentState.ON_TIME,
        late.pk: DocumentState.LATE,
        overdue.pk: DocumentState.OVERDUE,
        pending.pk: DocumentState.PENDING,
    }
    annotated = {doc.pk: doc.db_state for doc in SessionDocument.objects.with_state(today)}
    assert annotated == {pk: str(state) for pk, state in states.items()}
    late.refresh_from_db()
    assert late.days_late == 3


def test_late_counts_per_agency(session, agencies, clerk):
    today = datetime.date(2026, 11, 24)
    due = datetime.date(2026, 11, 18)
    SessionDocumentFactory(meeting=session, responsible_agency=agencies.ubnd, due_date=due, delivered_on=due)
    SessionDocumentFactory(
        meeting=session, responsible_agency=agencies.ubnd, due_date=due, delivered_on=datetime.date(2026, 11, 20)
    )
    SessionDocumentFactory(meeting=session, responsible_agency=agencies.ubnd, due_date=due)
    SessionDocumentFactory(
        meeting=session, responsible_agency=agencies.mttq, due_date=due, delivered_on=datetime.date(2026, 11, 10)
    )
    rows = {
        row["responsible_agency"]: row
        for row in selectors.session_documents_late_by_agency(unit_ids=[session.unit_id], today=today)
    }
    assert rows[agencies.ubnd.pk]["total"] == 3
    assert rows[agencies.ubnd.pk]["late"] == 1
    assert rows[agencies.ubnd.pk]["overdue"] == 1
    assert rows[agencies.ubnd.pk]["on_time"] == 1
    assert rows[agencies.mttq.pk]["late"] == 0
    assert rows[agencies.mttq.pk]["on_time"] == 1


def test_delivery_recorded_from_the_page(session, clerk, login):
    document = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 18))
    client = login(clerk)
    response = client.post(f"/meetings/{session.pk}/documents/{document.pk}/delivered/", {"delivered_on": "2026-11-20"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.delivered_on == datetime.date(2026, 11, 20)
    assert document.state_on(datetime.date(2026, 11, 24)) == DocumentState.LATE


def test_moving_the_session_moves_rule_due_dates_but_not_manual_ones(session, clerk):
    by_rule = services.session_document_add(
        actor=clerk, meeting=session, kind="report", title="Báo cáo", responsible_agency=session.host_agency
    )
    by_hand = services.session_document_add(
        actor=clerk,
        meeting=session,
        kind="report",
        title="Báo cáo bổ sung",
        responsible_agency=session.host_agency,
        due_date=datetime.date(2026, 12, 1),
    )
    services.meeting_update(
        actor=clerk, meeting=session, version=session.version, starts_at=local_datetime(2026, 12, 15, 8)
    )
    by_rule.refresh_from_db()
    by_hand.refresh_from_db()
    assert by_rule.due_date == datetime.date(2026, 11, 25)
    assert by_hand.due_date == datetime.date(2026, 12, 1)


def test_document_form_twice_adds_one(session, agencies, clerk, login):
    client = login(clerk)
    token = client.get(f"/meetings/{session.pk}/").context["document_form"].initial["idempotency_token"]
    data = {
        "document-idempotency_token": token,
        "document-kind": "submission",
        "document-title": "Tờ trình về kế hoạch đầu tư công năm 2027",
        "document-responsible_agency": agencies.ubnd.pk,
    }
    client.post(f"/meetings/{session.pk}/documents/", data)
    client.post(f"/meetings/{session.pk}/documents/", data)
    assert session.documents.count() == 1
