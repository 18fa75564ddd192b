"""Double submission of a create form (a double click, a resent POST) creates one record.

Tested by the apps already, through their views: the petition form and batch intake
(tests/voters/test_conflicts.py), the charter form (tests/charters/test_charter_forms.py), the meeting form
(tests/meetings/test_meeting_forms.py), a conclusion's follow-up task (tests/meetings/test_conclusions.py).
Here: every other create form, each posted twice with the same content.
"""

import datetime
import uuid

from django.urls import reverse

from charters.models import Task
from charters.reviews.models import AnnualReview, ReportFile
from meetings.models import Conclusion, SessionDocument
from voters.models import Petition


def post_twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code in (200, 302) and second.status_code in (200, 302), (first, second)
    return first, second


def test_task_form_twice_creates_one_task(world, clerk, agencies, client):
    client.force_login(clerk)
    url = reverse("charters:task_create")
    form = client.get(url).context["form"]
    before = Task.objects.count()
    data = {
        "title": "Tổng hợp ý kiến cử tri sau kỳ họp",
        "responsible_agency": agencies.hdnd.pk,
        "due_date": "2026-12-20",
        "origin": "arising",
        "idempotency_token": form.initial["idempotency_token"],
    }
    post_twice(client, url, data)

    assert Task.objects.count() == before + 1


def test_review_form_twice_creates_one_review(world, secretariat, client):
    client.force_login(secretariat)
    url = reverse("charters:review_create", args=[world.in_force.pk])
    form = client.get(url).context["form"]
    data = {"year": 2024, "kind": "annual", "idempotency_token": form.initial["idempotency_token"]}
    first, second = post_twice(client, url, data)

    assert AnnualReview.objects.filter(charter=world.in_force, year=2024).count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def edit_review(review, secretariat, summary):
    from charters.reviews.services import review_update

    review.refresh_from_db()
    review_update(actor=secretariat, review=review, version=review.version, summary=summary)


def test_report_request_twice_queues_one_rendering(world, secretariat, client):
    edit_review(world.review, secretariat, "Bản sửa")  # version 1 is rendered already (conftest)
    client.force_login(secretariat)
    url = reverse("charters:review_report_request", args=[world.review.pk])
    before = ReportFile.objects.filter(review=world.review).count()
    post_twice(client, url, {"with_appendix": ""})

    assert ReportFile.objects.filter(review=world.review).count() == before + 1


def test_a_new_version_is_rendered_again(world, secretariat, client):
    client.force_login(secretariat)
    url = reverse("charters:review_report_request", args=[world.review.pk])
    edit_review(world.review, secretariat, "Bản sửa lần một")
    client.post(url, {"with_appendix": ""})
    edit_review(world.review, secretariat, "Bản sửa lần hai")
    client.post(url, {"with_appendix": ""})
    client.post(url, {"with_appendix": "on"})

    assert ReportFile.objects.filter(review=world.review, status="queued").count() == 3


def test_session_document_form_twice_creates_one_document(world, clerk, agencies, client):
    client.force_login(clerk)
    url = reverse("meetings:document_add", args=[world.session.pk])
    before = SessionDocument.objects.filter(meeting=world.session).count()
    data = {
        "document-kind": "submission",
        "document-title": "Tờ trình về kế hoạch đầu tư công năm 2027",
        "document-responsible_agency": agencies.ubnd.pk,
        "document-note": "",
        "document-idempotency_token": str(uuid.uuid4()),  # what the page's hidden field carries
    }
    post_twice(client, url, data)

    assert SessionDocument.objects.filter(meeting=world.session).count() == before + 1


def test_conclusion_form_twice_creates_one_conclusion(world, clerk, agencies, client):
    client.force_login(clerk)
    url = reverse("meetings:conclusion_add", args=[world.session.pk])
    before = Conclusion.objects.filter(meeting=world.session).count()
    data = {
        "conclusion-text": "Giao UBND rà soát các dự án chậm tiến độ",
        "conclusion-responsible_agency": "",
        "conclusion-idempotency_token": str(uuid.uuid4()),  # what the page's hidden field carries
    }
    post_twice(client, url, data)

    assert Conclusion.objects.filter(meeting=world.session).count() == before + 1


def test_import_of_the_same_file_twice_imports_its_rows_once(world, clerk, client):
    from tests.voters.test_import_export import _row, _xlsx

    client.force_login(clerk)
    url = reverse("voters:import")
    before = Petition.objects.count()
    content = _xlsx([_row("Cử tri đề nghị lắp đèn chiếu sáng tuyến đường ven sông", datetime.date(2026, 11, 12))])
    for _ in range(2):
        content.seek(0)
        client.post(url, {"file": content})

    assert Petition.objects.count() == before + 1
