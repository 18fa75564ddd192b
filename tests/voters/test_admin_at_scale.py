"""The Django admin at a million petitions: the petition search goes through the list's search (full-text
index on PostgreSQL, a reference by id), no date hierarchy, no full count, foreign keys as raw ids."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.admin_base import CappedCountPaginator, LargeTableAdminMixin
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db

LARGE = ("voters.petition", "voters.answer", "voters.evaluation", "meetings.meeting", "charters.task")
LARGE += ("coordination.auditevent",)


def _admin_of(label):
    return next(model_admin for model, model_admin in admin.site._registry.items() if model._meta.label_lower == label)


@pytest.mark.parametrize("label", LARGE)
def test_large_tables_have_no_full_count_nor_date_hierarchy(label):
    model_admin = _admin_of(label)
    assert isinstance(model_admin, LargeTableAdminMixin)
    assert model_admin.show_full_result_count is False
    assert model_admin.show_facets == admin.ShowFacets.NEVER
    assert model_admin.date_hierarchy is None
    assert model_admin.paginator is CappedCountPaginator


def test_petition_admin_foreign_keys_are_raw_ids():
    model_admin = _admin_of("voters.petition")
    foreign_keys = {f.name for f in Petition._meta.get_fields() if f.many_to_one and f.concrete}
    assert foreign_keys <= set(model_admin.raw_id_fields)


def _petitions(clerk):
    day = datetime.date(2026, 11, 10)
    wanted = services.petition_create(actor=clerk, received_on=day, content="Đề nghị tiếp xúc cử tri ở thôn Đông")
    services.petition_create(actor=clerk, received_on=day, content="Thiếu giáo viên tiểu học")
    return wanted


def _shown(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def test_petition_admin_search_uses_the_list_search(agencies, clerk, site_admin, client):
    wanted = _petitions(clerk)
    client.force_login(site_admin)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/admin/voters/petition/", {"q": "tiep xuc thon dong"})
    assert response.status_code == 200
    assert _shown(response) == [wanted.pk]
    sql = [q["sql"] for q in context.captured_queries if '"voters_petition"' in q["sql"]]
    assert not [s for s in sql if "UPPER(" in s or ("LIKE" in s and connection.vendor == "postgresql")], sql
    if connection.vendor == "postgresql":
        assert any("search_vector" in s for s in sql)
    # Every count is bounded: no COUNT(*) over the whole table (show_full_result_count = False).
    counts = [s for s in sql if "COUNT(" in s]
    assert counts and all("LIMIT 2001" in s for s in counts), counts
    assert _shown(client.get("/admin/voters/petition/", {"q": wanted.reference})) == [wanted.pk]
    assert client.get("/admin/voters/petition/", {"q": "' OR 1=1 -- %"}).status_code == 200


def test_admin_count_is_capped(agencies, clerk, site_admin, client, monkeypatch):
    monkeypatch.setattr("coordination.admin_base.LARGE_TABLE_COUNT_CAP", 3)
    for n in range(5):
        services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 10), content=f"Kiến nghị {n}")
    client.force_login(site_admin)
    response = client.get("/admin/voters/petition/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


def test_petition_admin_query_count_does_not_grow(agencies, clerk, site_admin, client, django_assert_max_num_queries):
    _petitions(clerk)
    client.force_login(site_admin)
    with CaptureQueriesContext(connection) as context:
        client.get("/admin/voters/petition/")
    first = len(context.captured_queries)
    for n in range(30):
        services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 9), content=f"Kiến nghị {n}")
    with django_assert_max_num_queries(first):
        client.get("/admin/voters/petition/")
