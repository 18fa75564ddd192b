"""Each petition state is defined once as a `PetitionQuerySet` condition with its Python twin on `Petition`:
both must agree on every boundary date (yesterday, today, the due-soon boundary and one day past it), and the
dashboard's measures and the list's counts are those same conditions."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from voters.models import Petition, PetitionQuerySet, Status
from voters.selectors import petition_counts, petition_measure_q

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
DAY = timedelta(days=1)


@pytest.fixture
def petitions(agencies):
    rows = []
    for offset in (-8, -1, 0, 1, 6, 7, 8, None):
        due = TODAY + offset * DAY if offset is not None else None
        for status, answered in [
            (Status.FORWARDED, None),
            (Status.RECEIVED, None),
            (Status.ANSWERED, (due or TODAY) - DAY),
            (Status.ANSWERED, due or TODAY),
            (Status.ANSWERED, (due or TODAY) + DAY),
            (Status.CLOSED, (due or TODAY) + DAY),
        ]:
            if status == Status.FORWARDED and due is None:
                continue
            rows.append(
                PetitionFactory(
                    originating_agency=agencies.hdnd,
                    lead_agency=agencies.department if status != Status.RECEIVED else None,
                    status=status,
                    due_date=due,
                    answered_on=answered,
                )
            )
    return rows


def _agree(petitions, condition, twin):
    in_db = set(Petition.objects.filter(condition).values_list("pk", flat=True))
    in_python = {petition.pk for petition in petitions if twin(petition)}
    assert in_db == in_python
    return in_db


@pytest.mark.parametrize("today", [TODAY - DAY, TODAY, TODAY + DAY, TODAY + 7 * DAY])
def test_each_petition_state_and_its_python_twin_agree(petitions, today):
    assert _agree(petitions, PetitionQuerySet.q_overdue(today), lambda p: p.is_overdue(today))
    assert _agree(petitions, PetitionQuerySet.q_due_soon(today), lambda p: p.is_due_soon(today))
    assert _agree(petitions, PetitionQuerySet.q_answered_on_time(), lambda p: p.is_answered_on_time)
    assert _agree(petitions, PetitionQuerySet.q_answered_late(), lambda p: p.is_answered_late)
    # The dashboard's measures are the same conditions.
    _agree(petitions, petition_measure_q("overdue", today), lambda p: p.is_overdue(today))
    _agree(petitions, petition_measure_q("answered_on_time", today), lambda p: p.is_answered_on_time)
    _agree(petitions, petition_measure_q("answered_late", today), lambda p: p.is_answered_late)
    # The list's tabs count them too.
    counts = petition_counts(Petition.objects.all(), today)
    assert counts["overdue"] == sum(p.is_overdue(today) for p in petitions)
    assert counts["due_soon"] == sum(p.is_due_soon(today) for p in petitions)


def test_boundaries_of_overdue_and_due_soon(petitions):
    waiting = {p.due_date: p for p in petitions if p.status == Status.FORWARDED}
    assert waiting[TODAY - DAY].is_overdue(TODAY)
    assert not waiting[TODAY].is_overdue(TODAY)
    assert waiting[TODAY].is_due_soon(TODAY)
    assert waiting[TODAY + 7 * DAY].is_due_soon(TODAY)
    assert not waiting[TODAY + 8 * DAY].is_due_soon(TODAY)
    answered = [p for p in petitions if p.status == Status.ANSWERED and p.due_date == TODAY]
    assert [p.is_answered_late for p in answered] == [False, False, True]


@override_settings(DUE_SOON_DAYS=6)
def test_due_soon_follows_the_setting(petitions):
    assert set(Petition.objects.due_soon(TODAY).values_list("due_date", flat=True)) == {
        TODAY + offset * DAY for offset in (0, 1, 6)
    }
    assert petition_counts(Petition.objects.all(), TODAY)["due_soon"] == 3
    assert _agree(petitions, PetitionQuerySet.q_due_soon(TODAY), lambda p: p.is_due_soon(TODAY))
