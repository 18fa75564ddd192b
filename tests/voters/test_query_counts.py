"""The list and detail pages use as many queries for 50 rows as for 1."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from voters import services

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _petitions(agencies, count, clerk):
    """Petitions of two offices, a third of them forwarded with a supporting agency."""
    for index in range(count):
        petition = PetitionFactory(originating_agency=agencies.hdnd if index % 2 == 0 else agencies.mttq)
        if index % 3 == 0 and petition.originating_agency == agencies.hdnd:
            services.petition_forward(
                actor=clerk,
                petition=petition,
                agency=agencies.department,
                supporting_agencies=[agencies.ubnd],
                dispatch_date=datetime.date(2026, 11, 16),
            )


@pytest.mark.smoke
def test_list_query_count_is_constant(agencies, clerk, login, reference_data):
    client = login(clerk)
    _petitions(agencies, 1, clerk)
    one = _count(client, "/petitions/")
    _petitions(agencies, 49, clerk)
    assert _count(client, "/petitions/") == one
    assert _count(client, "/petitions/?q=cu+tri&sort=due&overdue=on") <= one
    assert _count(client, "/petitions/?status=forwarded&field=infrastructure") == one


def test_detail_query_count_is_constant(agencies, clerk, department_clerk, login, reference_data):
    primary = PetitionFactory(originating_agency=agencies.hdnd)
    client = login(clerk)
    url = f"/petitions/{primary.pk}/"
    services.petition_group_duplicates(
        actor=clerk, primary=primary, members=[PetitionFactory(originating_agency=agencies.hdnd)]
    )
    services.petition_forward(
        actor=clerk,
        petition=primary,
        agency=agencies.department,
        supporting_agencies=[agencies.ubnd],
        dispatch_date=datetime.date(2026, 11, 16),
    )
    one = _count(client, url)
    members = [PetitionFactory(originating_agency=agencies.hdnd) for _ in range(49)]
    services.petition_group_duplicates(actor=clerk, primary=primary, members=members)
    primary.refresh_from_db()
    services.petition_return(actor=department_clerk, petition=primary, reason="Không thuộc thẩm quyền")
    primary.refresh_from_db()
    services.petition_reforward(
        actor=clerk,
        petition=primary,
        agency=agencies.ubnd,
        supporting_agencies=[agencies.department, agencies.mttq],
        dispatch_date=datetime.date(2026, 11, 20),
    )
    assert _count(client, url) == one


def test_export_query_count_is_constant(agencies, clerk, login, reference_data):
    client = login(clerk)
    _petitions(agencies, 1, clerk)
    with CaptureQueriesContext(connection) as context:
        b"".join(client.get("/petitions/export.csv").streaming_content)
    one = len(context.captured_queries)
    _petitions(agencies, 49, clerk)
    with CaptureQueriesContext(connection) as context:
        b"".join(client.get("/petitions/export.csv").streaming_content)
    assert len(context.captured_queries) == one
