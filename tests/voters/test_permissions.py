"""Who sees what: every page for every role; personal data only for the handling agencies."""

import datetime

import pytest

from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db

PERSONAL = ("Nguyễn Văn An", "12 Lê Duẩn", "0905123456")


def _pages(pk):
    return {
        "list": "/petitions/",
        "detail": f"/petitions/{pk}/",
        "create": "/petitions/new/",
        "batch": "/petitions/batch/",
        "import": "/petitions/import/",
        "forward": f"/petitions/{pk}/forward/",
        "classify": f"/petitions/{pk}/classify/",
        "answer": f"/petitions/{pk}/answer/",
        "return": f"/petitions/{pk}/return/",
        "export": "/petitions/export.csv",
    }


# role → expected status per page for a petition received by HĐND and not yet forwarded
RECEIVED_EXPECTED = {
    "clerk": {
        "list": 200,
        "detail": 200,
        "create": 200,
        "batch": 200,
        "import": 200,
        "forward": 200,
        "classify": 200,
        "answer": 403,
        "return": 403,
        "export": 200,
    },
    "ubnd_clerk": {
        "list": 200,
        "detail": 200,
        "create": 403,
        "batch": 403,
        "import": 403,
        "forward": 403,
        "classify": 403,
        "answer": 403,
        "return": 403,
        "export": 200,
    },
    "secretariat": {
        "list": 200,
        "detail": 200,
        "create": 403,
        "batch": 403,
        "import": 403,
        "forward": 403,
        "classify": 403,
        "answer": 403,
        "return": 403,
        "export": 200,
    },
    "outsider": {
        "list": 200,
        "detail": 404,
        "create": 200,
        "batch": 200,
        "import": 200,
        "forward": 404,
        "classify": 404,
        "answer": 404,
        "return": 404,
        "export": 200,
    },
}


@pytest.mark.parametrize("role", sorted(RECEIVED_EXPECTED))
def test_every_page_for_every_role(role, petition, request, login):
    client = login(request.getfixturevalue(role))
    for page, url in _pages(petition.pk).items():
        assert client.get(url).status_code == RECEIVED_EXPECTED[role][page], (role, page)


@pytest.mark.smoke
def test_anonymous_goes_to_login(client, petition):
    for url in _pages(petition.pk).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lead_agency_may_answer_and_return(forwarded, department_clerk, login):
    client = login(department_clerk)
    for action in ("answer", "return"):
        assert client.get(f"/petitions/{forwarded.pk}/{action}/").status_code == 200
    assert client.get(f"/petitions/{forwarded.pk}/forward/").status_code == 403


