"""Two clerks answering at once; forms submitted twice."""

import datetime
import uuid

import pytest

from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_department_clerk(agencies):
    from coordination.models import Role
    from tests.factories import member

    return member(agencies.department, Role.CLERK, username="sxd_clerk_2")


def _answer(actor, petition, version, text):
    return services.petition_answer(
        actor=actor,
        petition=petition,
        version=version,
        text=text,
        document_date=datetime.date(2026, 11, 20),
        outcome="resolved",
    )


@pytest.mark.smoke
def test_second_concurrent_answer_is_a_conflict(forwarded, department_clerk, second_department_clerk):
    loaded_version = forwarded.version
    first_copy = Petition.objects.get(pk=forwarded.pk)
    second_copy = Petition.objects.get(pk=forwarded.pk)
    _answer(department_clerk, first_copy, loaded_version, "Câu trả lời thứ nhất")
    with pytest.raises(services.PetitionConflict):
        _answer(second_department_clerk, second_copy, loaded_version, "Câu trả lời thứ hai")
    forwarded.refresh_from_db()
    assert [answer.text for answer in forwarded.answers.all()] == ["Câu trả lời thứ nhất"]


def test_conflict_in_the_answer_page_keeps_the_text(forwarded, department_clerk, login):
    client = login(department_clerk)
    stale = forwarded.version
    Petition.objects.filter(pk=forwarded.pk).update(version=stale + 1)  # someone else saved meanwhile
    response = client.post(
        f"/petitions/{forwarded.pk}/answer/",
        {
            "version": stale,
            "text": "Nội dung tôi đã soạn rất dài",
            "document_date": "2026-11-20",
            "outcome": "resolved",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nội dung tôi đã soạn rất dài" in body
    assert "thay đổi" in body or "changed" in body
    assert not forwarded.answers.exists()


@pytest.mark.smoke
def test_double_submit_of_create_form_makes_one_petition(clerk, login, agencies):
    client = login(clerk)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "source": "meeting",
        "received_on": "2026-11-10",
        "content": "Cử tri đề nghị nạo vét kênh thoát nước",
        "field": "environment",
        "kind": "petition",
    }
    first = client.post("/petitions/new/", data)
    second = client.post("/petitions/new/", data)
    assert first.status_code == second.status_code == 302
    assert Petition.objects.count() == 1
    # The first shows the receipt with the code issued at intake; the second, the same petition (no new code).
    pk = Petition.objects.get().pk
    assert (first["Location"], second["Location"]) == (f"/petitions/{pk}/receipt/", f"/petitions/{pk}/")


def _batch_data(key, rows, meeting=""):
    data = {
        "batch-batch_key": key,
        "batch-source": "meeting",
        "batch-received_on": "2026-11-10",
        "batch-meeting": meeting,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
    }
    for index, row in enumerate(rows):
        for name, value in {"field": "other", "kind": "petition", **row}.items():
            data[f"rows-{index}-{name}"] = value
    return data


def test_batch_intake_double_submit_creates_each_row_once(clerk, login):
    client = login(clerk)
    rows = [{"voter_name": f"Cử tri {i}", "content": f"Nội dung kiến nghị số {i}"} for i in range(30)]
    rows.append({"voter_name": "", "content": ""})  # an empty trailing row is ignored
    data = _batch_data(str(uuid.uuid4()), rows)
    data["confirm_duplicates"] = "1"  # rows this alike are flagged as possible duplicates first
    assert client.post("/petitions/batch/", data).status_code == 302
    assert client.post("/petitions/batch/", data).status_code == 302
    assert Petition.objects.count() == 30


@pytest.mark.smoke
def test_batch_error_in_one_row_keeps_every_row(clerk, login):
    client = login(clerk)
    rows = [
        {"voter_name": "Lê Văn Một", "content": "Kiến nghị thứ nhất về đường"},
        {"voter_name": "Phạm Thị Hai", "content": ""},  # content missing
        {"voter_name": "Hồ Văn Ba", "content": "Kiến nghị thứ ba về trường học"},
    ]
    response = client.post("/petitions/batch/", _batch_data(str(uuid.uuid4()), rows))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Lê Văn Một",
        "Kiến nghị thứ nhất về đường",
        "Phạm Thị Hai",
        "Hồ Văn Ba",
        "Kiến nghị thứ ba về trường học",
    ):
        assert text in body
    assert Petition.objects.count() == 0


def test_batch_links_the_meeting(clerk, login, agencies):
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(host_agency=agencies.hdnd, kind="voter_contact_before")
    client = login(clerk)
    assert client.get(f"/petitions/batch/?meeting={meeting.pk}").status_code == 200
    rows = [{"content": "Kiến nghị tại buổi tiếp xúc"}]
    data = _batch_data(str(uuid.uuid4()), rows, meeting=str(meeting.pk))
    data["batch-received_on"] = ""  # received on the day the meeting was held
    response = client.post("/petitions/batch/", data)
    assert response.status_code == 302
    from voters.selectors import petitions_for_meeting

    assert [p.content for p in petitions_for_meeting(meeting)] == ["Kiến nghị tại buổi tiếp xúc"]
