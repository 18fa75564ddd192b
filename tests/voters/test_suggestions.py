"""Suggestions learned from the province's own answers: the nightly job trains a model on the real worker; the
endpoint answers only from the user's own province model, nothing for a unit with too little history; what was
suggested and what the clerk chose is recorded."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coordination.models import Role
from tests.factories import CommuneFactory, member
from tests.realparts import wait_until
from tests.voters.factories import PetitionFactory
from voters import services, suggestions
from voters.models import Petition, SuggestionModel, SuggestionRecord
from voters.selectors import suggestion_acceptance
from voters.tasks import suggestion_models_train

ROADS = [
    "Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp, ngập nước khi mưa",
    "Cử tri phản ánh mặt đường nhiều ổ gà, đề nghị nâng cấp đường giao thông",
    "Đề nghị lắp đèn chiếu sáng và sửa cầu dân sinh trên tuyến đường",
]
SCHOOLS = [
    "Đề nghị xây thêm phòng học cho trường tiểu học, lớp học quá tải",
    "Cử tri đề nghị bổ sung giáo viên cho trường mầm non của xã",
    "Đề nghị sửa chữa nhà vệ sinh trường học và cấp thêm bàn ghế cho học sinh",
]


def history(agencies, count=60):
    """`count` forwarded petitions of the unit: roads go to the UBND, schools to the department."""
    rows = []
    start = datetime.date(2026, 1, 5)
    for index in range(count):
        road = index % 2 == 0
        texts = ROADS if road else SCHOOLS
        rows.append(
            PetitionFactory(
                originating_agency=agencies.hdnd,
                content=f"{texts[index % 3]} (tổ {index})",
                field="infrastructure" if road else "education",
                status="forwarded",
                lead_agency=agencies.ubnd if road else agencies.department,
                received_on=start + datetime.timedelta(days=index),
            )
        )
    return rows


@pytest.mark.worker
@pytest.mark.postgres
def test_the_periodic_job_trains_the_provinces_model_on_the_real_worker(celery_worker, agencies, unit):
    history(agencies, count=120)  # above the default SUGGESTIONS_MIN_SAMPLES (100) the worker runs with
    suggestion_models_train.delay(unit.pk)
    wait_until(
        lambda: SuggestionModel.objects.filter(province=unit).exists(),
        timeout=120,
        message=f"the worker to train; worker log:\n{celery_worker.log()}",
    )
    model = SuggestionModel.objects.get(province=unit)
    assert model.version == 1 and model.n_samples == 120
    assert model.metrics["field"]["top1"] >= 0.9 and model.metrics["agency"]["top1"] >= 0.9
    assert len(bytes(model.payload)) > 1000


@pytest.mark.django_db
def test_too_little_province_history_trains_nothing(agencies, unit, settings):
    settings.SUGGESTIONS_MIN_SAMPLES = 50
    history(agencies, count=20)
    assert suggestions.suggestion_model_train(province=unit) is None
    assert not SuggestionModel.objects.exists()


@pytest.fixture
def trained(agencies, unit, settings):
    settings.SUGGESTIONS_MIN_SAMPLES = 40
    settings.SUGGESTIONS_MIN_UNIT_HISTORY = 20
    history(agencies)
    return suggestions.suggestion_model_train(province=unit)


def ask(client, text):
    return client.get(reverse("voters:suggest"), {"content": text}).json()["suggestion"]


@pytest.mark.django_db
def test_a_clerk_gets_the_field_and_agency_the_province_learned(client, clerk, agencies, trained):
    client.force_login(clerk)
    answer = ask(client, "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp")
    assert answer["version"] == trained.version
    assert answer["field"]["value"] == "infrastructure" and 0.5 < answer["field"]["confidence"] <= 1
    assert answer["agency"]["id"] == agencies.ubnd.pk
    school = ask(client, "Trường tiểu học thiếu phòng học và giáo viên")
    assert school["field"]["value"] == "education" and school["agency"]["id"] == agencies.department.pk


@pytest.mark.django_db
def test_another_provinces_user_gets_nothing_from_this_province(client, outsider, trained):
    client.force_login(outsider)
    assert ask(client, "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp") is None


@pytest.mark.django_db
def test_a_unit_with_too_little_history_of_its_own_gets_no_suggestion(client, unit, trained):
    commune = CommuneFactory(parent=unit)
    from tests.factories import AgencyFactory

    commune_office = AgencyFactory(unit=commune, kind="HDND", name="Thường trực HĐND xã thử")
    clerk = member(commune_office, Role.CLERK, username="commune_clerk")
    client.force_login(clerk)
    assert suggestions.province_of(commune) == unit  # same province model exists...
    assert ask(client, "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp") is None  # ...but no history


@pytest.mark.django_db
def test_a_short_text_or_no_model_gets_nothing(client, clerk, agencies):
    client.force_login(clerk)
    assert ask(client, "đường") is None
    assert ask(client, "Đường vào thôn bị ngập nước, đề nghị nâng cấp") is None  # no model trained yet


@pytest.mark.django_db
def test_what_was_suggested_and_what_was_chosen_is_recorded(client, clerk, leader, agencies, trained, reference_data):
    client.force_login(clerk)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "source": "writing",
        "received_on": "01/12/2026",
        "content": "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp",
        "field": "land",  # the clerk changed the suggested field
        "kind": "petition",
        "suggestion_version": str(trained.version),
        "suggested_field": "infrastructure",
        "suggested_field_confidence": "0.91",
        "suggested_agency": str(agencies.ubnd.pk),
        "suggested_agency_confidence": "0.88",
    }
    response = client.post(reverse("voters:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    petition = Petition.objects.get(idempotency_key=data["idempotency_key"])
    record = SuggestionRecord.objects.get(petition=petition)
    assert (record.suggested_field, record.chosen_field, record.field_confidence) == ("infrastructure", "land", 0.91)
    assert record.suggested_agency == agencies.ubnd and record.chosen_agency is None
    services.petition_forward(
        actor=clerk,
        petition=petition,
        agency=agencies.ubnd,
        supporting_agencies=[],
        dispatch_number="1/HĐND",
        dispatch_date=datetime.date(2026, 12, 2),
    )
    record.refresh_from_db()
    assert record.chosen_agency == agencies.ubnd
    rates = suggestion_acceptance(unit_ids=[petition.unit_id])
    assert rates == {"field": (0, 1), "agency": (1, 1)}
    # The leaders' dashboard shows the rate.
    client.force_login(leader)
    html = client.get(reverse("dashboard"), {"year": "2026"}).content.decode()
    assert 'id="suggestion-rates-title"' in html
    assert "(1/1)" in html and "(0/1)" in html


@pytest.mark.django_db
def test_a_suggested_agency_of_another_province_is_not_recorded(client, clerk, trained, other_agency):
    client.force_login(clerk)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "source": "writing",
        "received_on": "01/12/2026",
        "content": "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp",
        "field": "infrastructure",
        "kind": "petition",
        "suggestion_version": "1",
        "suggested_field": "infrastructure",
        "suggested_agency": str(other_agency.pk),
    }
    assert client.post(reverse("voters:create"), data).status_code == 302
    assert SuggestionRecord.objects.get().suggested_agency is None


# --- batch rows: what was suggested per row is recorded as the single form does ---------------------------------


ROAD_ROW = "Đường vào thôn 3 bị ngập nước sau mưa, đề nghị nâng cấp mặt đường"


def batch_data(rows, confirm=False):
    """The batch intake's POST: each row (content, chosen field, suggested field, suggested agency id or None)."""
    data = {
        "batch-batch_key": str(uuid.uuid4()),
        "batch-source": "writing",
        "batch-received_on": "01/12/2026",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
    }
    if confirm:
        data["confirm_duplicates"] = "1"
    for index, (content, chosen, suggested_field, suggested_agency) in enumerate(rows):
        data.update(
            {
                f"rows-{index}-content": content,
                f"rows-{index}-field": chosen,
                f"rows-{index}-kind": "petition",
                f"rows-{index}-client_key": str(uuid.uuid4()),
            }
        )
        if suggested_field:
            data.update(
                {
                    f"rows-{index}-suggestion_version": "1",
                    f"rows-{index}-suggested_field": suggested_field,
                    f"rows-{index}-suggested_field_confidence": "0.8",
                    f"rows-{index}-suggested_agency": str(suggested_agency or ""),
                    f"rows-{index}-suggested_agency_confidence": "0.7" if suggested_agency else "",
                }
            )
    return data


