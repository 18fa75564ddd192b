"""The charter page and the task list cost the same number of queries for 1 row as for 50."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charters import services
from charters.models import Cadence, CharterStatus
from coordination.models import CoordinationArea
from tests.charters.factories import make_charter


def charter_with_articles(agencies, count, clerk):
    area = CoordinationArea.objects.get(code="supervision")
    articles = [
        {
            "number": number,
            "title": f"Điều khoản {number}",
            "area": area,
            "lead_agency": agencies.hdnd,
            "supporting_agencies": [agencies.ubnd, agencies.mttq],
        }
        for number in range(1, count + 1)
    ]
    charter = make_charter(agencies, status=CharterStatus.IN_FORCE, articles=articles)
    for article in charter.articles.all():
        services.obligation_create(
            actor=clerk,
            article=article,
            description=f"Báo cáo quý theo điều {article.number}",
            responsible_agency=agencies.ubnd,
            cadence=Cadence.QUARTERLY,
            day_of_period=20,
        )
    services.tasks_generate(charter=charter, year=2026, today=date(2026, 6, 15))
    return charter


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.smoke
def test_charter_detail_query_count_does_not_grow_with_articles(login, clerk, agencies, unit):
    client = login(clerk)
    small = charter_with_articles(agencies, 1, clerk)
    small_count = count_queries(client, reverse("charters:detail", args=[small.pk]))
    large = charter_with_articles(agencies, 50, clerk)
    large_count = count_queries(client, reverse("charters:detail", args=[large.pk]))
    assert large_count == small_count
    assert small_count <= 25


def test_task_list_query_count_does_not_grow_with_rows(login, clerk, agencies):
    client = login(clerk)
    url = reverse("charters:tasks")
    services.task_create(
        actor=clerk,
        unit=agencies.hdnd.unit,
        title="Nhiệm vụ 0",
        responsible_agency=agencies.hdnd,
        due_date=date(2026, 12, 1),
        supporting_agencies=[agencies.ubnd],
    )
    one = count_queries(client, url)
    for index in range(1, 50):
        services.task_create(
            actor=clerk,
            unit=agencies.hdnd.unit,
            title=f"Nhiệm vụ {index}",
            responsible_agency=agencies.ubnd if index % 2 else agencies.hdnd,
            due_date=date(2026, 12, 1) + timedelta(days=index),
            supporting_agencies=[agencies.mttq],
        )
    fifty = count_queries(client, url)
    assert fifty == one
    assert count_queries(client, url + "?overdue=on&year=2026") <= one


def test_charter_list_query_count_does_not_grow_with_rows(login, clerk, agencies):
    client = login(clerk)
    make_charter(agencies, number="01/QCPH-HĐND-UBND")
    one = count_queries(client, reverse("charters:list"))
    for index in range(2, 12):
        make_charter(agencies, number=f"{index:02d}/QCPH-HĐND-UBND")
    assert count_queries(client, reverse("charters:list")) == one
