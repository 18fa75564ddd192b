"""The receipt's lookup code is issued at intake (issue #21): every way of recording a petition stores only the
code's hash, shows the code once to the clerk, and the code shown opens the public lookup (a wrong one does not);
the Excel import draws its codes in bulk, its queries not growing with the rows."""

import datetime
import json
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import AuditEvent
from tests.voters.test_import_batch import _rows, _xlsx
from voters import services
from voters.models import Petition
from voters.receipts import ALPHABET, LENGTH, receipt_code_matches, receipt_codes_generate

pytestmark = pytest.mark.django_db

CONTENT = "Cử tri đề nghị lắp thêm đèn chiếu sáng trên đường Hoàng Sa đoạn gần chợ Mân Thái."


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup's rate-limit counters live in the shared cache."""
    cache.clear()
    yield
    cache.clear()


def look_up(client, reference, code):
    client.logout()
    return client.post(reverse("public:lookup"), {"reference": reference, "code": code}).context["state"]


def assert_issued(petition, code):
    petition.refresh_from_db()
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert petition.receipt_code_hash and code not in petition.receipt_code_hash
    assert receipt_code_matches(petition.pk, petition.receipt_code_hash, code)
    for event in AuditEvent.objects.filter(object_id=str(petition.pk)):
        assert code not in json.dumps(event.changes, default=str) + event.summary, "the code is never audited"


def test_the_single_form_shows_the_code_once_on_the_receipt(client, clerk):
    client.force_login(clerk)
    form = {"idempotency_key": str(uuid.uuid4()), "source": "meeting", "received_on": "20/11/2026"}
    form.update({"content": CONTENT, "field": "infrastructure", "kind": "petition"})
    response = client.post(reverse("voters:create"), form)
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("voters:receipt", args=[petition.pk])
    receipt = client.get(response["Location"])
    code = receipt.context["code"]
    assert code and code in receipt.content.decode() and receipt["Cache-Control"] == "no-store"
    assert_issued(petition, code)
    again = client.get(response["Location"])
    assert again.context["code"] is None and code not in again.content.decode(), "shown once"
    # The same form sent again (a double click) finds the petition and issues nothing new.
    assert client.post(reverse("voters:create"), form)["Location"] == reverse("voters:detail", args=[petition.pk])
    assert look_up(client, petition.reference, code)["status"] == "received"
    assert look_up(client, petition.reference, "AAAAAAAA") is None


def test_the_batch_lists_each_rows_reference_and_code(client, mttq_clerk):
    client.force_login(mttq_clerk)
    form = {
        "batch-batch_key": str(uuid.uuid4()),
        "batch-source": "meeting",
        "batch-received_on": "20/11/2026",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
        "confirm_duplicates": "1",  # the two rows look alike: saved all the same
    }
    for index in range(2):
        form.update({f"rows-{index}-content": f"{CONTENT} Lần {index}", f"rows-{index}-field": "infrastructure"})
        form.update({f"rows-{index}-kind": "petition", f"rows-{index}-client_key": str(uuid.uuid4())})
    response = client.post(reverse("voters:batch_intake"), form)
    assert response.status_code == 302 and response["Location"] == reverse("voters:intake_receipts")
    page = client.get(response["Location"])
    rows = page.context["rows"]
    petitions = list(Petition.objects.order_by("id"))
    assert [reference for reference, _code in rows] == [petition.reference for petition in petitions]
    for petition, (_reference, code) in zip(petitions, rows, strict=True):
        assert code in page.content.decode()
        assert_issued(petition, code)
    assert page["Cache-Control"] == "no-store"
    assert client.get(reverse("voters:intake_receipts")).context["rows"] == [], "shown once"
    assert look_up(client, petitions[1].reference, rows[1][1])["status"] == "received"
    assert look_up(client, petitions[1].reference, rows[0][1]) is None, "another row's code opens nothing"


def test_the_offline_row_answers_with_its_code_once(client, mttq_clerk):
    client.force_login(mttq_clerk)
    data = {"client_key": str(uuid.uuid4()), "source": "meeting", "received_on": "2026-11-20"}
    data.update({"content": CONTENT, "field": "infrastructure", "kind": "petition"})
    url = reverse("voters:intake_row")
    first = client.post(url, json.dumps(data), content_type="application/json")
    assert first.status_code == 201, first.content
    code = first.json()["receipt_code"]
    assert first["Cache-Control"] == "no-store"
    petition = Petition.objects.get()
    assert_issued(petition, code)
    again = client.post(url, json.dumps(data), content_type="application/json")
    assert again.status_code == 200 and again.json()["receipt_code"] is None, "a retry does not show it again"
    petition.refresh_from_db()
    assert receipt_code_matches(petition.pk, petition.receipt_code_hash, code), "nor replace it"
    assert look_up(client, petition.reference, code)["status"] == "received"
    assert look_up(client, petition.reference, code[::-1]) is None


def test_the_import_lists_the_codes_once(client, clerk, agencies, reference_data):
    client.force_login(clerk)
    response = client.post(reverse("voters:import"), {"file": _xlsx(_rows(12, agencies))})
    assert response.status_code == 302 and response["Location"] == reverse("voters:intake_receipts")
    page = client.get(response["Location"])
    rows = page.context["rows"]
    petitions = list(Petition.objects.order_by("id"))
    assert len(rows) == len(petitions) == 12
    assert [reference for reference, _code in rows] == [petition.reference for petition in petitions]
    for petition, (_reference, code) in zip(petitions, rows, strict=True):
        assert_issued(petition, code)
    assert len({code for _reference, code in rows}) == 12
    assert client.get(reverse("voters:intake_receipts")).context["rows"] == [], "shown once"
    forwarded = next(petition for petition in petitions if petition.lead_agency_id)
    code = dict(rows)[forwarded.reference]
    assert look_up(client, forwarded.reference, code)["status"] == "forwarded"
    assert look_up(client, forwarded.reference, "") is None


def _import_queries(clerk, agencies, count):
    upload = _xlsx(_rows(count, agencies), name=f"{count}.xlsx")
    with CaptureQueriesContext(connection) as context:
        report = services.petition_import_xlsx(actor=clerk, upload=upload)
    assert report.ok and len(report.created) == count
    assert all(petition.receipt_code for petition in report.created)
    assert not Petition.objects.filter(receipt_code_hash="").exists()
    return len(context.captured_queries)


def test_the_import_issues_its_codes_in_bulk(clerk, agencies, reference_data):
    _import_queries(clerk, agencies, 1)  # warms the content-type cache
    assert _import_queries(clerk, agencies, 5) == _import_queries(clerk, agencies, 150)


def test_reissuing_from_the_petition_page_voids_the_intake_code(client, clerk):
    petition = services.petition_create(
        actor=clerk, received_on=datetime.date(2026, 11, 20), content=CONTENT, field="infrastructure"
    )
    first = petition.receipt_code
    client.force_login(clerk)
    second = client.post(reverse("voters:receipt", args=[petition.pk])).context["code"]
    assert second and second != first
    assert look_up(client, petition.reference, first) is None
    assert look_up(client, petition.reference, second)["status"] == "received"


def test_bulk_codes_are_well_formed():
    codes = receipt_codes_generate(2000)
    assert len(codes) == 2000 and len(set(codes)) == 2000
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert receipt_codes_generate(0) == []
