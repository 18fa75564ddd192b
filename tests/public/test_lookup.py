"""Lookup by the receipt's reference and secret code: the state of one's own petition and nothing more; a wrong
code answers exactly as an unknown reference; attempts are throttled per address."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import AuditEvent
from tests.voters.factories import PetitionFactory
from voters import services


@pytest.fixture
def receipt(clerk, agencies):
    petition = PetitionFactory(originating_agency=agencies.hdnd, content="Đề nghị sửa đèn đường ở tổ 5")
    code = services.petition_receipt_issue(actor=clerk, petition=petition)
    petition.refresh_from_db()
    return petition, code


def same_page(response, reference):
    """The page without what differs by construction: the CSRF token and the reference typed, echoed back."""
    import re

    page = response.content.decode().replace(f'value="{reference}"', 'value=""')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def look_up(client, reference, code, **extra):
    return client.post(reverse("public:lookup"), {"reference": reference, "code": code}, **extra)


def test_the_code_is_stored_hashed_and_shown_once(client, clerk, receipt):
    petition, code = receipt
    assert len(code) == 8 and code not in petition.receipt_code_hash
    assert AuditEvent.objects.filter(object_id=str(petition.pk), action="receipt_issue").exists()
    client.force_login(clerk)
    page = client.get(reverse("voters:receipt", args=[petition.pk])).content.decode()
    assert code not in page, "the receipt page shows no code until one is issued"
    issued = client.post(reverse("voters:receipt", args=[petition.pk]))
    new_code = issued.context["code"]
    assert new_code in issued.content.decode() and issued["Cache-Control"] == "no-store"
    client.logout()
    found = look_up(client, petition.reference, new_code)
    assert found.context["state"]["status"] == "received"
    assert found.context["state"]["status_label"] in found.content.decode()
    assert look_up(client, petition.reference, code).context["state"] is None, "a reissued receipt voids the old code"


def test_the_holder_sees_the_state_and_nothing_more(client, leader, agencies, receipt):
    petition, code = receipt
    services.petition_forward(
        actor=leader,
        petition=petition,
        agency=agencies.department,
        dispatch_date=petition.received_on,
        due_date=datetime.date(2026, 12, 31),
    )
    response = look_up(client, petition.reference.lower(), code.lower())
    page = response.content.decode()
    assert response.status_code == 200 and response.context["state"]["reference"] == petition.reference
    assert "Sở Xây dựng thành phố Đà Nẵng" in page and "31/12/2026" in page
    for private in (petition.content, petition.voter_name, petition.voter_phone, petition.voter_address):
        assert private not in page
    assert "no-store" in response["Cache-Control"]


def test_a_wrong_code_reveals_nothing(client, receipt):
    petition, code = receipt
    wrong = look_up(client, petition.reference, "AAAAAAAA")
    unknown = look_up(client, "KN-999999", code)
    no_code = look_up(client, petition.reference, "")
    for response in (wrong, unknown, no_code):
        assert response.status_code == 200 and response.context["state"] is None
    assert same_page(wrong, petition.reference) == same_page(unknown, "KN-999999"), "a wrong code tells nothing more"
    assert petition.voter_name not in wrong.content.decode()


def test_lookups_are_throttled_per_address(client, receipt, settings):
    settings.PUBLIC_LOOKUP_RATE = "3/600"
    petition, code = receipt
    for guess in ("AAAAAAA1", "AAAAAAA2", "AAAAAAA3"):
        assert look_up(client, petition.reference, guess).status_code == 200
    blocked = look_up(client, petition.reference, code)
    assert blocked.status_code == 429, "even the right code waits once the address is over its limit"
    assert code not in blocked.content.decode() and "Quá nhiều yêu cầu" in blocked.content.decode()
    assert look_up(client, petition.reference, code, REMOTE_ADDR="10.1.2.3").context["state"] is not None


def test_hostile_lookup_input_answers_without_a_server_error(client, db):
    for reference, code in (("KN-%s" % ("9" * 40), "X"), ("\x00", "\x00"), ("KN-0", "A" * 500), ("' OR 1=1", "--")):
        assert look_up(client, reference, code).status_code == 200
