"""The charter page's figures, read the fast way (per-article counts in a second query, years by skip scan,
a petition count per meeting), equal what the plain annotated queries give."""

from datetime import date

import pytest
from django.urls import reverse

from charters import selectors, services
from charters.models import CharterStatus
from tests.charters.factories import make_charter

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def charter_with_tasks(agencies, clerk, ubnd_clerk):
    charter = make_charter(agencies, status=CharterStatus.IN_FORCE)
    first, second = charter.articles.order_by("number")
    unit = agencies.hdnd.unit

    def task(article, due, **done):
        made = services.task_create(
            actor=clerk, unit=unit, title=f"Việc {due}", responsible_agency=agencies.ubnd, due_date=due, article=article
        )
        if done.get("completed_on"):
            services.task_complete(
                actor=ubnd_clerk,  # the responsible agency's clerk: the service authorizes its actor
                task=made,
                completed_on=done["completed_on"],
                version=made.version,
                evidence_note="Báo cáo số 12",
            )
        if done.get("cancel"):
            services.task_cancel(actor=ubnd_clerk, task=made, version=made.version, reason="Không còn cần")
        return made

    task(first, date(2024, 3, 1), completed_on=date(2024, 2, 20))  # on time
    task(first, date(2024, 5, 1), completed_on=date(2024, 6, 2))  # late
    task(first, date(2026, 5, 1))  # overdue
    task(first, date(2026, 9, 1))  # open
    task(second, date(2025, 1, 10), cancel=True)  # not counted
    task(second, date(2026, 12, 31))  # open
    services.task_create(  # a task of the charter without an article: no article row counts it
        actor=clerk,
        unit=unit,
        title="Việc chung",
        responsible_agency=agencies.ubnd,
        due_date=date(2023, 4, 4),
        charter=charter,
    )
    return charter


def _figures(articles):
    return [(article.pk, *(getattr(article, name) for name in selectors.COMPLIANCE_COUNTS)) for article in articles]


@pytest.mark.parametrize("year", [None, 2024, 2026, 2025, 2030])
def test_article_compliance_equals_the_annotated_query(charter_with_tasks, year):
    fast = selectors.charter_articles_compliance(charter_with_tasks, today=TODAY, year=year)
    plain = selectors.charter_articles(charter_with_tasks, today=TODAY, year=year)
    assert _figures(fast) == _figures(plain)
    assert [article.pk for article in fast] == [article.pk for article in plain]


def test_years_with_tasks(charter_with_tasks):
    assert selectors.charter_years(charter_with_tasks) == [2026, 2025, 2024, 2023]
    assert selectors.charter_years(charter_with_tasks) == sorted(
        {day.year for day in charter_with_tasks.tasks.dates("due_date", "year")}, reverse=True
    )


def test_charter_page_shows_the_figures(charter_with_tasks, login, clerk, settings):
    response = login(clerk).get(reverse("charters:detail", args=[charter_with_tasks.pk]))
    assert response.status_code == 200
    assert response.context["years"] == [2026, 2025, 2024, 2023]
    totals = response.context["totals"]
    assert totals["tasks_total"] == 5
    assert totals["tasks_done_on_time"] == 1
    assert totals["tasks_done_late"] == 1
