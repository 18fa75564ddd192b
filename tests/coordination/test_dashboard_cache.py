"""The dashboard's cache (`DASHBOARD_CACHE_SECONDS`, on by default outside tests): the figures and the rendered
panels of a scope are kept under a key that holds the version of the data (`coordination.cache.figures_version`),
renewed when a write commits (every write is a service call that writes an audit entry), so a write changes the
figure on the next view. And the query count of every role's dashboard, cached or not, whatever the data."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination.cache import FIGURES_VERSION_KEY
from coordination.dashboard.summary import petition_summary_refresh
from coordination.models import AgencyKind, Role
from meetings import services as meeting_services
from meetings.models import MeetingKind
from tests.factories import AgencyFactory, CommuneFactory, member
from tests.meetings.factories import MeetingFactory
from tests.voters.factories import PetitionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
RANGE = {"from": (TODAY - 200 * DAY).isoformat(), "to": (TODAY - 3 * DAY).isoformat()}
HELD = re.compile(r'id="dash-meetings".*?<span class="small">[^:<]*: (?:<a class="figure-link" [^>]*>)?(\d+)', re.S)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commune_hdnd(unit):
    return AgencyFactory(unit=CommuneFactory(parent=unit, name="Phường Hải Châu"), kind=AgencyKind.HDND)


def held(client, **params):
    """The page and the number of meetings held it shows (read from the HTML: a cached page has no figures in
    its context)."""
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response, int(HELD.search(response.content.decode()).group(1))


def test_a_committed_write_changes_the_figure_on_the_next_view(
    cached, agencies, leader, site_admin, client, django_capture_on_commit_callbacks
):
    petition_summary_refresh()
    client.force_login(leader)
    first, before = held(client)
    assert first.context["meetings"]["total"].value == before  # computed: the whole context
    again, figure = held(client)
    assert "meetings" not in again.context  # the panels came from the cache
    assert figure == before
    assert again.content.decode().count('id="dash-headline"') == 1

    # A row written behind the services' back (no audit entry, no commit hook) is not seen while cached...
    MeetingFactory(host_agency=agencies.hdnd, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(TODAY - 10 * DAY))
    assert held(client)[1] == before
    # ...a service's write is, as soon as it commits: the next view counts both.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_create(
            actor=site_admin,
            title="Giao ban quý IV",
            kind=MeetingKind.JOINT_BRIEFING,
            unit=agencies.hdnd.unit,
            host_agency=agencies.hdnd,
            starts_at=at(TODAY - 5 * DAY),
        )
    after, figure = held(client)
    assert "meetings" in after.context and figure == before + 2


def test_a_write_rolled_back_leaves_the_cache_alone(cached, agencies, leader, client):
    from django.db import transaction

    from coordination.audit import audit_record

    petition_summary_refresh()
    client.force_login(leader)
    held(client)
    version = cache.get(FIGURES_VERSION_KEY)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=leader, obj=agencies.hdnd, action="update")
        raise RuntimeError("rolled back")
    assert cache.get(FIGURES_VERSION_KEY) == version
    assert "meetings" not in client.get(reverse("dashboard")).context


def test_a_transaction_renews_the_version_once_however_many_entries_it_writes(agencies, leader):
    """One renewal per committed transaction, not one per audit entry; an entry written inside a savepoint that is
    rolled back does not take the renewal away from the writes that stay. (The test's own transaction is the one
    that would commit: its pending callbacks are read, whatever the fixtures registered before.)"""
    from django.db import transaction

    from coordination.audit import audit_record
    from coordination.cache import figures_changed

    def renewals():
        return [func for _sids, func, _robust in connection.run_on_commit if func is figures_changed]

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=leader, obj=agencies.hdnd, action="update")
        audit_record(actor=leader, obj=agencies.hdnd, action="update")
        assert len(renewals()) == 1
        raise RuntimeError("rolled back")
    for _ in range(3):
        audit_record(actor=leader, obj=agencies.hdnd, action="update")
    assert len(renewals()) == 1  # registered again after the rollback, and once


def test_a_lost_version_is_replaced_by_a_new_one(cached, agencies, leader, client):
    petition_summary_refresh()
    client.force_login(leader)
    held(client)
    old = cache.get(FIGURES_VERSION_KEY)
    MeetingFactory(host_agency=agencies.hdnd, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(TODAY - 10 * DAY))
    cache.delete(FIGURES_VERSION_KEY)  # evicted, or Redis restarted empty
    response, figure = held(client)
    assert "meetings" in response.context and figure == 1  # nothing computed under the old version is read
    assert cache.get(FIGURES_VERSION_KEY) not in (None, old)


def test_each_sort_order_and_language_has_its_panels(cached, agencies, leader, client):
    petition_summary_refresh()
    client.force_login(leader)
    held(client)
    sorted_page = client.get(reverse("dashboard"), {"sort": "name", "junk": "<x>"})
    assert "agencies" in sorted_page.context  # another order: rendered, from the cached figures
    names = [row["name"] for row in sorted_page.context["agencies"]]
    assert names == sorted(names)
    headers = sorted_page.context["agency_headers"] + sorted_page.context["commune_headers"]
    assert all("junk" not in header["url"] for header in headers)  # the sort links keep the page's own parameters
    vietnamese = held(client)[0].content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("dashboard"))
    assert "agencies" in english.context  # its own panels, not the Vietnamese ones
    assert 'id="dash-meetings"' in english.content.decode() and english.content.decode() != vietnamese


ROLES = ("clerk", "leader", "commune_clerk", "site_admin")


def _user(role, request):
    if role == "commune_clerk":
        return member(request.getfixturevalue("commune_hdnd"), Role.CLERK, username="commune_clerk")
    return request.getfixturevalue(role)


def _more(agencies, unit, commune_hdnd, count):
    """`count` more petitions, meetings and communes in the scope of every role."""
    for index in range(count):
        received = TODAY - (index * 7 % 150 + 4) * DAY
        for agency in (agencies.hdnd, commune_hdnd):
            PetitionFactory(originating_agency=agency, received_on=received)
            MeetingFactory(host_agency=agency, kind=MeetingKind.JOINT_BRIEFING, starts_at=at(received))
        AgencyFactory(unit=CommuneFactory(parent=unit), kind=AgencyKind.HDND)


@pytest.mark.parametrize("params", [{}, RANGE], ids=["year", "range"])
@pytest.mark.parametrize("role", ROLES)
def test_query_count_is_fixed_for_every_role(role, params, request, agencies, unit, commune_hdnd, client, settings):
    client.force_login(_user(role, request))
    if role == "site_admin":  # no agency of their own: the province, chosen
        params = {**params, "unit": unit.pk}
    petition_summary_refresh()
    client.get(reverse("dashboard"), params)  # warm the per-process caches (content types, holidays)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("dashboard"), params).status_code == 200
    _more(agencies, unit, commune_hdnd, 12)
    petition_summary_refresh()
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("dashboard"), params)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.context["petitions"]["received"].value >= 12

    # Served from the cache: the session, the user and the scope only; no table the figures count is read.
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    client.get(reverse("dashboard"), params)
    with CaptureQueriesContext(connection) as hit:
        again = client.get(reverse("dashboard"), params)
    assert "petitions" not in again.context
    assert len(hit.captured_queries) <= 10
    counted = ("voters_petition", "meetings_meeting", "charters_task", "coordination_petitionmonthlysummary")
    assert not any(table in query["sql"] for query in hit.captured_queries for table in counted)
    cache.clear()


# --- the year and the date range fields ----------------------------------------------------------------------


def test_a_range_is_typed_as_day_month_year_or_given_as_iso(leader, agencies, client):
    client.force_login(leader)
    typed = client.get(reverse("dashboard"), {"from": "15/03/2026", "to": "5/11/2026"})
    iso = client.get(reverse("dashboard"), {"from": "2026-03-15", "to": "2026-11-05"})
    for response in (typed, iso):
        scope = response.context["scope"]
        assert (scope.start, scope.end, scope.year) == (datetime.date(2026, 3, 15), datetime.date(2026, 11, 5), None)
        body = response.content.decode()
        assert 'type="date"' not in body
        assert 'value="15/03/2026"' in body and 'value="05/11/2026"' in body
        assert '<option value="" selected>' in body  # the year field says "date range", not a year
        assert f'<option value="{TODAY.year + 1}"' not in body  # no year to come, with no data yet


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "31/02/2026", "to": "01/03/2026"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"from": "15/03/2026", "to": "tomorrow"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"from": "03/15/2026", "to": "20/11/2026"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"from": "15/03/2026"}, "Nhập cả ngày đầu và ngày cuối"),
        ({"from": "20/11/2026", "to": "15/03/2026"}, "Ngày đầu của khoảng ngày đứng sau ngày cuối"),
        ({"from": "1/1/99999", "to": "\x00"}, "Nhập ngày theo dạng dd/mm/yyyy"),
    ],
)
def test_a_range_that_cannot_be_used_says_why_and_shows_the_year(leader, agencies, client, params, message):
    client.force_login(leader)
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    scope = response.context["scope"]
    assert scope.year == TODAY.year and scope.range_error
    body = response.content.decode()
    assert message in body and f"Số liệu dưới đây là của năm {TODAY.year}." in body
    assert 'aria-invalid="true"' in body
    assert f'<option value="{TODAY.year}" selected>' in body


def test_next_year_is_offered_only_when_asked_for(leader, agencies, client):
    client.force_login(leader)
    years = client.get(reverse("dashboard")).context["years"]
    assert years[0] == TODAY.year and len(years) == 6
    assert client.get(reverse("dashboard"), {"year": TODAY.year + 1}).context["years"][0] == TODAY.year + 1