@pytest.mark.django_db
def test_batch_rows_record_what_was_suggested_and_chosen_with_the_petition(client, clerk, leader, agencies, trained):
    client.force_login(clerk)
    rows = [
        (
            "Đường vào thôn 3 bị ngập nước sau mưa, đề nghị nâng cấp mặt đường",
            "infrastructure",
            "infrastructure",
            agencies.ubnd.pk,
        ),
        (
            "Trường mầm non thôn 5 thiếu giáo viên, đề nghị bổ sung biên chế",
            "land",
            "education",
            agencies.department.pk,
        ),
        ("Đề nghị công khai danh sách hộ nghèo năm 2026 tại nhà văn hóa", "social_policy", None, None),  # none shown
    ]
    response = client.post(reverse("voters:batch_intake"), batch_data(rows, confirm=True))
    assert response.status_code == 302, response.content.decode()[:3000]
    records = {
        record.petition.content: record
        for record in SuggestionRecord.objects.select_related("petition").filter(petition__source="writing")
    }
    assert set(records) == {rows[0][0], rows[1][0]}  # the row shown no suggestion has no record
    first, second = records[rows[0][0]], records[rows[1][0]]
    assert (first.suggested_field, first.chosen_field, first.field_confidence) == (
        "infrastructure",
        "infrastructure",
        0.8,
    )
    assert (second.suggested_field, second.chosen_field) == ("education", "land")
    assert first.suggested_agency == agencies.ubnd and second.suggested_agency == agencies.department
    assert first.model_version == 1 and first.agency_confidence == 0.7
    # Recorded with the petition's own write: its audit entry is there too.
    from coordination.models import AuditEvent

    for record in (first, second):
        assert AuditEvent.objects.filter(action="create", object_id=str(record.petition_id)).count() == 1
    # The dashboard's one rate counts the batch rows: 1 field kept out of 2 suggested.
    unit_ids = [first.petition.unit_id]
    assert suggestion_acceptance(unit_ids=unit_ids, since=datetime.date(2026, 12, 1))["field"] == (1, 2)
    client.force_login(leader)
    html = client.get(reverse("dashboard"), {"year": "2026"}).content.decode()
    assert "(1/2)" in html


