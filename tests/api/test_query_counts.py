"""A list page of the read API costs the same number of queries for 2 rows as for 12."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.charters.factories import make_charter
from tests.meetings.factories import MeetingFactory
from tests.voters.factories import PetitionFactory
from voters import services

pytestmark = pytest.mark.django_db


def _count(client, secret, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200, response.content
    return len(context.captured_queries), len(response.json()["results"])


def _add_records(agencies, clerk, count):
    for index in range(count):
        petition = PetitionFactory(originating_agency=agencies.hdnd)
        services.petition_forward(
            actor=clerk,
            petition=petition,
            agency=agencies.department,
            supporting_agencies=[agencies.ubnd, agencies.mttq],
            dispatch_date=datetime.date(2026, 11, 16),
        )
        MeetingFactory(host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd])
        make_charter(agencies, actor=clerk, number=f"{index + 10}/QCPH")


@pytest.mark.parametrize("endpoint", ["units", "agencies", "charters", "meetings", "petitions"])
def test_list_query_count_is_constant(client, tokens, agencies, clerk, reference_data, endpoint):
    _add_records(agencies, clerk, 2)
    url = reverse(f"api:{endpoint}")
    _count(client, tokens["hdnd"], url)  # the token's first use of the minute also stamps its last_used_at
    few, few_rows = _count(client, tokens["hdnd"], url)
    _add_records(agencies, clerk, 10)
    # Bigger pages grow the unit and agency lists too (communes added per charter are not; 6 agencies).
    many, many_rows = _count(client, tokens["hdnd"], url)
    assert many_rows >= few_rows
    if endpoint in ("charters", "meetings", "petitions"):
        assert many_rows == few_rows + 10
    assert many == few, f"{endpoint}: {few} queries for {few_rows} rows, {many} for {many_rows}"
