"""The deadline engine: working days skip weekends and Vietnamese holidays; rules are data."""

from datetime import date

import holidays
import pytest

from coordination.deadlines import (
    deadline_compute,
    deadline_for,
    deadline_rule_for,
    is_working_day,
    working_days_add,
    working_days_between,
)
from coordination.models import DeadlineRule
from tests.factories import CommuneFactory, DeadlineRuleFactory, UnitFactory


def test_tet_2027_days_are_not_working_days():
    # Tết Đinh Mùi: 29 Tết (4 Feb 2027) to the 5th day (10 Feb 2027) are public holidays.
    for day in range(4, 11):
        assert not is_working_day(date(2027, 2, day)), day
    assert is_working_day(date(2027, 2, 11))


def test_ten_working_days_across_tet_2027():
    # Received Monday 1 Feb 2027: Tue 2, Wed 3 count; 4–10 Feb are Tết; Thu 11, Fri 12 count;
    # 15–19 Feb five more (7 so far → 9), Mon 22 is the 10th.
    assert working_days_add(date(2027, 2, 1), 10) == date(2027, 2, 22)


def test_working_days_skip_weekends_and_national_day():
    # Friday 28 Aug 2026 + 3 working days: 31 Aug (substituted day off), 1 and 2 Sep are holidays.
    assert working_days_add(date(2026, 8, 28), 3) == date(2026, 9, 7)


def test_make_up_saturday_22_08_2026_is_a_working_day():
    # Monday 31/08/2026 is a day off (bridging to National Day, 1-2/09) made up by working Saturday 22/08/2026.
    # The library knows it; the old weekday loop counted that Saturday as a day off.
    calendar = holidays.country_holidays("VN", years=2026)
    assert date(2026, 8, 22).weekday() == 5
    assert calendar.is_working_day(date(2026, 8, 22))
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 23))  # the Sunday after stays a day off
    assert not is_working_day(date(2026, 8, 31))
    # Friday 21/08 + 1 working day is that Saturday; Friday to Monday spans two working days.
    assert working_days_add(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert working_days_add(date(2026, 8, 24), 1, forward=False) == date(2026, 8, 22)
    assert working_days_between(date(2026, 8, 21), date(2026, 8, 24)) == 2


@pytest.mark.django_db
def test_sql_working_day_calendar_counts_the_make_up_saturday():
    # The dashboard summary's WorkingDayOrdinal table is built from the same calendar: its differences are
    # working_days_between, Saturday 22/08/2026 included.
    from coordination.dashboard.summary import working_day_ordinals_rebuild
    from coordination.models import WorkingDayOrdinal

    working_day_ordinals_rebuild(date(2026, 8, 17), date(2026, 9, 7))
    ordinal = dict(WorkingDayOrdinal.objects.values_list("day", "ordinal"))
    assert ordinal[date(2026, 8, 22)] - ordinal[date(2026, 8, 21)] == 1
    for start, end in [(date(2026, 8, 21), date(2026, 8, 24)), (date(2026, 8, 17), date(2026, 9, 7))]:
        assert ordinal[end] - ordinal[start] == working_days_between(start, end)


def test_working_days_at_a_year_end_and_far_from_today():
    # A walk across 31 December, and a year the calendar has not loaded yet.
    assert working_days_add(date(2026, 12, 30), 2) == date(2027, 1, 4)  # 31/12 Thu, 1/1 holiday, 4/1 Mon
    assert working_days_add(date(2040, 3, 2), 1) == date(2040, 3, 5)


def test_zero_working_days_is_the_anchor_itself():
    assert working_days_add(date(2026, 8, 23), 0) == date(2026, 8, 23)


def test_working_days_backwards():
    assert working_days_add(date(2026, 12, 14), 5, forward=False) == date(2026, 12, 7)


def test_working_days_between_counts_only_working_days():
    assert working_days_between(date(2027, 2, 1), date(2027, 2, 22)) == 10
    assert working_days_between(date(2027, 2, 22), date(2027, 2, 1)) == 0


@pytest.mark.parametrize(
    ("amount", "day_type", "direction", "anchor", "expected"),
    [
        (30, "calendar", "after", date(2026, 1, 15), date(2026, 2, 14)),
        (20, "calendar", "before", date(2026, 12, 8), date(2026, 11, 18)),
        (10, "working", "after", date(2027, 2, 1), date(2027, 2, 22)),
    ],
)
def test_deadline_compute(amount, day_type, direction, anchor, expected):
    rule = DeadlineRule(amount=amount, day_type=day_type, direction=direction, anchor="received")
    assert deadline_compute(rule, anchor) == expected


@pytest.mark.django_db
def test_unit_rule_overrides_national_default_and_applies_to_communes():
    province = UnitFactory()
    commune = CommuneFactory(parent=province)
    DeadlineRuleFactory(code="answer", amount=30, day_type="calendar")
    DeadlineRuleFactory(code="answer", amount=20, day_type="calendar", unit=province)
    assert deadline_rule_for("answer", unit=None, on_date=date(2026, 3, 1)).amount == 30
    assert deadline_rule_for("answer", unit=province, on_date=date(2026, 3, 1)).amount == 20
    assert deadline_rule_for("answer", unit=commune, on_date=date(2026, 3, 1)).amount == 20
    assert deadline_for("answer", anchor_date=date(2026, 3, 1), unit=commune) == date(2026, 3, 21)


@pytest.mark.django_db
def test_rule_versions_follow_effective_dates():
    DeadlineRuleFactory(code="compile", amount=10, effective_from=date(2017, 1, 1), effective_to=date(2025, 6, 30))
    DeadlineRuleFactory(code="compile", amount=15, effective_from=date(2025, 7, 1))
    assert deadline_rule_for("compile", on_date=date(2024, 5, 1)).amount == 10
    assert deadline_rule_for("compile", on_date=date(2026, 5, 1)).amount == 15
    assert deadline_rule_for("compile", on_date=date(2016, 5, 1)) is None
    assert deadline_for("missing-code", anchor_date=date(2026, 1, 1)) is None


@pytest.mark.django_db
@pytest.mark.smoke
def test_seeded_rules_carry_their_legal_basis(reference_data):
    rule = deadline_rule_for("complaint-decide", on_date=date(2026, 1, 1))
    assert rule.amount == 30 and "Luật Khiếu nại" in rule.legal_basis
    assert deadline_rule_for("denunciation-decide", on_date=date(2026, 1, 1)).amount == 30
    assert deadline_rule_for("na-petition-answer", on_date=date(2026, 1, 1)).amount == 40
    assert deadline_rule_for("petition-compile", on_date=date(2026, 1, 1)).amount == 15
