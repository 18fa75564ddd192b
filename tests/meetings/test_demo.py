"""The meetings demo: the 2025–2026 cycle per unit, idempotent, minutes only for past meetings."""

import datetime

import pytest
from django.core.management import call_command

from meetings.models import Conclusion, Meeting, MeetingKind, SessionDocument
from meetings.selectors import session_documents_late_by_agency

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def test_demo_cycle_is_complete_and_idempotent():
    call_command("seed_demo", "--today", TODAY.isoformat(), verbosity=0)
    counts = (Meeting.objects.count(), SessionDocument.objects.count(), Conclusion.objects.count())
    call_command("seed_demo", "--today", TODAY.isoformat(), verbosity=0)
    assert (Meeting.objects.count(), SessionDocument.objects.count(), Conclusion.objects.count()) == counts

    danang = Meeting.objects.filter(unit__name="Thành phố Đà Nẵng")
    assert danang.filter(kind=MeetingKind.COUNCIL_SESSION, subkind="regular").count() == 4
    assert danang.filter(kind=MeetingKind.REVIEW_CONFERENCE, starts_at__month=1).count() == 2
    assert danang.filter(kind=MeetingKind.JOINT_BRIEFING).count() == 8
    assert danang.filter(kind=MeetingKind.CITIZEN_RECEPTION).count() == 24
    # Voter contact before and after every session, in several communes of the city.
    contacts = danang.filter(kind__in=[MeetingKind.VOTER_CONTACT_BEFORE, MeetingKind.VOTER_CONTACT_AFTER])
    assert contacts.filter(session__isnull=True).count() == 0
    assert contacts.values("constituency_unit").distinct().count() >= 2

    future = Meeting.objects.filter(starts_at__date__gt=TODAY)
    assert future.exists() and not future.filter(minutes_recorded_at__isnull=False).exists()
    assert 0 < Meeting.objects.minutes_missing(TODAY).filter(unit__name="Thành phố Đà Nẵng").count() <= 6
    assert Conclusion.objects.filter(task__isnull=False, task__origin="conclusion").exists()
    assert danang.filter(charter__isnull=False).exists()

    rows = list(session_documents_late_by_agency(unit_ids=list(danang.values_list("unit_id", flat=True)), today=TODAY))
    assert sum(row["late"] for row in rows) > 0
    assert sum(row["on_time"] for row in rows) > 0
    assert sum(row["overdue"] for row in rows) > 0
