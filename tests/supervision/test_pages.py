"""The supervision pages: they render for the unit's members, the list costs the same queries whatever the
number of programmes, and the forms take dates as dd/mm/yyyy and go through the services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision.models import Recommendation, ReportRequest
from tests.supervision.factories import (
    CriticismFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ReportRequestFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _programmes(agencies, count):
    for _ in range(count):
        programme = ProgrammeFactory(
            supervising_agency=agencies.hdnd, supervised_agencies=[agencies.ubnd, agencies.department]
        )
        ReportRequestFactory(programme=programme, agency=agencies.ubnd)
        RecommendationFactory(programme=programme, responsible_agency=agencies.department)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_costs_the_same_queries_for_2_or_20_programmes(login, clerk, agencies):
    client = login(clerk)
    url = reverse("supervision:list")
    _programmes(agencies, 2)
    client.get(url)  # warm the per-process caches (content types, session)
    few = _queries(client, url)
    _programmes(agencies, 18)
    assert _queries(client, url) == few


def test_the_detail_costs_the_same_queries_whatever_its_rows(login, clerk, agencies):
    client = login(clerk)
    programme = ProgrammeFactory(supervising_agency=agencies.hdnd, supervised_agencies=[agencies.ubnd])
    ReportRequestFactory(programme=programme, agency=agencies.ubnd)
    url = reverse("supervision:detail", args=[programme.pk])
    client.get(url)
    few = _queries(client, url)
    for _ in range(8):
        ReportRequestFactory(programme=programme, agency=agencies.department)
        RecommendationFactory(programme=programme, responsible_agency=agencies.department)
    assert _queries(client, url) == few


def test_the_pages_render_with_their_figures(login, clerk, agencies):
    programme = ProgrammeFactory(supervising_agency=agencies.hdnd, subject="Quản lý chợ truyền thống")
    ReportRequestFactory(programme=programme, agency=agencies.ubnd, due_date=TODAY - datetime.timedelta(days=3))
    CriticismFactory(agency=agencies.mttq, subject="Dự thảo quy hoạch chợ")
    client = login(clerk)
    listing = client.get(reverse("supervision:list")).content.decode()
    assert "Quản lý chợ truyền thống" in listing and "1 chờ" in listing
    detail = client.get(reverse("supervision:detail", args=[programme.pk])).content.decode()
    assert "Quá hạn" in detail and agencies.ubnd.name in detail
    assert "Dự thảo quy hoạch chợ" in client.get(reverse("supervision:criticism_list")).content.decode()
    assert client.get(reverse("supervision:create")).status_code == 200


def test_request_receive_recommend_and_complete_through_the_forms(login, clerk, ubnd_clerk, agencies):
    programme = ProgrammeFactory(supervising_agency=agencies.hdnd)
    client = login(clerk)
    requested = (TODAY - datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    due = (TODAY - datetime.timedelta(days=4)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("supervision:report_request", args=[programme.pk]),
        {"agency": agencies.ubnd.pk, "requested_on": requested, "due_date": due, "content": "Báo cáo kết quả"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ReportRequest.objects.get()
    response = client.post(
        reverse("supervision:report_receive", args=[report.pk]),
        {"received_on": (TODAY + datetime.timedelta(days=1)).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200 and "không được sau hôm nay" in response.content.decode()
    client.post(reverse("supervision:report_receive", args=[report.pk]), {"received_on": TODAY.strftime("%d/%m/%Y")})
    report.refresh_from_db()
    assert report.received_on == TODAY and report.is_late
    client.post(
        reverse("supervision:recommendation_create", args=[programme.pk]),
        {"text": "Sửa chữa chợ", "responsible_agency": agencies.ubnd.pk, "due_date": due},
    )
    recommendation = Recommendation.objects.get()
    assert recommendation.is_overdue(TODAY)
    ubnd = login(ubnd_clerk)
    response = ubnd.post(
        reverse("supervision:recommendation_done", args=[recommendation.pk]),
        {"done_on": TODAY.strftime("%d/%m/%Y"), "result": "Đã sửa"},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "done" and recommendation.done_late


def test_bad_input_answers_a_form_error_not_a_server_error(login, clerk, agencies):
    programme = ProgrammeFactory(supervising_agency=agencies.hdnd)
    client = login(clerk)
    for data in (
        {"agency": "abc", "requested_on": "31/02/2026", "due_date": "x"},
        {"agency": agencies.ubnd.pk, "requested_on": "10/03/2026", "due_date": "01/03/2026"},
        {"agency": "999999", "requested_on": "", "due_date": ""},
    ):
        response = client.post(reverse("supervision:report_request", args=[programme.pk]), data)
        assert response.status_code == 200
    assert not ReportRequest.objects.exists()
    response = client.get(reverse("supervision:list"), {"year": "abc", "status": "zzz", "agency": "-1", "q": "đất"})
    assert response.status_code == 200
