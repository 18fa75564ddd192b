"""The figures of supervision, from a hand-written set of records (expected values written here, not computed
by the code under test); late and overdue derived by date, their q_* conditions agreeing with the Python twins."""

import datetime

import pytest

from supervision.models import Recommendation, RecommendationQuerySet, ReportRequest, ReportRequestQuerySet
from supervision.selectors import supervision_figures
from tests.supervision.factories import (
    CriticismFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ReportRequestFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 10, 15)
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


@pytest.fixture
def year_of_supervision(agencies, other_agency):
    council = ProgrammeFactory(supervising_agency=agencies.hdnd, period_start=D(2026, 3, 1))
    front = ProgrammeFactory(supervising_agency=agencies.mttq, period_start=D(2026, 9, 1), period_end=D(2026, 9, 30))
    ProgrammeFactory(supervising_agency=agencies.dbqh, period_start=D(2025, 11, 1), period_end=D(2026, 1, 31))
    ProgrammeFactory(supervising_agency=agencies.dbqh, period_start=D(2026, 4, 1), status="cancelled")
    ProgrammeFactory(supervising_agency=other_agency, period_start=D(2026, 4, 1))  # another province
    ubnd, department = agencies.ubnd, agencies.department
    # Reports: 2 on time (one on the due day), 1 late, 1 outstanding and overdue, 1 outstanding not yet due.
    ReportRequestFactory(programme=council, agency=ubnd, due_date=D(2026, 3, 20), received_on=D(2026, 3, 18))
    ReportRequestFactory(programme=council, agency=department, due_date=D(2026, 3, 20), received_on=D(2026, 3, 20))
    ReportRequestFactory(programme=council, agency=department, due_date=D(2026, 3, 25), received_on=D(2026, 4, 2))
    ReportRequestFactory(programme=front, agency=ubnd, requested_on=D(2026, 9, 1), due_date=D(2026, 10, 1))
    ReportRequestFactory(programme=front, agency=department, requested_on=D(2026, 9, 1), due_date=D(2026, 10, 30))
    # Recommendations: 2 done (one late), 2 overdue, 1 open; one due next year (outside the period).
    RecommendationFactory(
        programme=council, responsible_agency=ubnd, due_date=D(2026, 6, 30), status="done", done_on=D(2026, 6, 1)
    )
    RecommendationFactory(
        programme=council, responsible_agency=ubnd, due_date=D(2026, 6, 30), status="done", done_on=D(2026, 7, 10)
    )
    RecommendationFactory(programme=council, responsible_agency=department, due_date=D(2026, 8, 31))
    RecommendationFactory(programme=council, responsible_agency=department, due_date=D(2026, 10, 14))
    RecommendationFactory(programme=front, responsible_agency=ubnd, due_date=D(2026, 10, 15))
    RecommendationFactory(programme=front, responsible_agency=ubnd, due_date=D(2027, 1, 15))
    # Done early, in this year, though due next year: counted this year as done.
    RecommendationFactory(
        programme=front, responsible_agency=ubnd, due_date=D(2027, 2, 1), status="done", done_on=D(2026, 10, 1)
    )
    # A report due last year, received this year (late): counted this year.
    ReportRequestFactory(
        programme=council, agency=ubnd, requested_on=D(2025, 12, 1), due_date=D(2025, 12, 20), received_on=D(2026, 1, 5)
    )
    CriticismFactory(agency=agencies.mttq, held_on=D(2026, 5, 5))
    CriticismFactory(agency=agencies.mttq, held_on=D(2026, 11, 5))
    CriticismFactory(agency=agencies.mttq, held_on=D(2025, 12, 5))
    return agencies


def test_the_year_figures(year_of_supervision):
    unit = year_of_supervision.hdnd.unit
    figures = supervision_figures(unit_ids=[unit.pk], start=YEAR[0], end=YEAR[1], today=TODAY)
    assert figures == {
        "programmes_held": 2,
        "reports_requested": 6,
        "reports_on_time": 2,
        "reports_late": 2,
        "reports_outstanding": 2,
        "reports_overdue": 1,
        "recommendations_total": 6,
        "recommendations_done": 3,
        "recommendations_done_late": 1,
        "recommendations_overdue": 2,
        "recommendations_open": 1,
        "social_criticisms": 2,
    }


def test_one_supervising_body(year_of_supervision):
    unit = year_of_supervision.hdnd.unit
    figures = supervision_figures(
        unit_ids=[unit.pk], start=YEAR[0], end=YEAR[1], today=TODAY, agency_ids=[year_of_supervision.mttq.pk]
    )
    assert (figures["programmes_held"], figures["reports_requested"], figures["recommendations_open"]) == (1, 2, 1)
    assert figures["recommendations_done"] == 1
    assert figures["social_criticisms"] == 2


def test_the_q_conditions_agree_with_the_python_twins(year_of_supervision):
    for request in ReportRequest.objects.all():
        assert ReportRequest.objects.filter(ReportRequestQuerySet.q_overdue(TODAY), pk=request.pk).exists() == (
            request.is_overdue(TODAY)
        )
        assert ReportRequest.objects.filter(ReportRequestQuerySet.q_received_late(), pk=request.pk).exists() == (
            request.is_late
        )
    for recommendation in Recommendation.objects.all():
        assert Recommendation.objects.filter(
            RecommendationQuerySet.q_overdue(TODAY), pk=recommendation.pk
        ).exists() == recommendation.is_overdue(TODAY)
        assert (
            Recommendation.objects.filter(RecommendationQuerySet.q_done_late(), pk=recommendation.pk).exists()
            == recommendation.done_late
        )