@pytest.mark.django_db
def test_a_batch_that_fails_records_no_suggestion(clerk, agencies, trained):
    rows = [
        {
            "content": "Đường vào thôn 3 bị ngập nước sau mưa, đề nghị nâng cấp",
            "field": "infrastructure",
            "kind": "petition",
            "suggestion_version": 1,
            "suggested_field": "infrastructure",
            "suggested_field_confidence": 0.9,
            "suggested_agency": agencies.ubnd.pk,
            "suggested_agency_confidence": 0.8,
        },
        {"content": "", "field": "other", "kind": "petition"},  # refused by the petition's own validation
    ]
    before = Petition.objects.count()
    with pytest.raises(ValidationError):  # the whole batch is refused, the first row's record with it
        services.petition_batch_create(actor=clerk, rows=rows, received_on=datetime.date(2026, 12, 1), source="writing")
    assert Petition.objects.count() == before
    assert not SuggestionRecord.objects.exists()


@pytest.mark.django_db
def test_a_batch_rows_suggested_agency_of_another_province_is_not_recorded(client, clerk, trained, other_agency):
    client.force_login(clerk)
    rows = [
        ("Đường vào thôn 3 bị ngập nước sau mưa, đề nghị nâng cấp", "infrastructure", "infrastructure", other_agency.pk)
    ]
    assert client.post(reverse("voters:batch_intake"), batch_data(rows, confirm=True)).status_code == 302
    record = SuggestionRecord.objects.get()
    assert record.suggested_agency is None and record.suggested_field == "infrastructure"


