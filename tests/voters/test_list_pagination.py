"""The petition list's pages: every sort shows each petition once, in order, on the page it belongs to — also
the pages read from the end (past the middle) and a search's pages, whose total is counted up to a cap."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from voters.filters import SORTS
from voters.models import Petition

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = 5
TOTAL = 23  # five pages: four full and a last one of three


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("voters.views.PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def petitions(agencies, other_agency, reference_data):
    """23 visible petitions with shared received dates and some without a due date (ties and NULLs are
    where reading a page backwards could differ from reading it forwards), plus one of another unit."""
    statuses = ["received", "classified", "returned", "closed"]
    rows = [
        PetitionFactory(
            originating_agency=agencies.hdnd,
            received_on=datetime.date(2026, 11, 1) + datetime.timedelta(days=index % 4),
            due_date=None if index % 3 == 0 else datetime.date(2026, 12, 1) + datetime.timedelta(days=index % 5),
            status=statuses[index % 4],
        )
        for index in range(TOTAL)
    ]
    PetitionFactory(originating_agency=other_agency)
    return rows


def _ids(response):
    return [petition.pk for petition in response.context["page"].object_list]


def _expected(order_by, **filters):
    return list(
        Petition.objects.filter(**filters).filter(unit__code="P48").order_by(*order_by).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("sort", [None, *(name for name in SORTS if name != "id")])  # "id" is not offered
def test_every_page_of_every_sort_shows_its_slice_of_the_list(sort, petitions, clerk, login, small_pages):
    client = login(clerk)
    order_by = SORTS.get(sort, SORTS["received"]) if sort else ("-received_on", "-id")
    expected = _expected(order_by)
    assert len(expected) == TOTAL
    seen = []
    for number in range(1, 6):
        query = f"?page={number}" + (f"&sort={sort}" if sort else "")
        response = client.get(f"/petitions/{query}")
        assert response.status_code == 200
        assert response.context["page"].number == number
        page_ids = _ids(response)
        assert page_ids == expected[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], (sort, number)
        seen += page_ids
    assert seen == expected


def test_the_last_page_and_pages_out_of_range(petitions, clerk, login, small_pages):
    client = login(clerk)
    expected = _expected(("-received_on", "-id"))
    last = client.get("/petitions/?page=5")
    assert _ids(last) == expected[20:]
    assert (last.context["page"].start_index(), last.context["page"].end_index()) == (21, 23)
    for beyond in ("99", "0", "-1"):
        assert _ids(client.get(f"/petitions/?page={beyond}")) == expected[20:], beyond
    assert _ids(client.get("/petitions/?page=abc")) == expected[:PAGE_SIZE]


def test_page_links_keep_the_filters(petitions, clerk, login, small_pages):
    response = login(clerk).get("/petitions/?q=tuyen+duong&sort=due&page=2")
    html = response.content.decode()
    links = set(re.findall(r'href="(\?[^"]*page=\d+[^"]*)"', html))
    assert links, "the page shows no page links"
    for link in links:
        assert "q=tuyen+duong" in link and "sort=due" in link, link
    assert 'href="?q=tuyen+duong&amp;sort=due&amp;page=3"' in html or 'href="?q=tuyen+duong&sort=due&page=3"' in html


def test_a_search_counts_up_to_a_cap_and_pages(petitions, agencies, clerk, login, small_pages):
    """Diacritics optional; the total is a bounded count (`LIMIT cap + 1`, no `COUNT(*) OVER ()` whose plan
    depended on the planner's guess); a page past the end falls back to the last page; a search without
    results shows the empty state."""
    client = login(clerk)
    matching = [
        PetitionFactory(originating_agency=agencies.hdnd, content=f"Cử tri đề nghị tổ chức tiếp xúc cử tri lần {n}")
        for n in range(7)
    ]
    expected = sorted((p.pk for p in matching), reverse=True)  # same received date: newest id first
    with CaptureQueriesContext(connection) as context:
        first = client.get("/petitions/?q=tiep+xuc+cu+tri")
    assert _ids(first) == expected[:PAGE_SIZE]
    assert first.context["page"].paginator.count == 7
    assert not first.context["page"].paginator.capped
    petition_sql = [q["sql"] for q in context.captured_queries if '"voters_petition"' in q["sql"]]
    assert not [sql for sql in petition_sql if "OVER ()" in sql]
    # One bounded read of the matching ids (the count and every page's ids), not a count and then a page query.
    bounded = [sql for sql in petition_sql if "LIMIT 1001" in sql]
    assert len(bounded) == 1 and "COUNT(" not in bounded[0], petition_sql
    assert not [sql for sql in petition_sql if "ORDER BY" in sql and "LIMIT" in sql], petition_sql
    assert _ids(client.get("/petitions/?q=tiep+xuc+cu+tri&page=2")) == expected[PAGE_SIZE:]
    assert _ids(client.get("/petitions/?q=tiep+xuc+cu+tri&page=9")) == expected[PAGE_SIZE:]
    empty = client.get("/petitions/?q=khong+co+gi+nhu+vay")
    assert empty.status_code == 200 and _ids(empty) == []


def test_rows_show_what_the_page_showed_before(petitions, agencies, clerk, login):
    """Badges, the overdue mark, personal data and the bulk checkbox come from the row dictionary now."""
    overdue = PetitionFactory(
        originating_agency=agencies.hdnd,
        lead_agency=agencies.department,
        status="forwarded",
        due_date=datetime.date(2020, 1, 1),
        flagged_for_supervision=True,
    )
    html = login(clerk).get("/petitions/").content.decode()
    assert html.count("row-overdue") == 1 and "bi-flag-fill" in html
    assert f'href="/petitions/{overdue.pk}/"' in html
    assert "Nguyễn Văn An" in html  # the clerk's office took these petitions in: it sees the voter's name
    assert f'name="ids" value="{petitions[0].pk}"' in html  # received: can be forwarded in bulk
    assert f'name="ids" value="{petitions[3].pk}"' not in html  # closed
    assert f'name="ids" value="{overdue.pk}"' not in html  # already forwarded


def test_the_last_page_skips_no_rows_and_no_page_sorts_full_rows(petitions, clerk, login, small_pages):
    """The last page reads the order backwards from its start (no OFFSET), a middle page skips ids only, and
    the rows themselves are read by primary key (no ORDER BY, LIMIT or OFFSET over the joined rows)."""
    client = login(clerk)
    for number, offset in ((5, None), (2, f"OFFSET {PAGE_SIZE}")):
        with CaptureQueriesContext(connection) as context:
            client.get(f"/petitions/?page={number}")
        petition_queries = [q["sql"] for q in context.captured_queries if 'FROM "voters_petition"' in q["sql"]]
        ids_query = next(sql for sql in petition_queries if sql.startswith('SELECT "voters_petition"."id" AS "pk"'))
        if offset is None:
            assert "OFFSET" not in ids_query and "ASC" in ids_query, ids_query
        else:
            assert offset in ids_query, ids_query
        rows_query = next(sql for sql in petition_queries if '"voters_petition"."content"' in sql)
        outer = rows_query[rows_query.rindex("WHERE") :]  # after the EXISTS sub-queries of the flag
        assert '"voters_petition"."id" IN (' in outer and "LIMIT" not in outer and "ORDER BY" not in outer, outer


@pytest.mark.parametrize("sort", [None, *(name for name in SORTS if name != "id")])
def test_every_page_of_every_sort_of_a_search_shows_its_slice(sort, petitions, clerk, login, small_pages):
    """A search's ids are read once up to the cap and sorted in Python for orders on dates and ids (NULL due
    dates first when descending, last when ascending, as PostgreSQL sorts them), the status order by the
    database: every page is the slice the database's own ORDER BY gives."""
    client = login(clerk)
    order_by = SORTS.get(sort, SORTS["received"]) if sort else ("-received_on", "-id")
    expected = _expected(order_by)
    assert len(expected) == TOTAL
    seen = []
    for number in range(1, 6):
        query = f"?q=tuyen+duong&page={number}" + (f"&sort={sort}" if sort else "")
        response = client.get(f"/petitions/{query}")
        assert response.context["page"].paginator.count == TOTAL
        page_ids = _ids(response)
        assert page_ids == expected[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], (sort, number)
        seen += page_ids
    assert seen == expected


def test_python_order_of_the_paginator_mirrors_sql_for_nulls_and_directions():
    from voters.pagination import _sort_key

    rows = [(1, None), (2, datetime.date(2026, 1, 2)), (3, datetime.date(2026, 1, 1)), (4, None)]
    ascending = sorted(rows, key=lambda row: (_sort_key(row[1], False), _sort_key(row[0], True)))
    assert [pk for pk, _day in ascending] == [3, 2, 4, 1]  # NULLS LAST, ties by id descending
    descending = sorted(rows, key=lambda row: (_sort_key(row[1], True), _sort_key(row[0], True)))
    assert [pk for pk, _day in descending] == [4, 1, 2, 3]  # NULLS FIRST
