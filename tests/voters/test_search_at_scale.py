"""The petition list at national scale: a search no word can slow down (bounded count, full-text index on
PostgreSQL, LIKE on SQLite), matched words highlighted and escaped, and type-ahead filters instead of
thousands of <option>s, over a JSON endpoint with the filter's own permissions."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, UnitFactory
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 10)


def _create(clerk, content):
    return services.petition_create(actor=clerk, received_on=DAY, content=content)


def _option_count(html):
    return html.count("<option")


@pytest.mark.smoke
def test_search_highlights_the_matched_words_and_escapes_the_text(agencies, clerk, login):
    _create(clerk, "Cử tri <b>kiến nghị</b> sửa đường <script>alert(1)</script> giao thông")
    body = login(clerk).get("/petitions/", {"q": "kien nghi"}).content.decode()
    assert "<mark>kiến</mark> <mark>nghị</mark>" in body
    assert "&lt;b&gt;" in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "1 petition matches" in body or "1 kiến nghị khớp" in body


def test_search_words_are_whole_words_accent_insensitive(agencies, clerk, login):
    wanted = _create(clerk, "Đề nghị tổ chức tiếp xúc cử tri ở xã Hòa Vang")
    other = _create(clerk, "Thiếu giáo viên ở trường tiểu học")
    client = login(clerk)
    for query in ("tiep xuc cu tri", "TIẾP XÚC", "hoa vang", "xã hòa"):
        ids = [row["pk"] for row in client.get("/petitions/", {"q": query}).context["rows"]]
        assert ids == [wanted.pk], query
    assert [row["pk"] for row in client.get("/petitions/", {"q": "giao vien"}).context["rows"]] == [other.pk]


def test_a_reference_finds_its_petition_in_any_spelling(agencies, clerk, outsider, login):
    petition = _create(clerk, "Nội dung")
    client = login(clerk)
    for query in (petition.reference, petition.reference.lower(), f"KN {petition.pk}", f" kn-{petition.pk} "):
        ids = [row["pk"] for row in client.get("/petitions/", {"q": query}).context["rows"]]
        assert ids == [petition.pk], query
    # Another unit's clerk does not find it by its reference.
    assert login(outsider).get("/petitions/", {"q": petition.reference}).context["rows"] == []


@pytest.mark.smoke
def test_the_count_stops_at_the_cap(agencies, clerk, login, monkeypatch):
    monkeypatch.setattr("voters.views.SEARCH_CAP", 4)
    monkeypatch.setattr("voters.views.PAGE_SIZE", 2)
    created = [_create(clerk, f"Kiến nghị số {n} về đường làng") for n in range(7)]
    client = login(clerk)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/petitions/", {"q": "duong lang"})
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 4 and paginator.num_pages == 2
    body = response.content.decode()
    assert "More than 4 petitions match" in body or "Hơn 4 kiến nghị khớp" in body
    # The count is a bounded read of the matching ids (cap + 1), and past the cap the page reads its ids in order.
    bounded = [q["sql"] for q in context.captured_queries if '"voters_petition"' in q["sql"] and "LIMIT 5" in q["sql"]]
    assert len(bounded) == 1 and "COUNT(*)" not in bounded[0], bounded
    assert not [q for q in context.captured_queries if "OVER ()" in q["sql"]]
    newest = sorted((p.pk for p in created), reverse=True)
    assert [row["pk"] for row in response.context["rows"]] == newest[:2]
    # The last offered page is the cap's, read forwards (not from the end of all 7 matches).
    last = client.get("/petitions/", {"q": "duong lang", "page": "99"})
    assert [row["pk"] for row in last.context["rows"]] == newest[2:4]


def test_search_runs_on_the_full_text_index_on_postgresql(agencies, clerk, login):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    _create(clerk, "Đường giao thông nông thôn xuống cấp")
    with CaptureQueriesContext(connection) as context:
        login(clerk).get("/petitions/", {"q": "đường xuống cấp"})
    sql = [q["sql"] for q in context.captured_queries if "search_vector" in q["sql"]]
    assert sql and all("to_tsquery('simple'::regconfig, 'duong & xuong & cap')" in s for s in sql), sql
    assert not [s for s in sql if "LIKE" in s]
    # The generated column follows every write; the planner has an index for it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM voters_petition WHERE search_vector @@ to_tsquery('simple', 'nong & thon')"
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'petition_search_fts'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


@pytest.mark.parametrize("query", ["", " ", "!!!", "a" * 5000, "kn-", "' & | ! :* (", "\x00", "%_%", "ｔｉｅｐ"])
def test_hostile_search_input_gives_a_page(agencies, clerk, login, query):
    _create(clerk, "Tiếp xúc cử tri")
    assert login(clerk).get("/petitions/", {"q": query}).status_code == 200


def _many_agencies(count, prefix="Ủy ban nhân dân xã Thử"):
    for n in range(count):
        AgencyFactory(unit=UnitFactory(name=f"Xã Thử {prefix[-3:]} {n}", level="commune"), name=f"{prefix} {n}")


def test_national_admin_list_has_a_bounded_number_of_options(agencies, site_admin, login, monkeypatch):
    monkeypatch.setattr("voters.filters.TYPEAHEAD_OVER", 10)
    client = login(site_admin)
    _many_agencies(12)
    before = client.get("/petitions/").content.decode()
    _many_agencies(40, prefix="Ủy ban nhân dân phường Mới")
    after = client.get("/petitions/").content.decode()
    assert _option_count(after) == _option_count(before) < 60
    assert 'data-typeahead="/petitions/filter-choices/agency/"' in after
    assert 'data-typeahead="/petitions/filter-choices/unit/"' in after
    assert "js/typeahead.js" in after
    # A chosen agency is the one option of its field besides "all", and the list filters by it.
    chosen = agencies.ubnd
    page = client.get("/petitions/", {"agency": chosen.pk})
    assert page.context["filter"].form.fields["agency"].widget.choices[1] == (chosen.pk, chosen.name)
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in page.content.decode()


def test_a_clerk_with_few_choices_keeps_plain_drop_downs(agencies, clerk, login):
    body = login(clerk).get("/petitions/").content.decode()
    assert "data-typeahead=" not in body
    assert agencies.department.name in body


def _choices(client, name, **params):
    response = client.get(f"/petitions/filter-choices/{name}/", params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_choices_endpoint_respects_permissions_and_folds_accents(agencies, other_agency, clerk, site_admin, login):
    client = login(clerk)
    names = [item["text"] for item in _choices(client, "agency", q="da nang")["results"]]
    assert agencies.hdnd.name in names and agencies.department.name in names
    assert other_agency.name not in [item["text"] for item in _choices(client, "agency", q="thanh hoa")["results"]]
    assert _choices(client, "unit", q="THANH HÓA")["results"] == []
    admin = login(site_admin)
    assert [item["id"] for item in _choices(admin, "agency", q="thanh hoa")["results"]] == [other_agency.pk]
    units = _choices(admin, "unit", q="đà nẵng")["results"]
    assert [item["id"] for item in units] == [agencies.hdnd.unit_id]


def test_choices_endpoint_lists_meetings_with_their_day(agencies, clerk, login):
    from meetings.models import MeetingKind
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(
        host_agency=agencies.hdnd, kind=MeetingKind.CITIZEN_RECEPTION, title="Tiếp xúc cử tri trước kỳ họp"
    )
    MeetingFactory(host_agency=agencies.hdnd, title="Tiếp xúc cử tri: giao ban")  # not an intake meeting
    results = _choices(login(clerk), "meeting", q="tiep xuc")["results"]
    assert [item["id"] for item in results] == [meeting.pk]
    assert results[0]["text"].startswith("Tiếp xúc cử tri trước kỳ họp · ")


def test_choices_endpoint_is_bounded_and_takes_hostile_input(agencies, site_admin, login, client):
    _many_agencies(25)
    admin = login(site_admin)
    data = _choices(admin, "agency", q="thu")
    assert len(data["results"]) == 20 and data["more"] is True
    for params in ({"q": "x" * 10_000}, {"q": "\x00"}, {"q": ["a", "b"]}, {"q": "%"}, {"q": "' OR 1=1 --"}, {}):
        _choices(admin, "agency", **params)
        _choices(admin, "meeting", **params)
    assert len(_choices(admin, "agency", q="%")["results"]) == 20  # no word: the first choices
    assert admin.get("/petitions/filter-choices/status/").status_code == 404
    assert admin.get("/petitions/filter-choices/..%2F/").status_code == 404
    client.logout()
    assert client.get("/petitions/filter-choices/agency/").status_code == 302


def test_choice_query_count_is_fixed(agencies, site_admin, login, django_assert_max_num_queries):
    client = login(site_admin)
    _many_agencies(3)
    with django_assert_max_num_queries(6):
        client.get("/petitions/filter-choices/agency/", {"q": "xa"})
    _many_agencies(30, prefix="Ủy ban nhân dân xã Khác")
    with django_assert_max_num_queries(6):
        client.get("/petitions/filter-choices/agency/", {"q": "xa"})


@pytest.mark.smoke
def test_petition_search_selector_on_any_backend(agencies, clerk):
    from voters.selectors import petition_search

    petition = _create(clerk, "Sạt lở bờ sông")
    assert list(petition_search(Petition.objects.all(), "sat lo")) == [petition]
    assert list(petition_search(Petition.objects.all(), "   ")) == [petition]
    assert list(petition_search(Petition.objects.all(), "khong co")) == []


def test_the_national_list_counts_up_to_a_cap(agencies, clerk, site_admin, login, monkeypatch):
    monkeypatch.setattr("voters.views.NATIONAL_CAP", 3)
    for n in range(5):
        _create(clerk, f"Kiến nghị {n}")
    response = login(site_admin).get("/petitions/")
    assert response.context["page"].paginator.capped
    assert response.context["page"].paginator.count == 3
    assert response.context["tabs"][0]["count"] is None  # no "All 3" badge for a capped count
    # A unit's clerk still gets the exact count.
    clerk_page = login(clerk).get("/petitions/")
    assert not clerk_page.context["page"].paginator.capped
    assert clerk_page.context["tabs"][0]["count"] == 5


@pytest.mark.smoke
def test_choice_search_matches_any_spelling_on_any_backend(agencies):
    from coordination.choices import choice_search
    from coordination.models import Agency

    queryset = Agency.objects.order_by("name")
    for query in ("đà nẵng", "DA NANG", "ĐÀ NẴNG", "da  nang", "Đoàn ĐBQH"):
        rows, _more = choice_search(queryset, "name", query)
        assert agencies.dbqh.pk in [pk for pk, _name in rows], query
    assert choice_search(queryset, "name", "xay dung")[0] == [(agencies.department.pk, agencies.department.name)]
    assert choice_search(queryset, "name", "[a-z]*")[0] == choice_search(queryset, "name", "a z")[0]
