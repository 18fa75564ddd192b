"""A count shown in two places is the same count: the dashboard's card, the list tab it drills down to and
the daily digest give one number for one scope, and each says which scope ("năm 2026", "mọi năm")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.models import Role
from coordination.reminders import digest_figures, digest_message
from tests.factories import CommuneFactory, member
from tests.voters.factories import PetitionFactory
from voters import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def department_clerk(agencies):
    return member(agencies.department, Role.CLERK, username="sxd_clerk")


def forward(leader, agencies, received_on, due_in_days, **extra):
    petition = PetitionFactory(originating_agency=agencies.hdnd, received_on=received_on, **extra)
    services.petition_forward(
        actor=leader,
        petition=petition,
        agency=agencies.department,
        dispatch_date=received_on,
        due_date=received_on + datetime.timedelta(days=due_in_days),
    )
    return petition


@pytest.fixture
def year_of_petitions(reference_data, leader, agencies):
    """Overdue now: two received this year, one last year; one this year still within its time."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, 1, 2)
    last_year = datetime.date(today.year - 1, 6, 1)
    forward(leader, agencies, this_year, 1)
    forward(leader, agencies, this_year, 1)
    forward(leader, agencies, last_year, 1)
    forward(leader, agencies, this_year, 400)
    return today


def overdue_tab(response):
    return next(tab for tab in response.context["tabs"] if tab["key"] == "overdue")


def test_dashboard_card_list_tab_and_digest_agree_for_the_same_scope(year_of_petitions, department_clerk, client):
    today = year_of_petitions
    client.force_login(department_clerk)
    dashboard = client.get(reverse("dashboard"), {"year": today.year})
    figure = dashboard.context["petitions"]["overdue"]
    assert figure.value == 2
    assert f"năm {today.year}" in dashboard.content.decode()

    # The drill-down lands on the list with the "Overdue" tab (and its checkbox) active, counting the same.
    listing = client.get(figure.url)
    tab = overdue_tab(listing)
    assert tab["active"] and tab["count"] == 2
    assert listing.context["page"].paginator.count == 2
    assert listing.context["filter"].form["overdue"].value()
    assert listing.context["scope_text"] == f"năm {today.year}"

    # The digest states the same figure for the same scope, and the all-years one separately.
    this_year, all_years = digest_figures(department_clerk, today)
    assert (this_year["scope"], this_year["value"]) == (f"năm {today.year}", 2)
    assert (all_years["scope"], all_years["value"]) == ("mọi năm", 3)
    for digest_figure in (this_year, all_years):
        path = digest_figure["url"].split("://", 1)[-1].split("/", 1)[1]
        assert overdue_tab(client.get("/" + path))["count"] == digest_figure["value"]
    # The unfiltered list says its scope too: every year.
    whole = client.get(reverse("voters:list"))
    assert overdue_tab(whole)["count"] == 3 and whole.context["scope_text"] == "mọi năm"


def test_the_digest_email_prints_the_figures_with_their_scope(department_clerk, year_of_petitions):
    from coordination.models import ReminderLedger

    rows = list(ReminderLedger.objects.filter(recipient=department_clerk).select_related("agency"))
    assert rows  # the forwards were handed to the department
    body = digest_message(department_clerk, rows, year_of_petitions).body
    assert f"Kiến nghị quá hạn, năm {year_of_petitions.year}: 2" in body
    assert "Kiến nghị quá hạn, mọi năm: 3" in body


def test_a_province_without_commune_agencies_ranks_its_communes_by_locality(
    reference_data, leader, agencies, unit, client
):
    today = timezone.localdate()
    received = datetime.date(today.year, 1, 2)
    first = CommuneFactory(parent=unit, name="Xã Hòa Vang")
    second = CommuneFactory(parent=unit, name="Xã Hòa Phong")
    for _index in range(3):
        forward(leader, agencies, received, 1, commune=first)
    forward(leader, agencies, received, 400, commune=second)
    client.force_login(leader)
    response = client.get(reverse("dashboard"), {"year": today.year})
    rows = {row["name"]: row for row in response.context["localities"]}
    assert rows["Xã Hòa Vang"]["petitions_received"].value == 3
    assert rows["Xã Hòa Vang"]["petitions_overdue"].value == 3
    assert rows["Xã Hòa Phong"]["petitions_overdue"].value == 0
    assert "Kiến nghị theo xã" in response.content.decode()
    listing = client.get(rows["Xã Hòa Vang"]["petitions_overdue"].url)
    assert listing.context["page"].paginator.count == 3
    assert overdue_tab(listing)["count"] == 3 and overdue_tab(listing)["active"]
