"""List, calendar and detail pages use the same number of queries for 1 row as for 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from tests.meetings.factories import CouncilSessionFactory, MeetingFactory, SessionDocumentFactory, local_datetime

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _meetings(agencies, count):
    for index in range(count):
        MeetingFactory(
            host_agency=agencies.hdnd,
            participating_agencies=[agencies.ubnd, agencies.mttq],
            starts_at=local_datetime(2026, 11, 1 + index % 28, 8 + index % 8),
        )


def test_list_query_count_is_constant(agencies, clerk, login, reference_data):
    client = login(clerk)
    _meetings(agencies, 1)
    one = _count(client, "/meetings/")
    _meetings(agencies, 49)
    assert _count(client, "/meetings/?page=2") == one
    assert _count(client, "/meetings/") == one
    assert _count(client, "/meetings/?minutes_missing=on") == one


def test_calendar_query_count_is_constant(agencies, clerk, login, reference_data):
    client = login(clerk)
    _meetings(agencies, 1)
    one = _count(client, "/meetings/calendar/?date=2026-11-10")
    _meetings(agencies, 49)
    assert _count(client, "/meetings/calendar/?date=2026-11-10") == one


def _fill(session, agencies, clerk, rows):
    for index in range(rows):
        services.agenda_item_add(actor=clerk, meeting=session, title=f"Nội dung {index}")
        services.conclusion_add(
            actor=clerk,
            meeting=session,
            text=f"Kết luận {index}",
            responsible_agency=agencies.ubnd,
            due_date=datetime.date(2026, 12, 20),
            create_task=True,
        )
        SessionDocumentFactory(meeting=session, responsible_agency=agencies.ubnd)
        MeetingFactory(host_agency=agencies.mttq, kind="voter_contact_before", session=session)
    services.attendance_set(
        actor=clerk,
        meeting=session,
        rows=[{"person_name": f"Đại biểu {i}", "agency": agencies.hdnd, "status": "present"} for i in range(rows)],
    )


@pytest.mark.smoke
def test_detail_query_count_is_constant(agencies, clerk, login, reference_data):
    client = login(clerk)
    small = CouncilSessionFactory(host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd])
    large = CouncilSessionFactory(
        host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd, agencies.mttq, agencies.dbqh]
    )
    _fill(small, agencies, clerk, 1)
    _fill(large, agencies, clerk, 50)
    one = _count(client, f"/meetings/{small.pk}/")
    assert _count(client, f"/meetings/{large.pk}/") == one


def test_voter_contact_page_with_petitions_is_constant(agencies, clerk, login, reference_data):
    # The petitions come from the voters app; importing its factory here ties the test to that contract.
    voters_factories = pytest.importorskip("tests.voters.factories")
    client = login(clerk)
    counts = []
    for rows in (1, 30):
        meeting = MeetingFactory(
            host_agency=agencies.mttq, participating_agencies=[agencies.hdnd], kind="voter_contact_before"
        )
        for _ in range(rows):
            voters_factories.PetitionFactory(originating_agency=agencies.mttq, meeting=meeting)
        response_count = _count(client, f"/meetings/{meeting.pk}/")
        counts.append(response_count)
    assert counts[0] == counts[1]
