""" "Waiting for you" on the home page: the items the user's agency must act on next, oldest first, each
linking to the item with its due date; the page's queries do not grow with the number of items."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import Role
from tests.factories import member
from tests.voters.factories import PetitionFactory
from voters import services
from voters.models import Status

pytestmark = pytest.mark.django_db

DISPATCH = datetime.date(2026, 11, 16)


@pytest.fixture
def department_clerk(agencies):
    return member(agencies.department, Role.CLERK, username="sxd_clerk")


def forward_some(clerk, agencies, count, dispatch=DISPATCH):
    petitions = PetitionFactory.create_batch(count, originating_agency=agencies.hdnd)
    for petition in petitions:
        services.petition_forward(actor=clerk, petition=petition, agency=agencies.department, dispatch_date=dispatch)
    return petitions


def test_lists_what_the_agency_must_answer_oldest_first(reference_data, clerk, agencies, department_clerk, client):
    later = forward_some(clerk, agencies, 1, DISPATCH + datetime.timedelta(days=7))[0]
    earlier = forward_some(clerk, agencies, 1)[0]
    client.force_login(department_clerk)
    response = client.get(reverse("home"))
    items = response.context["waiting_items"]
    assert [item.reference for item in items] == [earlier.reference, later.reference]
    page = response.content.decode()
    assert "Chờ anh/chị xử lý" in page
    assert reverse("voters:detail", args=[earlier.pk]) in page
    earlier.refresh_from_db()
    assert earlier.due_date.strftime("%d/%m/%Y") in page
    assert earlier.voter_name not in page  # no personal data on the panel


def test_each_office_sees_its_own_next_step(reference_data, clerk, agencies, department_clerk, mttq_clerk, client):
    petition = forward_some(clerk, agencies, 1)[0]
    services.petition_answer(
        actor=department_clerk,
        petition=petition,
        version=petition.version + 0,
        text="Đã xử lý.",
        document_date=datetime.date(2026, 11, 20),
        outcome="resolved",
    )
    client.force_login(mttq_clerk)
    (item,) = client.get(reverse("home")).context["waiting_items"]
    assert item.kind == "evaluate" and item.since == datetime.date(2026, 11, 20)
    services.petition_evaluate(actor=mttq_clerk, petition=petition, result="unsatisfactory", comment="Chưa rõ.")
    petition.refresh_from_db()
    client.force_login(department_clerk)
    (item,) = client.get(reverse("home")).context["waiting_items"]
    assert item.kind == "reanswer" and item.due_date == petition.due_date
    assert petition.status == Status.REANSWER


def test_returned_petitions_wait_on_the_forwarding_office(reference_data, clerk, agencies, department_clerk, client):
    petition = forward_some(clerk, agencies, 1)[0]
    services.petition_return(actor=department_clerk, petition=petition, reason="Không đúng thẩm quyền.")
    client.force_login(clerk)
    kinds = [item.kind for item in client.get(reverse("home")).context["waiting_items"]]
    assert kinds == ["reforward"]


def test_the_query_count_does_not_grow_with_the_items(reference_data, clerk, agencies, department_clerk, client):
    forward_some(clerk, agencies, 2)
    client.force_login(department_clerk)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(reverse("home")).context["waiting_items"]) == 2
    forward_some(clerk, agencies, 20)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("home")).context["waiting_items"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)
