"""The dashboard's daily summary: any period (a custom range, cut anywhere) read from the monthly rows of its
whole months and the daily rows at its ends equals live counting, for a clerk, a leader and the site
administrator, on generated data; a missed run is filled by the next one exactly once; a run that dies
leaves the previous summary; the page's query count does not depend on the range or the data."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.loadgen import load_data_generate
from coordination.dashboard import summary
from coordination.dashboard.selectors import dashboard_compute, dashboard_scope
from coordination.dashboard.summary import petition_summary_refresh, summary_state
from coordination.models import PetitionDailySummary, PetitionMonthlySummary
from tests.coordination.test_dashboard import all_values, varied_petitions
from tests.voters.factories import PetitionFactory
from voters.models import Petition

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _month_start(day, months_back=0):
    day = day.replace(day=1)
    for _ in range(months_back):
        day = (day - DAY).replace(day=1)
    return day


def _ranges():
    """Custom ranges with every kind of end: mid-month, a month's first or last day, inside one month, one
    day, across a year, whole months."""
    first = _month_start(TODAY, 7)
    return [
        (first + 4 * DAY, TODAY - 9 * DAY),  # cut at both ends
        (first, TODAY - 9 * DAY),  # starts on a month's first day
        (first + 4 * DAY, _month_start(TODAY) - DAY),  # ends on a month's last day
        (_month_start(TODAY, 2) - DAY, _month_start(TODAY, 1)),  # a month's last day to the next month's first
        (_month_start(TODAY, 3) + 3 * DAY, _month_start(TODAY, 3) + 20 * DAY),  # inside one month
        (TODAY - 23 * DAY, TODAY - 23 * DAY),  # one day
        (datetime.date(TODAY.year - 1, 11, 17), datetime.date(TODAY.year, 2, 3)),  # across a new year
        (_month_start(TODAY, 11), _month_start(TODAY) - DAY),  # whole months
    ]


@pytest.fixture
def generated(agencies, other_agency, unit, reference_data):
    """The load generator's petitions (both units, every state it makes) plus hand-placed ones on the days
    the ranges start and end, and the hand-built states of `varied_petitions`."""
    load_data_generate(petitions=400, meetings=10, tasks=10, seed=5, today=TODAY)
    varied_petitions(agencies, unit)
    for start, end in _ranges():
        for day in (start - DAY, start, end, end + DAY):
            if day <= TODAY:
                PetitionFactory(originating_agency=agencies.hdnd, received_on=day, lead_agency=agencies.ubnd)
    return agencies


def _compare(user, params):
    """(live, summarized): every figure of the page for `params`, counted live and read from the summary."""
    state = summary_state()
    scope = dashboard_scope(user, params, today=TODAY)
    scope.summary = None
    live = all_values(dashboard_compute(scope))
    scope.summary = state
    return live, all_values(dashboard_compute(scope))


@pytest.mark.parametrize("who", ["leader", "ubnd_clerk", "site_admin"])
def test_every_range_read_from_the_summary_equals_live_counting(request, generated, unit, who):
    user = request.getfixturevalue(who)
    petition_summary_refresh(TODAY)
    compared = 0
    for start, end in _ranges():
        params = {"from": start.isoformat(), "to": end.isoformat(), "unit": unit.pk}
        live, summarized = _compare(user, params)
        assert summarized == live, (start, end)
        compared += live["petitions.received"] > 0
    assert compared >= 6
    # The ends of a range are inside it, the days beside them are not (the same count as the petition list).
    start, end = _ranges()[0]
    received = _compare(user, {"from": start.isoformat(), "to": end.isoformat(), "unit": unit.pk})[1]
    expected = Petition.objects.filter(unit=unit, received_on__range=(start, end))
    if who == "ubnd_clerk":
        expected = expected.filter(originating_agency=generated.ubnd) | expected.filter(lead_agency=generated.ubnd)
    assert received["petitions.received"] == expected.count() > 0


def test_the_administrator_reads_any_unit_from_the_summary(generated, other_unit, site_admin):
    petition_summary_refresh(TODAY)
    start, end = _ranges()[0]
    for params in ({"unit": other_unit.pk}, {"unit": other_unit.pk, "from": start.isoformat(), "to": end.isoformat()}):
        live, summarized = _compare(site_admin, params)
        assert summarized == live and live["petitions.received"] > 0, params


def _sums(model):
    return model.objects.aggregate(received=Sum("received"), overdue=Sum("overdue"), answered=Sum("answered"))


def test_a_missed_run_is_filled_once_by_the_next(agencies, unit, reference_data, leader):
    """The beat stopped for three days (a dead worker, a missed day): the next run counts those days once, and
    a run repeated for the same day changes nothing."""
    PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - 10 * DAY)
    petition_summary_refresh(TODAY - 3 * DAY)
    for back in (3, 2, 1, 0):  # received while no run happened
        PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - back * DAY)
    assert summary_state().computed_for == TODAY - 3 * DAY  # meanwhile the page counts live (stale summary)

    petition_summary_refresh(TODAY)
    once = sorted(PetitionDailySummary.objects.values_list("unit", "day", "field", "received", "overdue"))
    petition_summary_refresh(TODAY)
    petition_summary_refresh(TODAY, if_stale=True)
    twice = sorted(PetitionDailySummary.objects.values_list("unit", "day", "field", "received", "overdue"))

    assert once == twice
    assert _sums(PetitionDailySummary)["received"] == _sums(PetitionMonthlySummary)["received"] == 5
    days = {row[1]: row[3] for row in once}
    assert [days.get(TODAY - back * DAY) for back in (3, 2, 1, 0)] == [1, 1, 1, 1]
    live, summarized = _compare(leader, {"from": (TODAY - 3 * DAY).isoformat(), "to": TODAY.isoformat()})
    assert summarized == live and live["petitions.received"] == 4


def test_a_run_that_dies_leaves_the_previous_summary(agencies, unit, reference_data, monkeypatch):
    PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - 5 * DAY)
    before_state = petition_summary_refresh(TODAY - DAY)
    before = (_sums(PetitionDailySummary), _sums(PetitionMonthlySummary))
    PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - 4 * DAY)
    calls = []
    real = summary._insert_select

    def dies_on_the_monthly_rows(cursor, model, *args):
        calls.append(model)
        if model is PetitionMonthlySummary:
            raise RuntimeError("worker killed")
        return real(cursor, model, *args)

    monkeypatch.setattr(summary, "_insert_select", dies_on_the_monthly_rows)
    with pytest.raises(RuntimeError):
        petition_summary_refresh(TODAY)

    assert calls == [PetitionDailySummary, PetitionMonthlySummary]  # the daily rows had been rewritten
    assert (_sums(PetitionDailySummary), _sums(PetitionMonthlySummary)) == before
    assert summary_state().computed_for == before_state.computed_for == TODAY - DAY
    monkeypatch.setattr(summary, "_insert_select", real)
    assert petition_summary_refresh(TODAY, if_stale=True).computed_for == TODAY
    assert _sums(PetitionDailySummary)["received"] == _sums(PetitionMonthlySummary)["received"] == 2


@pytest.mark.parametrize("who", ["leader", "ubnd_clerk", "site_admin"])
def test_the_query_count_is_fixed_whatever_the_range_and_the_data(request, generated, unit, who, client):
    user = request.getfixturevalue(who)
    client.force_login(user)
    petition_summary_refresh(TODAY)
    ranges = [{}, *({"from": start.isoformat(), "to": end.isoformat()} for start, end in _ranges())]
    client.get(reverse("dashboard"), {"unit": unit.pk})  # warm caches (session, content types, holidays)
    counts = set()
    for params in ranges:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"), {"unit": unit.pk, **params})
        assert response.status_code == 200 and response.context["petitions_as_of"] is not None
        counts.add(len(queries.captured_queries))
        # The petitions table is not read (the suggestions' rate reaches petitions by key from its records).
        assert not any(
            '"voters_petition"' in query["sql"] and '"voters_suggestionrecord"' not in query["sql"]
            for query in queries.captured_queries
        ), params
    load_data_generate(petitions=200, meetings=5, tasks=5, seed=6, today=TODAY)
    for params in ranges[:3]:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard"), {"unit": unit.pk, **params})
        counts.add(len(queries.captured_queries))
    assert len(counts) == 1, counts
