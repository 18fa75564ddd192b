"""The leaders' dashboard: figures against hand-built data, every figure equal to the list it links to
(petitions read from the refreshed summary, and counted live), clerk scoping, permissions, a query count
that does not grow with the data, and the petition summary: equal to live counting, idempotent, stale."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charters.models import Article, Charter, CharterStatus, Task, TaskStatus
from coordination.dashboard.selectors import Figure, average_working_days, dashboard_compute, dashboard_scope
from coordination.dashboard.summary import petition_summary_refresh, summary_state
from coordination.deadlines import working_days_between
from coordination.models import AgencyKind, Term
from coordination.queueing import task_named
from meetings.models import MeetingKind
from tests.factories import AgencyFactory, CommuneFactory
from tests.meetings.factories import MeetingFactory, SessionDocumentFactory
from tests.voters.factories import PetitionFactory
from voters.models import Evaluation, Forwarding, Petition

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def month_end(day):
    return (day.replace(day=1) + 32 * DAY).replace(day=1) - DAY


# Whole months (the monthly summary rows), and the same span cut mid-month (daily rows at both ends).
PERIOD = {"from": (TODAY - 300 * DAY).replace(day=1).isoformat(), "to": month_end(TODAY + 60 * DAY).isoformat()}
UNALIGNED = {"from": (TODAY - 300 * DAY).replace(day=2).isoformat(), "to": (TODAY + 60 * DAY).isoformat()}


def at(day, hour=8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def forwarded_petition(origin, lead, *, received, due, status="forwarded", answered_on=None, **fields):
    petition = PetitionFactory(
        originating_agency=origin,
        received_on=received,
        status=status,
        lead_agency=lead,
        due_date=due,
        answered_on=answered_on,
        **fields,
    )
    Forwarding.objects.create(petition=petition, agency=lead, dispatch_date=received, due_date=due)
    return petition


def build(agencies):
    """The hand-built data the figures are checked against (all inside PERIOD unless said otherwise)."""
    hdnd, ubnd, dept = agencies.hdnd, agencies.ubnd, agencies.department
    data = {}
    # Petitions: 7 in the period, one before it, one in another unit.
    forwarded_petition(hdnd, dept, received=TODAY - 20 * DAY, due=TODAY + 10 * DAY, field="land")
    data["overdue"] = forwarded_petition(hdnd, dept, received=TODAY - 50 * DAY, due=TODAY - 5 * DAY, field="land")
    data["on_time"] = forwarded_petition(
        hdnd, ubnd, received=TODAY - 40 * DAY, due=TODAY - 10 * DAY, status="answered", answered_on=TODAY - 12 * DAY
    )
    data["late"] = forwarded_petition(
        hdnd, ubnd, received=TODAY - 60 * DAY, due=TODAY - 30 * DAY, status="closed", answered_on=TODAY - 20 * DAY
    )
    PetitionFactory(originating_agency=agencies.mttq, received_on=TODAY - 3 * DAY, field="health")
    returned = PetitionFactory(originating_agency=hdnd, received_on=TODAY - 30 * DAY, status="returned")
    Forwarding.objects.create(
        petition=returned,
        agency=dept,
        dispatch_date=TODAY - 29 * DAY,
        due_date=TODAY + DAY,
        returned_at=at(TODAY - 25 * DAY),
        return_reason="Không thuộc thẩm quyền",
    )
    reopened = forwarded_petition(
        hdnd, ubnd, received=TODAY - 45 * DAY, due=TODAY + 5 * DAY, flagged_for_supervision=True
    )
    Evaluation.objects.create(petition=reopened, agency=hdnd, result="unsatisfactory", comment="Chưa đúng trọng tâm")
    PetitionFactory(originating_agency=hdnd, received_on=TODAY - 400 * DAY)
    other = AgencyFactory(kind=AgencyKind.HDND)
    PetitionFactory(originating_agency=other, received_on=TODAY - 10 * DAY)

    # Meetings: a session with voter contact before it, a briefing with minutes, one without, one to come.
    session = MeetingFactory(host_agency=hdnd, kind=MeetingKind.COUNCIL_SESSION, starts_at=at(TODAY - 30 * DAY))
    MeetingFactory(
        host_agency=hdnd,
        kind=MeetingKind.VOTER_CONTACT_BEFORE,
        starts_at=at(TODAY - 40 * DAY),
        participating_agencies=[agencies.mttq],
        minutes_recorded_at=at(TODAY - 39 * DAY),
    )
    MeetingFactory(
        host_agency=ubnd, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(TODAY - 20 * DAY), minutes_recorded_at=at(TODAY)
    )
    MeetingFactory(host_agency=agencies.mttq, kind=MeetingKind.SUPERVISION, starts_at=at(TODAY + 3 * DAY))
    MeetingFactory(host_agency=hdnd, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(TODAY - 400 * DAY))

    # Session documents of the session: on time, late, overdue, not yet due.
    SessionDocumentFactory(
        meeting=session, responsible_agency=ubnd, due_date=TODAY - 40 * DAY, delivered_on=TODAY - 41 * DAY
    )
    SessionDocumentFactory(
        meeting=session, responsible_agency=ubnd, due_date=TODAY - 40 * DAY, delivered_on=TODAY - 35 * DAY
    )
    SessionDocumentFactory(meeting=session, responsible_agency=dept, due_date=TODAY - 38 * DAY)
    SessionDocumentFactory(meeting=session, responsible_agency=dept, due_date=TODAY + 5 * DAY)

    # Tasks: on time, late, pending, overdue, cancelled; two under an article; one supported by the UBND.
    charter = Charter.objects.create(
        number="03/QCPH",
        title="Quy chế phối hợp",
        unit=hdnd.unit,
        term=Term.objects.get(name="2021–2026"),
        status=CharterStatus.IN_FORCE,
    )
    data["article"] = Article.objects.create(charter=charter, number=4, title="Phối hợp tiếp xúc cử tri")
    task = Task.objects.create
    task(
        title="A",
        unit=hdnd.unit,
        responsible_agency=ubnd,
        due_date=TODAY - 10 * DAY,
        status=TaskStatus.DONE,
        completed_on=TODAY - 11 * DAY,
        article=data["article"],
    )
    task(
        title="B",
        unit=hdnd.unit,
        responsible_agency=ubnd,
        due_date=TODAY - 10 * DAY,
        status=TaskStatus.DONE,
        completed_on=TODAY - 2 * DAY,
    )
    supported = task(
        title="C", unit=hdnd.unit, responsible_agency=hdnd, due_date=TODAY + 10 * DAY, article=data["article"]
    )
    # The Front is responsible for no task and supports this one.
    supported.supporting_agencies.set([agencies.mttq])
    overdue_task = task(title="D", unit=hdnd.unit, responsible_agency=hdnd, due_date=TODAY - 3 * DAY)
    overdue_task.supporting_agencies.set([ubnd])
    task(title="E", unit=hdnd.unit, responsible_agency=hdnd, due_date=TODAY - 3 * DAY, status=TaskStatus.CANCELLED)
    task(title="F", unit=hdnd.unit, responsible_agency=hdnd, due_date=TODAY - 400 * DAY)
    return data


@pytest.fixture
def signed_in(client):
    """signed_in(user) → the test client with `user` signed in (the session, not the password check)."""

    def _signed_in(user):
        client.force_login(user)
        return client

    return _signed_in


@pytest.fixture
def data(agencies, reference_data):
    return build(agencies)


@pytest.fixture
def counted_live(monkeypatch):
    """counted_live() → the summary is yesterday's and no refresh gets queued: the dashboard counts live."""
    from django.core.cache import cache

    from coordination.dashboard import summary

    monkeypatch.setattr(summary, "enqueue", lambda task, *args, **kwargs: False)

    def _counted_live():
        petition_summary_refresh(TODAY - DAY)
        cache.delete(summary.QUEUED_KEY)

    return _counted_live


