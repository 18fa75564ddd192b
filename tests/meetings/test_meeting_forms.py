"""Creating and editing meetings: end to end, double submission, optimistic locking."""

import uuid

import pytest

from coordination.models import AuditEvent
from meetings import services
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _form_data(agencies, **overrides):
    data = {
        "title": "Tiếp xúc cử tri trước kỳ họp thứ 12 tại phường Hải Châu",
        "kind": "voter_contact_before",
        "subkind": "",
        "host_agency": agencies.mttq.pk,
        "participating_agencies": [agencies.hdnd.pk, agencies.ubnd.pk],
        "starts_at": "2026-11-28T08:00",
        "ends_at": "2026-11-28T11:00",
        "place": "Hội trường phường Hải Châu",
        "chair": "Ông Ngô Xuân Thắng",
        "idempotency_token": str(uuid.uuid4()),
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Đại biểu HĐND báo cáo dự kiến nội dung kỳ họp",
        "agenda-0-presenter": "Bà Cao Thị Huyền Trân",
        "agenda-1-title": "Cử tri phát biểu ý kiến, kiến nghị",
        "attendance-TOTAL_FORMS": "2",
        "attendance-INITIAL_FORMS": "0",
        "attendance-0-person_name": "Lương Nguyễn Minh Triết",
        "attendance-0-agency": agencies.hdnd.pk,
        "attendance-0-status": "present",
        "attendance-1-person_name": "Lê Trung Chinh",
        "attendance-1-agency": agencies.ubnd.pk,
        "attendance-1-status": "delegated",
        "attendance-1-delegate_name": "Phó Chủ tịch UBND",
    }
    data.update(overrides)
    return data


@pytest.mark.smoke
def test_clerk_records_a_voter_contact_meeting(session, agencies, clerk, login):
    client = login(clerk)
    assert client.get("/meetings/new/").status_code == 200
    response = client.post("/meetings/new/", _form_data(agencies, session=session.pk))
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    meeting = Meeting.objects.get(kind="voter_contact_before")
    assert meeting.session == session
    assert meeting.unit == agencies.hdnd.unit
    assert [item.title for item in meeting.agenda_items.all()] == [
        "Đại biểu HĐND báo cáo dự kiến nội dung kỳ họp",
        "Cử tri phát biểu ý kiến, kiến nghị",
    ]
    assert meeting.attendance.get(status="delegated").delegate_name == "Phó Chủ tịch UBND"
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), action="create").count() == 1


def test_double_submission_creates_one_meeting(agencies, clerk, login, reference_data):
    client = login(clerk)
    data = _form_data(agencies)
    first = client.post("/meetings/new/", data)
    second = client.post("/meetings/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Meeting.objects.count() == 1


def test_delegated_without_delegate_is_rejected(agencies, clerk, login, reference_data):
    response = login(clerk).post("/meetings/new/", _form_data(agencies, **{"attendance-1-delegate_name": ""}))
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_agency_not_involved_cannot_create_for_others(agencies, mttq_clerk, login, reference_data):
    data = _form_data(agencies, host_agency=agencies.hdnd.pk, participating_agencies=[agencies.ubnd.pk])
    response = login(mttq_clerk).post("/meetings/new/", data)
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_edit_conflict_keeps_input_and_does_not_save(briefing, agencies, clerk, ubnd_clerk, login):
    stale_version = briefing.version
    services.meeting_update(actor=ubnd_clerk, meeting=briefing, version=stale_version, place="Phòng họp số 2")
    data = _form_data(
        agencies,
        title="Giao ban quý IV (đã sửa)",
        kind="joint_briefing",
        host_agency=agencies.hdnd.pk,
        participating_agencies=[agencies.ubnd.pk],
        version=stale_version,
    )
    data.pop("idempotency_token")
    response = login(clerk).post(f"/meetings/{briefing.pk}/edit/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Giao ban quý IV (đã sửa)" in body  # the user's input is still in the form
    assert response.context["form"].non_field_errors()
    briefing.refresh_from_db()
    assert briefing.place == "Phòng họp số 2"
    assert briefing.title != "Giao ban quý IV (đã sửa)"
    # Saving again (the form now carries the current version) goes through.
    data["version"] = response.context["form"].data["version"]
    assert login(clerk).post(f"/meetings/{briefing.pk}/edit/", data).status_code == 302
    briefing.refresh_from_db()
    assert briefing.title == "Giao ban quý IV (đã sửa)"


def test_service_raises_conflict_on_stale_version(briefing, clerk):
    services.meeting_update(actor=clerk, meeting=briefing, version=briefing.version, chair="A")
    with pytest.raises(services.MeetingConflict):
        services.meeting_update(actor=clerk, meeting=briefing, version=1, chair="B")


def test_minutes_conflict_keeps_text(briefing, clerk, ubnd_clerk, login):
    stale = briefing.version
    services.meeting_update(actor=ubnd_clerk, meeting=briefing, version=stale, chair="Bà Cao Thị Huyền Trân")
    response = login(clerk).post(
        f"/meetings/{briefing.pk}/minutes/",
        {
            "minutes_text": "Biên bản do tôi viết.",
            "version": stale,
            "conclusions-TOTAL_FORMS": "0",
            "conclusions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Biên bản do tôi viết." in response.content.decode()
    briefing.refresh_from_db()
    assert briefing.minutes_recorded_at is None