@pytest.mark.smoke
def test_same_unit_reader_does_not_see_personal_data(petition, mttq_clerk, login):
    client = login(mttq_clerk)
    for url in ("/petitions/", f"/petitions/{petition.pk}/", "/petitions/export.csv"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8")
        for value in PERSONAL:
            assert value not in text, (url, value)
        assert petition.content in text or petition.content[:40] in text


def test_handling_agencies_see_personal_data(forwarded, clerk, department_clerk, ubnd_clerk, login, client):
    # originating office, lead agency and supporting agency
    for user in (clerk, department_clerk, ubnd_clerk):
        client.logout()
        body = login(user).get(f"/petitions/{forwarded.pk}/").content.decode()
        assert "Nguyễn Văn An" in body, user.username
        assert "0905123456" in body


def test_list_shows_personal_data_per_row(forwarded, agencies, department_clerk, login):
    from .factories import PetitionFactory

    PetitionFactory(originating_agency=agencies.mttq, voter_name="Đỗ Thị Kín")
    body = login(department_clerk).get("/petitions/").content.decode()
    assert "Nguyễn Văn An" in body  # forwarded to the department
    assert "Đỗ Thị Kín" not in body  # another office's petition


def test_other_unit_petition_is_not_listed(petition, outsider, login):
    body = login(outsider).get("/petitions/").content.decode()
    assert petition.reference not in body
    assert Petition.objects.count() == 1


def test_province_sees_its_communes_petitions(unit, clerk, login, reference_data):
    from coordination.models import AgencyKind
    from tests.factories import AgencyFactory, CommuneFactory

    from .factories import PetitionFactory

    commune = CommuneFactory(parent=unit)
    commune_hdnd = AgencyFactory(unit=commune, kind=AgencyKind.HDND)
    petition = PetitionFactory(originating_agency=commune_hdnd)
    assert login(clerk).get(f"/petitions/{petition.pk}/").status_code == 200


def test_attachment_requires_personal_data_right(forwarded, department_clerk, mttq_clerk, login, client):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from voters import services

    pdf = SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    answer = services.petition_answer(
        actor=department_clerk,
        petition=forwarded,
        version=forwarded.version,
        text="Đã giải quyết",
        document_date=datetime.date(2026, 11, 20),
        outcome="resolved",
        attachments=[pdf],
    )
    attachment = answer.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert login(department_clerk).get(f"/petitions/attachments/{attachment.pk}/").status_code == 200
    client.logout()
    assert login(mttq_clerk).get(f"/petitions/attachments/{attachment.pk}/").status_code == 403


def test_attachment_type_is_checked_by_content(forwarded, department_clerk):
    import datetime

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from voters import services

    fake = SimpleUploadedFile("tra-loi.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.petition_answer(
            actor=department_clerk,
            petition=forwarded,
            version=forwarded.version,
            text="x",
            document_date=datetime.date(2026, 11, 20),
            outcome="resolved",
            attachments=[fake],
        )
    assert not forwarded.answers.exists()


def test_action_pages_render_for_the_right_people(answered, clerk, mttq_clerk, login, client):
    assert login(clerk).get(f"/petitions/{answered.pk}/evaluate/").status_code == 200
    client.logout()
    assert login(mttq_clerk).get(f"/petitions/{answered.pk}/evaluate/").status_code == 200
    response = client.post(
        f"/petitions/{answered.pk}/evaluate/", {"version": answered.version, "result": "satisfactory"}
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.status == "closed"


def test_forward_page_uses_the_deadline_engine(petition, clerk, login, agencies):
    from coordination.deadlines import working_days_add

    client = login(clerk)
    page = client.get(f"/petitions/{petition.pk}/forward/")
    assert "due_date" not in page.context["form"].fields  # a clerk cannot set it
    response = client.post(
        f"/petitions/{petition.pk}/forward/",
        {
            "version": petition.version,
            "agency": agencies.department.pk,
            "supporting_agencies": [agencies.ubnd.pk],
            "dispatch_number": "12/HĐND-VP",
            "dispatch_date": "2026-11-16",
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.due_date == working_days_add(__import__("datetime").date(2026, 11, 16), 30)


def test_acknowledge_and_return_through_the_pages(forwarded, department_clerk, login):
    client = login(department_clerk)
    assert client.post(f"/petitions/{forwarded.pk}/acknowledge/").status_code == 302
    response = client.post(f"/petitions/{forwarded.pk}/return/", {"version": forwarded.version + 0, "reason": ""})
    assert response.status_code == 200  # reason required
    forwarded.refresh_from_db()
    response = client.post(f"/petitions/{forwarded.pk}/return/", {"version": forwarded.version, "reason": "Sai"})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == "returned"


def test_council_standing_committee_may_reforward_a_petition_the_front_took_in(
    agencies, reference_data, mttq_clerk, clerk, department_clerk, ubnd_clerk, outsider
):
    from voters import permissions

    from .factories import PetitionFactory

    petition = PetitionFactory(originating_agency=agencies.mttq)
    services.petition_forward(
        actor=mttq_clerk, petition=petition, agency=agencies.department,
        dispatch_number="112/MTTQ-BTT", dispatch_date=datetime.date(2026, 11, 16),
    )  # fmt: skip
    petition.refresh_from_db()
    assert not permissions.can_reforward(clerk, petition)  # not returned yet
    services.petition_return(actor=department_clerk, petition=petition, reason="Không thuộc thẩm quyền.")
    petition.refresh_from_db()
    assert permissions.can_reforward(mttq_clerk, petition)
    assert permissions.can_reforward(clerk, petition)  # the HĐND clerk of the same unit
    assert not permissions.can_reforward(ubnd_clerk, petition)
    assert not permissions.can_reforward(outsider, petition)
    services.petition_reforward(
        actor=clerk, petition=petition, agency=agencies.ubnd,
        dispatch_number="130/HĐND-VP", dispatch_date=datetime.date(2026, 11, 23),
    )  # fmt: skip
    petition.refresh_from_db()
    assert petition.status == "forwarded" and petition.lead_agency_id == agencies.ubnd.pk
