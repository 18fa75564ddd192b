"""Every write service of meetings checks its actor, whoever calls it (a view, a Celery task, a command):
a clerk of another unit, or no one at all, is refused with PermissionDenied and nothing is written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from charters.models import Task
from coordination.models import AuditEvent
from meetings import services
from meetings.models import AgendaItem, Attendance, CalendarFeedToken, Conclusion, Meeting, MeetingKind, SessionDocument
from tests.meetings.factories import SessionDocumentFactory, local_datetime


@pytest.fixture
def world(agencies, session, clerk):
    AgendaItem.objects.create(meeting=session, order=1, title="Khai mạc")
    Attendance.objects.create(meeting=session, order=1, person_name="Nguyễn Văn An")
    conclusion = Conclusion.objects.create(
        meeting=session, order=1, text="UBND báo cáo", responsible_agency=agencies.ubnd, due_date=date(2026, 12, 30)
    )
    document = SessionDocumentFactory(meeting=session, responsible_agency=agencies.ubnd)
    token = services.calendar_feed_token_regenerate(actor=clerk, user=clerk)
    return {"agencies": agencies, "session": session, "conclusion": conclusion, "document": document, "token": token}


CALLS = {
    "meeting_create": lambda actor, w: services.meeting_create(
        actor=actor,
        title="Giao ban quý IV",
        kind=MeetingKind.JOINT_BRIEFING,
        unit=w["agencies"].hdnd.unit,
        host_agency=w["agencies"].hdnd,
        starts_at=local_datetime(2026, 12, 20),
    ),
    "meeting_update": lambda actor, w: services.meeting_update(
        actor=actor, meeting=w["session"], version=w["session"].version, title="Đã sửa"
    ),
    "agenda_item_add": lambda actor, w: services.agenda_item_add(actor=actor, meeting=w["session"], title="Bế mạc"),
    "agenda_set": lambda actor, w: services.agenda_set(actor=actor, meeting=w["session"], items=[{"title": "Một"}]),
    "attendance_set": lambda actor, w: services.attendance_set(
        actor=actor, meeting=w["session"], rows=[{"person_name": "Trần Thị Bình"}]
    ),
    "meeting_record_minutes": lambda actor, w: services.meeting_record_minutes(
        actor=actor, meeting=w["session"], text="Biên bản kỳ họp"
    ),
    "conclusion_add": lambda actor, w: services.conclusion_add(actor=actor, meeting=w["session"], text="Kết luận"),
    "conclusion_task_create": lambda actor, w: services.conclusion_task_create(actor=actor, conclusion=w["conclusion"]),
    "session_document_add": lambda actor, w: services.session_document_add(
        actor=actor,
        meeting=w["session"],
        kind="submission",
        title="Báo cáo kinh tế - xã hội",
        responsible_agency=w["agencies"].ubnd,
        due_date=date(2026, 10, 1),
    ),
    "session_document_deliver": lambda actor, w: services.session_document_deliver(
        actor=actor, document=w["document"], delivered_on=date(2026, 11, 17)
    ),
    "calendar_feed_token_regenerate": lambda actor, w: services.calendar_feed_token_regenerate(
        actor=actor, user=w["token"].user
    ),
    "calendar_feed_token_revoke": lambda actor, w: services.calendar_feed_token_revoke(
        actor=actor, user=w["token"].user
    ),
}

# Functions of the module that write nothing.
NOT_WRITES = {"minutes_file_validate", "session_document_due_date", "participant_unit_ids"}


def _stored():
    return (
        AuditEvent.objects.count(),
        list(Meeting.objects.order_by("pk").values_list("pk", "version", "title", "minutes_text")),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "title")),
        list(Attendance.objects.order_by("pk").values_list("pk", "person_name")),
        list(Conclusion.objects.order_by("pk").values_list("pk", "text", "task_id")),
        list(SessionDocument.objects.order_by("pk").values_list("pk", "title", "delivered_on")),
        list(CalendarFeedToken.objects.order_by("pk").values_list("pk", "token")),
        Task.objects.count(),
    )


def test_every_write_service_is_listed():
    public = {
        name
        for name, value in vars(services).items()
        if callable(value)
        and not isinstance(value, type)
        and not name.startswith("_")
        and getattr(value, "__module__", None) == services.__name__
    }
    assert public - NOT_WRITES == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_outsider_is_refused_and_nothing_is_written(name, world, outsider):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](outsider, world)
    assert _stored() == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_no_actor_is_refused(name, world):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](None, world)
    assert _stored() == before


def test_a_host_clerk_may_act(world, clerk):
    """The check lets the right user through: the outsider's call, made by the host agency's clerk."""
    CALLS["agenda_item_add"](clerk, world)
    assert world["session"].agenda_items.filter(title="Bế mạc").exists()


def test_a_due_date_set_by_hand_needs_the_council_office(world, agencies):
    """A participating agency's clerk adds documents, but only the host (HĐND) office overrides the due date."""
    from tests.factories import member

    ubnd_clerk = member(agencies.ubnd, username="ubnd_doc_clerk")
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS["session_document_add"](ubnd_clerk, world)
    assert _stored() == before
