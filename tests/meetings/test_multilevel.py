"""Meetings of several levels: a province's briefing or hearing with its communes takes participants from the
unit's child units (and a commune's from its parent); agencies of unrelated units are still refused."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from coordination.models import AgencyKind
from meetings import services
from meetings.models import Meeting, MeetingKind
from tests.factories import AgencyFactory, CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_council(unit):
    commune = CommuneFactory(parent=unit, name="Phường Hải Châu")
    return AgencyFactory(unit=commune, kind=AgencyKind.HDND, name="Thường trực HĐND phường Hải Châu")


def _data(agencies, participants):
    return {
        "title": "Giao ban giữa Thường trực HĐND thành phố với Thường trực HĐND các phường, xã quý II/2026",
        "kind": MeetingKind.JOINT_BRIEFING,
        "host_agency": agencies.hdnd.pk,
        "participating_agencies": [agency.pk for agency in participants],
        "starts_at": "2026-06-24T08:00",
        "ends_at": "2026-06-24T11:00",
        "place": "Phòng họp Thường trực HĐND thành phố",
        "chair": "Lương Nguyễn Minh Triết",
        "idempotency_token": str(uuid.uuid4()),
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
    }


def test_province_briefing_takes_the_councils_of_its_communes(agencies, commune_council, clerk, login, reference_data):
    response = login(clerk).post("/meetings/new/", _data(agencies, [agencies.ubnd, commune_council]))
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    meeting = Meeting.objects.get()
    assert meeting.unit == agencies.hdnd.unit
    assert set(meeting.participating_agencies.all()) == {agencies.ubnd, commune_council}


def test_agency_of_an_unrelated_unit_is_refused(agencies, other_agency, clerk, login, reference_data):
    response = login(clerk).post("/meetings/new/", _data(agencies, [other_agency]))
    assert response.status_code == 200
    assert "participating_agencies" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_service_accepts_parent_and_refuses_unrelated_units(agencies, commune_council, other_agency, site_admin):
    commune_meeting = services.meeting_create(
        actor=site_admin,
        title="Hội nghị giải trình của HĐND phường Hải Châu",
        kind=MeetingKind.EXPLANATION_HEARING,
        unit=commune_council.unit,
        host_agency=commune_council,
        starts_at=Meeting._meta.get_field("starts_at").to_python("2026-08-19T08:00:00+07:00"),
        participating_agencies=[agencies.hdnd],
    )
    assert list(commune_meeting.participating_agencies.all()) == [agencies.hdnd]
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=site_admin,
            meeting=commune_meeting,
            version=commune_meeting.version,
            participating_agencies=[other_agency],
        )
    assert list(commune_meeting.participating_agencies.all()) == [agencies.hdnd]
