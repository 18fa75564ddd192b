"""The petition search finds what is being typed: when the words typed are found nowhere, the last one also
matches the words it begins ("xuon" finds "xuống", "tiep xu" finds "tiếp xúc"), accent-insensitive, highlighted;
a word typed in full finds that word only; the other words stay whole words (on PostgreSQL, through the
full-text index; a common prefix is checked row by row instead) and the count stays capped."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from voters import services
from voters.selectors import search_prefix, search_words

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 10)


def _create(clerk, content):
    return services.petition_create(actor=clerk, received_on=DAY, content=content)


def _found(client, query):
    return [row["pk"] for row in client.get("/petitions/", {"q": query}).context["rows"]]


def test_the_last_word_typed_finds_the_words_it_begins(agencies, clerk, login):
    road = _create(clerk, "Đường liên xã bị xuống cấp nghiêm trọng")
    meeting = _create(clerk, "Đề nghị tổ chức tiếp xúc cử tri ở xã Hòa Vang")
    other = _create(clerk, "Thiếu giáo viên ở trường tiểu học")
    client = login(clerk)

    assert _found(client, "xuon") == [road.pk]
    assert _found(client, "XUỐN") == [road.pk]
    assert _found(client, "duong xuo") == [road.pk]
    assert _found(client, "tiep xu") == [meeting.pk]
    assert _found(client, "tiep xuc cu tr") == [meeting.pk]
    assert _found(client, "giao vi") == [other.pk]
    assert sorted(_found(client, "xa")) == sorted([road.pk, meeting.pk])
    # Nothing begins with it, or an earlier word is not a whole word of the text.
    assert _found(client, "xuonz") == []
    assert _found(client, "tie xuc") == []


def test_a_word_typed_in_full_is_not_drowned_by_the_words_it_begins(agencies, clerk, login):
    ferry = _create(clerk, "Bến phà xuống cấp")
    law = _create(clerk, "Tuyên truyền pháp luật cho cử tri")
    client = login(clerk)

    assert _found(client, "phà") == [ferry.pk]
    assert _found(client, "phap") == [law.pk]
    assert sorted(_found(client, "ph")) == sorted([ferry.pk, law.pk])
    body = client.get("/petitions/", {"q": "pha"}).content.decode()
    assert "<mark>phà</mark>" in body and "<mark>pháp</mark>" not in body


def test_the_prefix_is_highlighted_as_the_whole_word(agencies, clerk, login):
    _create(clerk, "Đường liên xã bị xuống cấp <b>nghiêm</b> trọng")
    body = login(clerk).get("/petitions/", {"q": "duong xuon"}).content.decode()

    assert "<mark>Đường</mark>" in body and "<mark>xuống</mark>" in body
    assert "&lt;b&gt;nghiêm&lt;/b&gt;" in body and "<b>nghiêm" not in body


def test_a_single_letter_stays_a_whole_word():
    assert search_prefix(search_words("a")) is None
    assert search_prefix(search_words("tiếp xú")) == "xu"
    assert search_prefix([]) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text query is PostgreSQL's")
@pytest.mark.parametrize("common", [False, True])
def test_only_the_last_word_is_a_prefix_and_the_count_stays_capped(agencies, clerk, login, monkeypatch, common):
    monkeypatch.setattr("voters.views.SEARCH_CAP", 3)
    monkeypatch.setattr("voters.selectors.prefix_is_common", lambda prefix: common)
    created = [_create(clerk, f"Kiến nghị số {n} về đường làng xuống cấp") for n in range(5)]
    _create(clerk, "Đường làng lầy lội")
    with CaptureQueriesContext(connection) as context:
        response = login(clerk).get("/petitions/", {"q": "duong lang xuon"})
    assert response.context["page"].paginator.capped
    assert {row["pk"] for row in response.context["rows"]} <= {p.pk for p in created}
    sql = [q["sql"] for q in context.captured_queries if "search_vector" in q["sql"]]
    # Whole words first (the list's own bounded read, LIMIT cap + 1, finds nothing), then the prefix: in the index
    # query when rare, checked per row when common.
    whole = [s for s in sql if "'duong & lang & xuon'" in s]
    assert len(whole) == 1 and "LIMIT 4" in whole[0], sql
    prefixed = [s for s in sql if "xuon:*" in s]
    assert prefixed
    if common:
        assert all("'duong & lang')" in s and "ts_match_vq" in s for s in prefixed), prefixed
    else:
        assert all("'duong & lang & xuon:*'" in s and "ts_match_vq" not in s for s in prefixed), prefixed
    assert not [q for q in context.captured_queries if "OVER ()" in q["sql"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_a_prefix_is_common_by_the_statistics_of_whole_words(agencies, clerk):
    from voters import selectors

    for n in range(30):
        _create(clerk, f"Đường xuống cấp số {n}")
    _create(clerk, "Bến phà")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE voters_petition")
    selectors._common_words["at"] = None
    assert selectors.prefix_is_common("xuo") and selectors.prefix_is_common("duong")
    assert not selectors.prefix_is_common("zzz")
    selectors._common_words["at"] = None


def _searches(context):
    """The queries that searched the petitions (not the reading of pg_stats' common words, which is cached)."""
    return [q["sql"] for q in context.captured_queries if "search_vector" in q["sql"] and "pg_stats" not in q["sql"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text query is PostgreSQL's")
def test_words_found_whole_cost_one_search_query_and_no_exists(agencies, clerk, login):
    """The list reads a search's matches once (ids up to the cap): no EXISTS beforehand to decide whole words or
    prefix, no second query for the page when the matches fit under the cap. The other callers of
    petition_search (the admin's search box) still decide with EXISTS."""
    from voters.models import Petition
    from voters.selectors import petition_search

    road = _create(clerk, "Đường liên xã bị xuống cấp nghiêm trọng")
    _create(clerk, "Thiếu giáo viên ở trường tiểu học")
    client = login(clerk)
    with CaptureQueriesContext(connection) as context:
        assert _found(client, "duong xuong") == [road.pk]
    sql = _searches(context)
    assert len(sql) == 1 and ":*" not in sql[0], sql
    with CaptureQueriesContext(connection) as context:
        assert _found(client, "duong xuon") == [road.pk]
    sql = _searches(context)
    assert len(sql) == 2 and ":*" not in sql[0] and "xuon:*" in sql[1], sql
    assert list(petition_search(Petition.objects.all(), "duong xuon")) == [road]
    assert list(petition_search(Petition.objects.all(), "duong xuong")) == [road]