@pytest.mark.django_db
def test_a_row_sent_from_the_phone_records_its_suggestion_once(client, clerk, agencies, trained):
    import json

    client.force_login(clerk)
    data = {
        "client_key": str(uuid.uuid4()),
        "source": "writing",
        "received_on": "01/12/2026",
        "content": "Đường vào thôn 3 bị ngập nước sau mưa, đề nghị nâng cấp",
        "field": "land",
        "kind": "petition",
        "suggestion_version": "1",
        "suggested_field": "infrastructure",
        "suggested_field_confidence": "0.91",
        "suggested_agency": str(agencies.ubnd.pk),
        "suggested_agency_confidence": "0.8",
        "confirm_duplicates": "1",  # the history has roads like it
    }
    url = reverse("voters:intake_row")
    first = client.post(url, json.dumps(data), content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(url, json.dumps(data), content_type="application/json")  # a retry: stored once
    assert again.status_code == 200
    record = SuggestionRecord.objects.get()
    assert (record.suggested_field, record.chosen_field, record.suggested_agency) == (
        "infrastructure",
        "land",
        agencies.ubnd,
    )


@pytest.mark.django_db
def test_training_learns_from_the_most_recent_petitions_only(agencies, unit, settings):
    settings.SUGGESTIONS_MIN_SAMPLES = 40
    settings.SUGGESTIONS_MAX_TRAIN = 50
    rows = history(agencies, count=120)
    stored = suggestions.suggestion_model_train(province=unit)
    assert stored.n_samples == 50 and stored.metrics["max_train"] == 50
    newest = sorted(rows, key=lambda petition: (petition.received_on, petition.pk))[-50:]
    assert [row[1] for row in suggestions.history(province=unit)] == [petition.pk for petition in newest]


@pytest.mark.django_db
def test_a_communes_own_peoples_committee_is_suggested_from_the_provinces_communes(client, unit, settings):
    """The agency is learned relative to the petition's unit: what went to one commune's own UBND suggests another
    commune's own UBND, never the first commune's."""
    from tests.factories import AgencyFactory

    settings.SUGGESTIONS_MIN_SAMPLES = 40
    settings.SUGGESTIONS_MIN_UNIT_HISTORY = 20
    communes = [CommuneFactory(parent=unit), CommuneFactory(parent=unit)]
    offices = []
    for commune in communes:
        hdnd = AgencyFactory(unit=commune, kind="HDND", name=f"Thường trực HĐND {commune.name}")
        ubnd = AgencyFactory(unit=commune, kind="UBND", name=f"UBND {commune.name}")
        offices.append((hdnd, ubnd))
        for index in range(30):
            PetitionFactory(
                originating_agency=hdnd,
                content=f"{ROADS[index % 3]} (thôn {index})",
                field="infrastructure",
                status="forwarded",
                lead_agency=ubnd,
                received_on=datetime.date(2026, 1, 5) + datetime.timedelta(days=index),
            )
    suggestions.suggestion_model_train(province=unit)
    for hdnd, ubnd in offices:
        client.force_login(member(hdnd, Role.CLERK, username=f"clerk_{hdnd.pk}"))
        assert ask(client, "Đường vào thôn bị ngập nước, ổ gà nhiều, đề nghị nâng cấp")["agency"]["id"] == ubnd.pk
