"""Reports not received and recommendations not done are reminded to the body that must act, by date."""

import datetime

import pytest

from coordination.reminders import ReminderSchedule, reminders_plan
from supervision.reminders import recommendation_items, report_request_items
from tests.supervision.factories import ProgrammeFactory, RecommendationFactory, ReportRequestFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


def test_due_soon_and_overdue_items_reach_the_responsible_body(agencies, ubnd_clerk, settings):
    settings.REMINDER_LEAD_DAYS = [7, 3, 1]
    programme = ProgrammeFactory(supervising_agency=agencies.hdnd)
    soon = ReportRequestFactory(programme=programme, agency=agencies.ubnd, due_date=TODAY + datetime.timedelta(days=3))
    ReportRequestFactory(
        programme=programme,
        agency=agencies.ubnd,
        due_date=TODAY + datetime.timedelta(days=3),
        received_on=datetime.date(2026, 3, 2),
    )
    late = RecommendationFactory(
        programme=programme, responsible_agency=agencies.ubnd, due_date=TODAY - datetime.timedelta(days=1)
    )
    RecommendationFactory(
        programme=programme,
        responsible_agency=agencies.ubnd,
        due_date=TODAY - datetime.timedelta(days=1),
        status="done",
        done_on=TODAY,
    )
    schedule = ReminderSchedule(TODAY)
    assert [item.item_key for item in report_request_items(schedule)] == [f"supervision_report:{soon.pk}"]
    assert [item.item_key for item in recommendation_items(schedule)] == [f"supervision_recommendation:{late.pk}"]
    plan = {(entry.recipient_id, entry.item.item_key, entry.kind) for entry in reminders_plan(TODAY)}
    assert (ubnd_clerk.pk, f"supervision_report:{soon.pk}", "due_soon_3") in plan
    assert (ubnd_clerk.pk, f"supervision_recommendation:{late.pk}", "overdue") in plan