def dashboard(client, refresh=True, **params):
    """The page's context, the petition summary refreshed first (the beat's job) unless told not to."""
    if refresh:
        petition_summary_refresh()
    response = client.get(reverse("dashboard"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.context


def figures_of(value, path=""):
    """Every `Figure` in the page's context data, with where it was found."""
    if isinstance(value, Figure):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from figures_of(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from figures_of(item, f"{path}[{index}]")


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    page = context["page_obj"] if "page_obj" in context else context["page"]
    return page.paginator.count


# Queries of the leader's page over whole months with a fresh summary (session and user included).
PAGE_QUERIES = 21 + 4 + 1  # + the supervision panel's 4 (supervision.selectors.supervision_figures), + the
# suggestions' acceptance rate (voters.selectors.suggestion_acceptance)
BLOCKS = ("petitions", "meetings", "tasks", "documents", "agencies", "communes", "trend")


# --- figures against the hand-built data -------------------------------------------------------------


@pytest.mark.smoke
def test_petition_figures_match_the_hand_built_data(signed_in, leader, data):
    petitions = dashboard(signed_in(leader))["petitions"]

    assert petitions["received"].value == 7
    assert petitions["forwarded"].value == 6
    assert petitions["answered"].value == 2
    assert petitions["answered_on_time"].value == 1
    assert petitions["answered_late"].value == 1
    assert petitions["on_time_rate"] == 50
    assert petitions["overdue"].value == 1
    assert petitions["returned"].value == 1
    assert petitions["unsatisfactory"].value == 1
    by_field = {row["code"]: row for row in petitions["by_field"]}
    assert by_field["land"]["received"].value == 2
    assert by_field["land"]["overdue"].value == 1
    assert by_field["health"]["received"].value == 1


def test_average_working_days_equals_the_deadline_engine_per_petition(data):
    expected = [
        working_days_between(TODAY - 40 * DAY, TODAY - 12 * DAY),
        working_days_between(TODAY - 60 * DAY, TODAY - 20 * DAY),
    ]
    answered = Petition.objects.filter(pk__in=[data["on_time"].pk, data["late"].pk])

    assert average_working_days(answered) == round(sum(expected) / 2, 1)
    assert average_working_days(Petition.objects.none()) is None


def test_average_working_days_across_tet_counts_only_working_days(agencies):
    # Tết 2027 (6–10 February) and two weekends lie between 1 and 19 February 2027.
    PetitionFactory(
        originating_agency=agencies.hdnd,
        received_on=datetime.date(2027, 2, 1),
        answered_on=datetime.date(2027, 2, 19),
        status="answered",
    )
    assert average_working_days(Petition.objects.all()) == working_days_between(
        datetime.date(2027, 2, 1), datetime.date(2027, 2, 19)
    )


def test_meeting_figures_compare_held_with_what_the_charter_calls_for(signed_in, leader, data):
    meetings = dashboard(signed_in(leader))["meetings"]

    assert meetings["total"].value == 4
    rows = {row["code"]: row for row in meetings["rows"]}
    assert rows["council_session"]["held"].value == 1
    assert rows["voter_contact_before"]["held"].value == 1
    assert rows["voter_contact_before"]["expected"] == 1
    assert not rows["voter_contact_before"]["short"]
    # The session is over and nobody met the voters after it.
    assert rows["voter_contact_after"]["held"].value == 0
    assert rows["voter_contact_after"]["expected"] == 1
    assert rows["voter_contact_after"]["short"]
    # The session itself has no minutes, long past their deadline; the future supervision is not late.
    assert meetings["minutes_missing"].value == 1


def test_task_and_document_figures(signed_in, leader, data):
    context = dashboard(signed_in(leader))
    tasks, documents = context["tasks"], context["documents"]

    assert tasks["active"].value == 4
    assert tasks["done_on_time"].value == 1
    assert tasks["done_late"].value == 1
    assert tasks["pending"].value == 1
    assert tasks["overdue"].value == 1
    assert tasks["on_time_rate"] == 50
    article_row = next(row for row in tasks["by_article"] if row["article_id"] == data["article"].pk)
    assert (article_row["done_on_time"].value, article_row["pending"].value) == (1, 1)
    assert (documents["total"].value, documents["on_time"].value, documents["late"].value) == (4, 1, 1)
    assert (documents["overdue"].value, documents["pending"].value) == (1, 1)


def test_agency_comparison_counts_what_each_agency_must_answer_and_do(signed_in, leader, agencies, data):
    rows = {row["agency"].pk: row for row in dashboard(signed_in(leader))["agencies"]}

    ubnd, dept = rows[agencies.ubnd.pk], rows[agencies.department.pk]
    assert ubnd["petitions_to_answer"].value == 3
    assert ubnd["petitions_on_time_rate"] == 50
    assert ubnd["tasks_on_time_rate"] == 50
    assert ubnd["documents_late"].value == 1
    assert dept["petitions_overdue"].value == 1
    assert dept["documents_late"].value == 1


def test_agency_comparison_sorts_on_the_server(signed_in, leader, data):
    client = signed_in(leader)
    ascending = dashboard(client, sort="petitions_to_answer")["agencies"]
    descending = dashboard(client, sort="-petitions_to_answer")["agencies"]

    values = [row["petitions_to_answer"].value for row in ascending]
    assert values == sorted(values)
    assert [row["petitions_to_answer"].value for row in descending] == sorted(values, reverse=True)


def test_communes_of_a_province_are_compared_and_sortable(signed_in, leader, unit, reference_data):
    communes = []
    for name, received in (("Phường Hải Châu", 3), ("Phường Thanh Khê", 1)):
        commune = CommuneFactory(name=name, parent=unit)
        agency = AgencyFactory(unit=commune, kind=AgencyKind.HDND)
        for _ in range(received):
            PetitionFactory(originating_agency=agency, received_on=TODAY - 5 * DAY)
        communes.append(commune)
    CommuneFactory(name="Xã không có cơ quan", parent=unit)

    client = signed_in(leader)
    rows = dashboard(client, csort="-petitions_received")["communes"]

    assert [row["name"] for row in rows] == ["Phường Hải Châu", "Phường Thanh Khê"]
    assert [row["petitions_received"].value for row in rows] == [3, 1]
    assert [row["name"] for row in dashboard(client, csort="petitions_received")["communes"]] == [
        "Phường Thanh Khê",
        "Phường Hải Châu",
    ]
    # A commune's figures link to its own lists, and its name to its own dashboard.
    assert list_count(client, rows[0]["petitions_received"].url) == 3
    assert client.get(reverse("dashboard"), {"unit": communes[0].pk}).status_code == 200


def test_trend_rows_cover_the_period_and_add_up(signed_in, leader, data):
    context = dashboard(signed_in(leader), year=TODAY.year, **{"from": "", "to": ""})
    rows = context["trend"]["rows"]

    assert len(rows) == 12
    assert sum(row["petitions_received"].value for row in rows) == context["petitions"]["received"].value
    assert sum(row["tasks_overdue"].value for row in rows) == context["tasks"]["overdue"].value
    assert context["chart"]["labels"][0] == f"01/{TODAY.year}"


# --- each figure equals the list it links to ---------------------------------------------------------


@pytest.mark.parametrize("period", ["summary", "summary-range", "live"])
@pytest.mark.parametrize("who", ["leader", "ubnd_clerk", "mttq_clerk"])
def test_every_figure_equals_the_count_of_the_list_it_links_to(request, signed_in, data, who, period, counted_live):
    user = request.getfixturevalue(who)
    client = signed_in(user)
    if period == "live":
        counted_live()
    context = dashboard(client, refresh=period != "live", **(UNALIGNED if period != "summary" else {}))
    # Whole months and dates cut mid-month both read the summary (monthly + daily rows); a stale one: live.
    assert (context["petitions_as_of"] is not None) == (period != "live")
    checked = 0
    for block in BLOCKS:
        for path, figure in figures_of(context[block], block):
            assert figure.url, path
            assert list_count(client, figure.url) == figure.value, f"{path}: {figure.url}"
            checked += 1
    assert checked > 60


def test_the_page_links_every_nonzero_figure(signed_in, leader, data):
    page = signed_in(leader).get(reverse("dashboard"), PERIOD).content.decode()

    assert f'href="{reverse("voters:list")}?' in page
    assert f'href="{reverse("charters:tasks")}?' in page
    assert f'href="{reverse("meetings:list")}?' in page
    assert f'href="{reverse("dashboard_documents")}?' in page
    assert "<script>" not in page and " style=" not in page
    assert 'id="dashboard-trend" type="application/json"' in page
    # How fresh the figures are, as the offices write it: petitions from the summary, as of its refresh.
    assert re.search(r"Số liệu kiến nghị cập nhật lúc \d\d:\d\d \d\d/\d\d/\d{4}", page)
    # A range cut mid-month is read from the summary too.
    cut = signed_in(leader).get(reverse("dashboard"), UNALIGNED).content.decode()
    assert re.search(r"Số liệu kiến nghị cập nhật lúc \d\d:\d\d \d\d/\d\d/\d{4}", cut)


def test_a_live_count_says_so(signed_in, leader, data, counted_live):
    counted_live()
    live = signed_in(leader).get(reverse("dashboard"), UNALIGNED).content.decode()
    assert re.search(r"Số liệu cập nhật lúc \d\d:\d\d \d\d/\d\d/\d{4}", live)
    assert "đang được cập nhật" in live


# --- scoping and permissions -------------------------------------------------------------------------


def test_a_clerk_sees_their_own_agency_whatever_they_ask(signed_in, ubnd_clerk, agencies, data):
    client = signed_in(ubnd_clerk)
    context = dashboard(client, agency=agencies.hdnd.pk)

    assert context["scope"].agency == agencies.ubnd
    assert context["scope"].agency_forced
    # Received by or to be answered by the UBND: the three it leads.
    assert context["petitions"]["received"].value == 3
    # Tasks it is responsible for or supports.
    assert context["tasks"]["active"].value == 3
    assert context["documents"]["total"].value == 2
    assert [row["agency"] for row in context["agencies"]] == [agencies.ubnd]
    assert context["communes"] is None


def test_a_leader_may_narrow_to_one_agency(signed_in, leader, agencies, data):
    context = dashboard(signed_in(leader), agency=agencies.department.pk)

    assert context["scope"].agency == agencies.department
    # The two it must answer; the one it sent back is no longer its own.
    assert context["petitions"]["received"].value == 2
    assert context["petitions"]["overdue"].value == 1


def test_anonymous_users_are_sent_to_sign_in(client, db):
    for name in ("dashboard", "dashboard_documents"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.smoke
def test_another_units_dashboard_is_not_found(signed_in, outsider, leader, unit, other_unit, data):
    assert signed_in(outsider).get(reverse("dashboard"), {"unit": unit.pk}).status_code == 404
    assert signed_in(outsider).get(reverse("dashboard_documents"), {"unit": unit.pk}).status_code == 404
    assert signed_in(leader).get(reverse("dashboard"), {"unit": other_unit.pk}).status_code == 404
    # Their own dashboard shows nothing of ours.
    context = dashboard(signed_in(outsider))
    assert context["scope"].unit == other_unit
    assert context["petitions"]["received"].value == 0


def test_an_agency_of_another_unit_is_not_found(signed_in, leader, other_agency, data):
    assert signed_in(leader).get(reverse("dashboard"), {"agency": other_agency.pk}).status_code == 404


def test_site_admins_choose_any_unit(signed_in, site_admin, unit, other_unit, data):
    client = signed_in(site_admin)

    assert dashboard(client, unit=unit.pk)["petitions"]["received"].value == 7
    assert dashboard(client, unit=other_unit.pk)["scope"].unit == other_unit


def test_a_user_without_an_agency_sees_an_explanation(signed_in, db):
    from tests.factories import UserFactory

    response = signed_in(UserFactory(username="nobody")).get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["scope"] is None


def test_scope_defaults_to_the_users_unit_and_the_current_year(leader, unit):
    scope = dashboard_scope(leader, {}, today=datetime.date(2026, 11, 24))

    assert scope.unit == unit
    assert (scope.start, scope.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert scope.agency is None


def test_home_and_navigation_link_to_the_dashboard(signed_in, leader):
    page = signed_in(leader).get(reverse("home")).content.decode()

    assert f'href="{reverse("dashboard")}"' in page


# --- cost ----------------------------------------------------------------------------------------------


def more_data(agencies, unit, count):
    """`count` more rows of each kind, spread over months, fields, agencies and states."""
    fields = ["land", "health", "education", "environment", "security"]
    leads = [agencies.ubnd, agencies.department, agencies.mttq]
    for index in range(count):
        received = TODAY - (index * 7 % 280) * DAY
        lead = leads[index % 3]
        forwarded_petition(
            agencies.hdnd,
            lead,
            received=received,
            due=received + 20 * DAY,
            field=fields[index % 5],
            status="answered" if index % 2 else "forwarded",
            answered_on=received + (index % 30) * DAY if index % 2 else None,
        )
        MeetingFactory(host_agency=lead, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(received))
        Task.objects.create(
            title=f"T{index}", unit=unit, responsible_agency=lead, due_date=received + 5 * DAY, status=TaskStatus.OPEN
        )
        extra_unit = CommuneFactory(parent=unit)
        AgencyFactory(unit=extra_unit, kind=AgencyKind.HDND)


def test_query_count_does_not_grow_with_the_data(signed_in, leader, agencies, unit, data, django_assert_num_queries):
    # The same shape of page on both sides (a province with communes), one row against many.
    AgencyFactory(unit=CommuneFactory(parent=unit), kind=AgencyKind.HDND)
    client = signed_in(leader)
    petition_summary_refresh()
    client.get(reverse("dashboard"), PERIOD)  # warm caches (session, content types, holidays)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboard"), PERIOD)
    more_data(agencies, unit, 40)
    petition_summary_refresh()

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard"), PERIOD)
    assert len(response.context["communes"]) == 41
    assert response.context["petitions"]["received"].value == 47
    assert response.context["petitions_as_of"] is not None
    # The page's whole cost, summary read included: a fixed number (update it when the page changes).
    assert len(small.captured_queries) == PAGE_QUERIES
    # With a fresh summary the page never reads the petitions table itself (a million rows at scale), except to
    # reach the suggested petitions from their suggestion records by key (the acceptance rate).
    assert not any(
        '"voters_petition"' in query["sql"] and '"voters_suggestionrecord"' not in query["sql"]
        for query in small.captured_queries
    )


def test_live_counting_also_does_not_grow_with_the_data(signed_in, leader, agencies, unit, data, counted_live):
    AgencyFactory(unit=CommuneFactory(parent=unit), kind=AgencyKind.HDND)  # a province with communes, as below
    counted_live()
    client = signed_in(leader)
    client.get(reverse("dashboard"), UNALIGNED)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboard"), UNALIGNED)
    more_data(agencies, unit, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("dashboard"), UNALIGNED)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.context["petitions"]["received"].value == 27


# --- the drill-down filters added to the lists for the dashboard --------------------------------------


def test_petition_list_measure_and_lead_agency_filters(signed_in, leader, agencies, data):
    client = signed_in(leader)

    def references(**params):
        response = client.get(reverse("voters:list"), params)
        return {petition.pk for petition in response.context["page"].object_list}

    assert references(measure="overdue") == {data["overdue"].pk}
    assert references(measure="answered_on_time") == {data["on_time"].pk}
    assert references(measure="answered_late") == {data["late"].pk}
    assert len(references(measure="returned")) == 1
    assert len(references(measure="unsatisfactory")) == 1
    assert references(measure="answered", lead_agency=agencies.ubnd.pk) == {data["on_time"].pk, data["late"].pk}


def test_task_list_drill_down_filters(signed_in, leader, agencies, unit, data):
    client = signed_in(leader)

    def titles(**params):
        response = client.get(reverse("charters:tasks"), {"status": "", "unit": unit.pk, **params})
        return sorted(task.title for task in response.context["page_obj"].object_list)

    assert titles(state="overdue", due_from=PERIOD["from"]) == ["D"]
    assert titles(state="done_late") == ["B"]
    assert titles(state="pending") == ["C"]
    assert titles(article=data["article"].pk) == ["A", "C"]
    assert titles(article=0, state="active", due_from=PERIOD["from"]) == ["B", "D"]
    assert titles(responsible_agency=agencies.ubnd.pk) == ["A", "B"]


def test_session_document_list_filters_by_state_and_agency(signed_in, leader, agencies, unit, data):
    client = signed_in(leader)

    def count(**params):
        return client.get(reverse("dashboard_documents"), {"unit": unit.pk, **params}).context["page"].paginator.count

    assert count() == 4
    assert count(state="behind") == 2
    assert count(state="overdue", agency=agencies.department.pk) == 1
    assert count(due_from=(TODAY + DAY).isoformat()) == 1


def test_figures_are_reused_while_the_cache_setting_allows(signed_in, leader, agencies, data, settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    client = signed_in(leader)
    first = dashboard(client)
    PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - DAY)

    with CaptureQueriesContext(connection) as reused:
        second = dashboard(client, refresh=False, sort="petitions_to_answer")

    assert second["petitions"]["received"].value == first["petitions"]["received"].value == 7
    assert second["computed_at"] == first["computed_at"]
    values = [row["petitions_to_answer"].value for row in second["agencies"]]
    assert values == sorted(values)
    assert not any("voters_petition" in query["sql"] for query in reused.captured_queries)
    cache.clear()
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert dashboard(client)["petitions"]["received"].value == 8


# --- the petition summary ------------------------------------------------------------------------------


def varied_petitions(agencies, unit):
    """Petitions in every state the measures tell apart, over two years, two units and several agencies:
    returned, judged unsatisfactory (twice), overdue, answered on time, late, across Tết, reopened."""
    hdnd, ubnd, dept, mttq = agencies.hdnd, agencies.ubnd, agencies.department, agencies.mttq
    commune_agency = AgencyFactory(unit=CommuneFactory(parent=unit), kind=AgencyKind.HDND)
    fields = ["land", "health", "education", "environment"]
    for index in range(36):
        received = TODAY - (index * 23 % 700) * DAY
        due = received + (10 + index % 25) * DAY
        origin = [hdnd, mttq, commune_agency][index % 3]
        lead = [ubnd, dept, None][index % 3] if origin is not commune_agency else None
        answered_on = (
            received + (index % 40) * DAY if index % 4 in (1, 2) and received + (index % 40) * DAY <= TODAY else None
        )
        status = "answered" if answered_on else ("forwarded" if lead else "received")
        petition = PetitionFactory(
            originating_agency=origin,
            received_on=received,
            field=fields[index % 4],
            status=status,
            lead_agency=lead,
            due_date=due if lead else None,
            answered_on=answered_on,
        )
        if lead:
            Forwarding.objects.create(
                petition=petition,
                agency=lead,
                dispatch_date=received,
                due_date=due,
                returned_at=at(received + DAY) if index % 5 == 0 else None,
                return_reason="Không thuộc thẩm quyền" if index % 5 == 0 else "",
            )
        if answered_on and index % 3 == 1:
            for _ in range(2):  # two judgements of one petition count it once
                Evaluation.objects.create(petition=petition, agency=hdnd, result="unsatisfactory")
    # Answered across Tết 2027 when that is not in the future.
    if datetime.date(2027, 2, 19) <= TODAY:
        PetitionFactory(
            originating_agency=hdnd,
            received_on=datetime.date(2027, 2, 1),
            answered_on=datetime.date(2027, 2, 19),
            status="answered",
        )


def all_values(data):
    """Every figure, rate and average of the computed page, by path (what summary and live must share)."""
    values = {}
    for block in ("petitions", "agencies", "communes", "trend"):
        for path, figure in figures_of(data[block], block):
            values[path] = figure.value
    petitions = data["petitions"]
    values["average_working_days"] = petitions["average_working_days"]
    values["on_time_rate"] = petitions["on_time_rate"]
    for index, row in enumerate(data["agencies"]):
        values[f"agencies[{index}].rate"] = row["petitions_on_time_rate"]
    for row in data.get("localities") or ():
        for key, value in row.items():
            values[f"localities[{row['name']}].{key}"] = getattr(value, "value", value)
    return values


@pytest.mark.smoke
@pytest.mark.parametrize("who", ["leader", "ubnd_clerk"])
def test_summary_figures_equal_live_counting(request, agencies, unit, data, who):
    varied_petitions(agencies, unit)
    user = request.getfixturevalue(who)
    state = petition_summary_refresh()
    for params in ({"year": str(TODAY.year)}, {"year": str(TODAY.year - 1)}, PERIOD):
        scope = dashboard_scope(user, params)
        assert scope.whole_months
        scope.summary = None
        live = all_values(dashboard_compute(scope))
        scope.summary = state
        summarized = all_values(dashboard_compute(scope))
        assert summarized == live, params
        assert live["petitions.received"] > 0


def test_summary_average_equals_the_deadline_engine_per_petition(signed_in, leader, data):
    answered = Petition.objects.filter(pk__in=[data["on_time"].pk, data["late"].pk])
    expected = [working_days_between(p.received_on, p.answered_on) for p in answered]

    assert dashboard(signed_in(leader))["petitions"]["average_working_days"] == round(sum(expected) / 2, 1)


def test_refresh_is_idempotent_and_counts_for_its_day(agencies, unit, data):
    from coordination.models import PetitionMonthlySummary

    varied_petitions(agencies, unit)
    columns = [f.name for f in PetitionMonthlySummary._meta.concrete_fields if f.name != "id"]

    def rows():
        return sorted(PetitionMonthlySummary.objects.values_list(*columns), key=repr)

    first = petition_summary_refresh()
    before = rows()
    second = petition_summary_refresh()

    assert rows() == before and len(before) == first.rows == second.rows > 0
    assert second.computed_for == TODAY and second.refreshed_at >= first.refreshed_at
    assert sum(row[columns.index("received")] for row in before) == Petition.objects.count()
    # "Overdue" is counted for the refresh's day: a week ago, the overdue petition was not yet due.
    week_ago = petition_summary_refresh(TODAY - 7 * DAY)
    assert week_ago.computed_for == TODAY - 7 * DAY
    overdue = sum(row[columns.index("overdue")] for row in rows())
    assert overdue == Petition.objects.overdue(TODAY - 7 * DAY).count()
    assert overdue != Petition.objects.overdue(TODAY).count()
    # With `if_stale`, a run for a day already counted does nothing.
    again = petition_summary_refresh(TODAY - 7 * DAY, if_stale=True)
    assert again.refreshed_at == week_ago.refreshed_at


def test_a_stale_summary_is_not_read_and_a_refresh_is_queued_once(signed_in, leader, agencies, data, monkeypatch):
    from django.core.cache import cache

    from coordination.dashboard import summary
    from coordination.dashboard.summary import QUEUED_KEY

    petition_summary_refresh(TODAY - DAY)  # yesterday's summary: its "overdue" is not today's
    PetitionFactory(originating_agency=agencies.hdnd, received_on=TODAY - 2 * DAY)
    queued = []
    monkeypatch.setattr(
        summary, "enqueue", lambda task, *args, **kwargs: queued.append((task_named(task).name, kwargs)) or True
    )
    cache.delete(QUEUED_KEY)
    client = signed_in(leader)
    try:
        first = dashboard(client, refresh=False)
        second = dashboard(client, refresh=False)
    finally:
        cache.delete(QUEUED_KEY)

    # Counted live meanwhile (the new petition included), and the page says so.
    assert first["petitions_as_of"] is None and first["petitions"]["received"].value == 8
    assert second["petitions"]["received"].value == 8
    assert queued == [("coordination.tasks.dashboard_summary_refresh", {"if_stale": True})]
    page = client.get(reverse("dashboard"), PERIOD).content.decode()
    assert "đang được cập nhật" in page
    cache.delete(QUEUED_KEY)


@pytest.mark.smoke
def test_a_missing_summary_is_built_at_once_without_a_broker(signed_in, leader, agencies, data, monkeypatch):
    """Development without Redis runs tasks in-process: the first page builds the summary and reads it."""
    from django.core.cache import cache

    from coordination.dashboard import summary
    from coordination.dashboard.summary import QUEUED_KEY
    from coordination.models import SummaryRefresh

    SummaryRefresh.objects.all().delete()
    monkeypatch.setattr(summary, "enqueue", lambda task, *args, **kwargs: task_named(task)(*args, **kwargs) or True)
    cache.delete(QUEUED_KEY)
    context = dashboard(signed_in(leader), refresh=False)

    assert summary_state().computed_for == TODAY
    assert context["petitions_as_of"] == summary_state().refreshed_at
    assert context["petitions"]["received"].value == 7
    assert cache.get(QUEUED_KEY) is None


def test_refresh_command_and_beat_entry(db, reference_data):
    from io import StringIO

    from django.core.management import call_command

    from coordination.celery import beat_schedule

    out = StringIO()
    call_command("refresh_dashboard", "--today", "2026-11-24", stdout=out)
    assert "Petition summary for 2026-11-24" in out.getvalue()
    assert summary_state().computed_for == datetime.date(2026, 11, 24)
    entry = beat_schedule()["dashboard-summary-refresh"]
    assert entry["task"] == "coordination.tasks.dashboard_summary_refresh"


def test_comparison_rows_escape_names(signed_in, leader, agencies, unit, data):
    # The comparison rows are written in Python (dashboard/views.py comparison_rows_html): names stay escaped.
    agencies.department.name = "Sở <b>Xây dựng</b> & Giao thông"
    agencies.department.save()
    AgencyFactory(unit=CommuneFactory(parent=unit, name="Xã <i>Hòa</i> Vang"), kind=AgencyKind.HDND)
    petition_summary_refresh()
    page = signed_in(leader).get(reverse("dashboard"), PERIOD).content.decode()

    assert "Sở &lt;b&gt;Xây dựng&lt;/b&gt; &amp; Giao thông" in page
    assert "Xã &lt;i&gt;Hòa&lt;/i&gt; Vang" in page
    assert "<b>Xây" not in page and "<i>Hòa" not in page
