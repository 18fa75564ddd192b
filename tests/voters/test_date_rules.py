"""Records that cannot contradict themselves: the date rules and text limits hold whichever way a record
comes in — the service, the single form, the batch intake, the Excel import (its bulk path) and the admin."""

import datetime
import io
import uuid

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import Workbook

from tests.meetings.factories import MeetingFactory, local_datetime
from voters import batch, importing, services
from voters.models import CONTENT_MAX, Answer, Forwarding, Petition

from .conftest import DISPATCH

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2026, 11, 16)  # MeetingFactory's default: 16/11/2026 08:00


@pytest.fixture
def meeting(agencies):
    return MeetingFactory(host_agency=agencies.hdnd, kind="voter_contact_before")


@pytest.fixture
def future_meeting(agencies):
    later = timezone.localdate() + datetime.timedelta(days=3)
    return MeetingFactory(
        host_agency=agencies.hdnd,
        kind="voter_contact_before",
        starts_at=local_datetime(later.year, later.month, later.day, 8),
    )


def _error_keys(excinfo):
    return set(excinfo.value.message_dict)


# --- the service ----------------------------------------------------------------------------------


def test_service_refuses_a_receipt_before_the_meeting(clerk, meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_create(
            actor=clerk, meeting=meeting, received_on=MEETING_DAY - datetime.timedelta(days=1), content="Đường hư"
        )
    assert _error_keys(excinfo) == {"received_on"}
    assert "16/11/2026" in excinfo.value.message_dict["received_on"][0]
    assert not Petition.objects.exists()


def test_service_gives_a_meeting_petition_the_meetings_day(clerk, meeting):
    petition = services.petition_create(actor=clerk, meeting=meeting, received_on=None, content="Đường hư hỏng")
    assert petition.received_on == MEETING_DAY


def test_service_refuses_a_meeting_not_yet_held(clerk, future_meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_create(actor=clerk, meeting=future_meeting, received_on=None, content="Đường hư hỏng")
    assert "meeting" in _error_keys(excinfo)
    assert not Petition.objects.exists()


def test_service_refuses_a_dispatch_before_the_receipt(clerk, petition, agencies):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_forward(
            actor=clerk,
            petition=petition,
            agency=agencies.department,
            dispatch_date=petition.received_on - datetime.timedelta(days=1),
        )
    assert _error_keys(excinfo) == {"dispatch_date"}
    assert not Forwarding.objects.exists()
    petition.refresh_from_db()
    assert petition.status == "received"


def test_service_refuses_a_due_date_set_by_hand_before_the_dispatch(leader, petition, agencies):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_forward(
            actor=leader,
            petition=petition,
            agency=agencies.department,
            dispatch_date=DISPATCH,
            due_date=DISPATCH - datetime.timedelta(days=1),
        )
    assert _error_keys(excinfo) == {"due_date"}
    assert not Forwarding.objects.exists()


def test_service_refuses_an_answer_dated_before_the_dispatch(forwarded, department_clerk):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_answer(
            actor=department_clerk,
            petition=forwarded,
            version=forwarded.version,
            text="Đã sửa.",
            document_date=DISPATCH - datetime.timedelta(days=1),
            outcome="resolved",
        )
    assert _error_keys(excinfo) == {"document_date"}
    assert not Answer.objects.exists()


def test_service_accepts_the_same_day_throughout(clerk, department_clerk, agencies, reference_data):
    petition = services.petition_create(actor=clerk, received_on=DISPATCH, content="Cử tri đề nghị làm đường")
    services.petition_forward(actor=clerk, petition=petition, agency=agencies.department, dispatch_date=DISPATCH)
    petition.refresh_from_db()
    services.petition_answer(
        actor=department_clerk,
        petition=petition,
        version=petition.version,
        text="Đã làm.",
        document_date=DISPATCH,
        outcome="resolved",
    )
    petition.refresh_from_db()
    assert petition.status == "answered"


def test_service_refuses_too_long_a_text_and_stores_nfc(clerk):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_create(actor=clerk, received_on=DISPATCH, content="a" * (CONTENT_MAX + 1))
    assert _error_keys(excinfo) == {"content"}
    decomposed = "Cu\u031b\u0309 tri kie\u0302\u0301n nghi\u0323 sửa đường"  # "Cử tri kiến nghị" typed as NFD
    petition = services.petition_create(actor=clerk, received_on=DISPATCH, content=decomposed)
    assert petition.content == "Cử tri kiến nghị sửa đường"


# --- the forms ------------------------------------------------------------------------------------


def _create_data(**values):
    return {
        "idempotency_key": str(uuid.uuid4()),
        "source": "meeting",
        "meeting": "",
        "received_on": "16/11/2026",
        "content": "Cử tri đề nghị sửa chữa đường liên thôn",
        "field": "infrastructure",
        "kind": "petition",
        **values,
    }


def test_form_shows_the_meeting_rule_at_the_date_field(clerk, login, meeting):
    client = login(clerk)
    response = client.post("/petitions/new/", _create_data(meeting=meeting.pk, received_on="15/11/2026"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "received_on" in form.errors
    assert "16/11/2026" in form.errors["received_on"][0]
    body = response.content.decode()
    assert 'href="#id_received_on"' in body  # the error summary links to the field
    assert not Petition.objects.exists()


def test_form_takes_the_meetings_day_when_the_date_is_empty(clerk, login, meeting):
    client = login(clerk)
    response = client.post("/petitions/new/", _create_data(meeting=meeting.pk, received_on=""))
    assert response.status_code == 302
    assert Petition.objects.get().received_on == MEETING_DAY


def test_form_parses_and_shows_dates_as_day_month_year(clerk, login):
    client = login(clerk)
    page = client.get("/petitions/new/").content.decode()
    assert 'name="received_on"' in page
    assert 'type="date"' not in page
    assert timezone.localdate().strftime("%d/%m/%Y") in page
    assert client.post("/petitions/new/", _create_data(received_on="05/11/2026")).status_code == 302
    assert Petition.objects.get().received_on == datetime.date(2026, 11, 5)


def test_form_does_not_offer_a_meeting_not_yet_held(clerk, login, meeting, future_meeting):
    client = login(clerk)
    page = client.get("/petitions/new/").content.decode()
    assert f'value="{meeting.pk}"' in page
    assert f'value="{future_meeting.pk}"' not in page
    assert "16/11/2026 — " in page  # each meeting with its date and place
    assert meeting.place in page
    response = client.post("/petitions/new/", _create_data(meeting=future_meeting.pk, received_on=""))
    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_forward_form_shows_the_dispatch_rule_at_its_field(clerk, login, petition, agencies):
    client = login(clerk)
    response = client.post(
        f"/petitions/{petition.pk}/forward/",
        {"version": petition.version, "agency": agencies.department.pk, "dispatch_date": "09/11/2026"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["dispatch_date"]
    assert "10/11/2026" in errors["dispatch_date"][0]
    assert not Forwarding.objects.exists()


def test_answer_form_shows_the_answer_date_rule_at_its_field(department_clerk, login, forwarded):
    client = login(department_clerk)
    response = client.post(
        f"/petitions/{forwarded.pk}/answer/",
        {"version": forwarded.version, "text": "Đã sửa.", "document_date": "15/11/2026", "outcome": "resolved"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["document_date"]
    assert not Answer.objects.exists()


# --- the batch intake -----------------------------------------------------------------------------


def _batch_data(*, meeting="", received_on="", rows=("Kiến nghị tại buổi tiếp xúc cử tri",)):
    data = {
        "batch-batch_key": str(uuid.uuid4()),
        "batch-source": "meeting",
        "batch-received_on": received_on,
        "batch-meeting": meeting,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
    }
    for index, content in enumerate(rows):
        data.update(
            {f"rows-{index}-content": content, f"rows-{index}-field": "other", f"rows-{index}-kind": "petition"}
        )
    return data


def test_batch_refuses_a_receipt_before_the_meeting(clerk, login, meeting):
    client = login(clerk)
    response = client.post("/petitions/batch/", _batch_data(meeting=meeting.pk, received_on="10/11/2026"))
    assert response.status_code == 200
    assert "received_on" in response.context["header"].errors
    assert not Petition.objects.exists()


def test_batch_takes_the_meetings_day(clerk, login, meeting):
    client = login(clerk)
    response = client.post("/petitions/batch/", _batch_data(meeting=meeting.pk, received_on=""))
    assert response.status_code == 302
    assert Petition.objects.get().received_on == MEETING_DAY


def test_batch_service_refuses_a_meeting_not_yet_held(clerk, future_meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.petition_batch_create(
            actor=clerk, rows=[{"content": "Đường hư hỏng nặng"}], received_on=None, meeting=future_meeting
        )
    assert "meeting" in _error_keys(excinfo)
    assert not Petition.objects.exists()


# --- the import (its bulk path) -------------------------------------------------------------------


def test_bulk_path_refuses_a_receipt_before_the_meeting(clerk, agencies, meeting):
    rows = [{"received_on": MEETING_DAY - datetime.timedelta(days=2), "content": "Đường hư hỏng", "meeting": meeting}]
    with pytest.raises(ValidationError) as excinfo:
        batch.petitions_create_many(actor=clerk, originating_agency=agencies.hdnd, rows=rows)
    assert _error_keys(excinfo) == {"received_on"}
    assert not Petition.objects.exists()


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([header for _key, header, _required in importing.COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("kien-nghi.xlsx", buffer.getvalue())


def test_import_refuses_too_long_a_content_at_its_row(clerk, agencies):
    row = ["10/11/2026", "", "", "", "", "", "x" * (CONTENT_MAX + 1), "", "", "", ""]
    report = services.petition_import_xlsx(actor=clerk, upload=_xlsx([row]), originating_agency=agencies.hdnd)
    assert report.errors and report.errors[0][0] == 2 and report.errors[0][1] == "Nội dung"
    assert not Petition.objects.exists()


def test_import_forwards_no_earlier_than_the_receipt(clerk, agencies, reference_data):
    received = timezone.localdate() - datetime.timedelta(days=3)
    row = [received, "", "", "", "", "", "Cử tri đề nghị sửa đường", "", "", "", agencies.department.name]
    report = services.petition_import_xlsx(actor=clerk, upload=_xlsx([row]), originating_agency=agencies.hdnd)
    assert not report.errors
    forwarding = Forwarding.objects.get()
    assert forwarding.dispatch_date >= forwarding.petition.received_on


# --- the admin ------------------------------------------------------------------------------------


def _admin_form(model, site_admin, instance, **changes):
    request = RequestFactory().get("/")
    request.user = site_admin
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance)
    data = {}
    for name, field in form_class.base_fields.items():
        value = field.prepare_value(getattr(instance, name + "_id", None) or getattr(instance, name, None))
        data[name] = "" if value is None else value
    data.update(changes)
    return form_class(data, instance=instance)


def test_admin_obeys_the_answer_date_rule(site_admin, answered):
    answer = answered.answers.get()
    form = _admin_form(Answer, site_admin, answer, document_date="15/11/2026")
    assert not form.is_valid()
    assert "document_date" in form.errors


def test_admin_obeys_the_meeting_rule(site_admin, petition, meeting):
    form = _admin_form(Petition, site_admin, petition, meeting=meeting.pk, received_on="10/11/2026")
    assert not form.is_valid()
    assert "received_on" in form.errors
