"""No page ships thousands of <option>s at any scope: past TYPEAHEAD_OVER choices the meetings list's unit and
agency filters, the task list's agency filter and the supervision list's body filter hold only the chosen value
and become type-ahead fields (coordination/choices.py `typeahead_field`) over JSON endpoints that offer what
the same drop-down would (`choices_response`): the user's own units and agencies, accent-insensitive."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charters.models import Task
from tests.factories import AgencyFactory, UnitFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# page -> (list URL, {filter name: its endpoint})
PAGES = {
    "meetings": ("/meetings/", {"agency": "/meetings/choices/agency/", "unit": "/meetings/choices/unit/"}),
    "tasks": ("/charters/tasks/", {"agency": "/charters/choices/agency/"}),
    "supervision": ("/supervision/", {"agency": "/supervision/choices/agency/"}),
}
ENDPOINTS = sorted({url for _page, urls in PAGES.values() for url in urls.values()})


def _spread(count, prefix):
    """`count` communes, each with an agency hosting a meeting and responsible for a task."""
    for n in range(count):
        unit = UnitFactory(name=f"Xã {prefix} {n}", level="commune")
        agency = AgencyFactory(unit=unit, name=f"Ủy ban nhân dân xã {prefix} {n}")
        MeetingFactory(host_agency=agency, title=f"Giao ban xã {prefix} {n}")
        Task.objects.create(
            title=f"Nhiệm vụ {prefix} {n}", unit=unit, responsible_agency=agency, due_date=datetime.date(2026, 12, 31)
        )


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(context.captured_queries)


def _choices(client, url, **params):
    response, _queries = _get(client, url, **params)
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_national_lists_have_a_bounded_number_of_options_and_queries(page, agencies, site_admin, login, settings):
    settings.TYPEAHEAD_OVER = 5
    url, endpoints = PAGES[page]
    client = login(site_admin)
    _spread(8, "Thử")
    client.get(url)  # sessions, caches
    before, before_queries = _get(client, url)
    _spread(30, "Mới")
    after, after_queries = _get(client, url)
    html = after.content.decode()
    assert html.count("<option") == before.content.decode().count("<option") < 80
    assert after_queries == before_queries, (before_queries, after_queries)
    for name, endpoint in endpoints.items():
        assert f'name="{name}"' in html and f'data-typeahead="{endpoint}"' in html, name
    assert "js/typeahead.js" in html
    assert "Ủy ban nhân dân xã Mới 7</option>" not in html

    # A chosen agency is the one option of its field besides "all", selected, and the list filters by it.
    chosen = agencies.ubnd if page != "tasks" else Task.objects.order_by("pk").first().responsible_agency
    chosen_html = _get(client, url, agency=chosen.pk)[0].content.decode()
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in chosen_html
    # Hostile values never fail the page and list no more options.
    for value in ("99999999999999999999999", "x", "-1", "1 OR 1=1", "\x00"):
        hostile = _get(client, url, agency=value, unit=value)[0].content.decode()
        assert hostile.count("<option") <= html.count("<option"), value


def test_meeting_unit_filter_keeps_a_chosen_unit_without_meetings(agencies, site_admin, login, settings):
    settings.TYPEAHEAD_OVER = 5
    _spread(8, "Thử")
    quiet = UnitFactory(name="Xã Lặng Yên", level="commune")
    html = _get(login(site_admin), "/meetings/", unit=quiet.pk)[0].content.decode()
    assert f'<option value="{quiet.pk}" selected>Xã Lặng Yên</option>' in html


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_clerk_with_few_choices_keeps_plain_drop_downs(page, agencies, clerk, login):
    _spread(3, "Thử")
    html = _get(login(clerk), PAGES[page][0])[0].content.decode()
    assert "data-typeahead=" not in html


def test_endpoints_offer_only_what_the_user_may_pick_accent_insensitive(
    agencies, other_agency, clerk, site_admin, login
):
    _spread(3, "Thử")
    MeetingFactory(host_agency=agencies.hdnd)
    MeetingFactory(host_agency=other_agency)
    for agency in (agencies.hdnd, other_agency):
        Task.objects.create(
            title="Nhiệm vụ", unit=agency.unit, responsible_agency=agency, due_date=datetime.date(2026, 12, 31)
        )
    own = login(clerk)
    for url in ENDPOINTS:
        texts = [item["text"] for item in _choices(own, url, q="da nang")["results"]]
        assert texts, url
        assert all("Đà Nẵng" in text for text in texts), (url, texts)
        # Another province's units and agencies are not offered, by any spelling.
        for query in ("thanh hoa", "THANH HÓA", "Thanh Hóa", ""):
            texts = [item["text"] for item in _choices(own, url, q=query)["results"]]
            assert not [text for text in texts if "Thanh Hóa" in text], (url, query)
            assert not [text for text in texts if "Thử" in text], (url, query)
    admin = login(site_admin)
    for url in ENDPOINTS:
        assert [item["text"] for item in _choices(admin, url, q="thanh hoa")["results"]], url
    agency_ids = [item["id"] for item in _choices(admin, "/meetings/choices/agency/", q="đà nẵng ubnd")["results"]]
    assert agency_ids == [agencies.ubnd.pk]
    unit_ids = [item["id"] for item in _choices(admin, "/meetings/choices/unit/", q="DA NANG")["results"]]
    assert unit_ids == [agencies.hdnd.unit_id]


def test_endpoints_are_bounded_take_hostile_input_and_need_a_sign_in(agencies, site_admin, login, client):
    _spread(25, "Thử")
    admin = login(site_admin)
    for url in ENDPOINTS:
        data = _choices(admin, url, q="thu")
        assert len(data["results"]) == 20 and data["more"] is True, url
        for params in ({"q": "x" * 10_000}, {"q": "\x00"}, {"q": ["a", "b"]}, {"q": "%"}, {"q": "' OR 1=1 --"}, {}):
            _choices(admin, url, **params)
        assert admin.post(url).status_code == 405
    for unknown in ("/meetings/choices/status/", "/charters/choices/status/", "/supervision/choices/..%2F/"):
        assert admin.get(unknown).status_code == 404
    client.logout()
    for url in ENDPOINTS:
        assert client.get(url).status_code == 302


def test_endpoint_query_counts_are_fixed(agencies, site_admin, clerk, login):
    _spread(3, "Thử")
    for user in (site_admin, clerk):
        client = login(user)
        counts = {url: _get(client, url, q="xa")[1] for url in ENDPOINTS}
        _spread(30, f"Khác {user.pk}")
        assert {url: _get(client, url, q="xa")[1] for url in ENDPOINTS} == counts
        assert max(counts.values()) <= 8, counts


def test_a_crowded_calendar_day_shows_a_few_meetings_and_links_to_the_rest(agencies, site_admin, login, monkeypatch):
    from tests.meetings.factories import local_datetime

    monkeypatch.setattr("meetings.views.CALENDAR_DAY_SHOWN", 2)
    client = login(site_admin)
    MeetingFactory(host_agency=agencies.hdnd, starts_at=local_datetime(2026, 11, 10, 7))
    client.get("/meetings/calendar/", {"date": "2026-11-10"})
    _before, queries = _get(client, "/meetings/calendar/", date="2026-11-10")
    for hour in range(8, 13):
        MeetingFactory(host_agency=agencies.ubnd, starts_at=local_datetime(2026, 11, 10, hour))
    MeetingFactory(host_agency=agencies.ubnd, starts_at=local_datetime(2026, 11, 11, 15), title="Ngày sau")
    response, after_queries = _get(client, "/meetings/calendar/", date="2026-11-10")
    html = response.content.decode()
    assert after_queries == queries
    assert html.count('class="calendar-event') == 3  # two of the 10th, the one of the 11th
    assert "07:00" in html and "08:00" in html and "09:00" not in html
    assert "Ngày sau" in html
    assert 'href="/meetings/?date_from=2026-11-10&amp;date_to=2026-11-10"' in html
    assert "4 more meetings" in html or "Còn 4 cuộc họp khác" in html
    listed = client.get("/meetings/", {"date_from": "2026-11-10", "date_to": "2026-11-10"})
    assert listed.context["page"].paginator.count == 6
