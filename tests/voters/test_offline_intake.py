"""The batch intake's offline queue, server side: each row is sent alone with the key the browser gave it, stored
once however often it is sent, and refused in JSON with a reason the page can keep (never a redirect); the
service worker and the manifest are scoped to the intake page only."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse

from coordination.models import AuditEvent, Role
from tests.factories import member
from tests.meetings.factories import MeetingFactory
from tests.voters.factories import PetitionFactory
from voters.models import Petition

pytestmark = pytest.mark.django_db

CONTENT = "Cử tri đề nghị lắp thêm đèn chiếu sáng trên đường Hoàng Sa đoạn gần chợ Mân Thái."


@pytest.fixture
def meeting(agencies):
    return MeetingFactory(
        host_agency=agencies.mttq,
        kind="voter_contact_after",
        title="Tiếp xúc cử tri phường Sơn Trà",
        starts_at=datetime.datetime(2026, 11, 20, 7, tzinfo=datetime.UTC),
    )


def row(meeting, **extra):
    data = {
        "client_key": str(uuid.uuid4()),
        "meeting": str(meeting.pk),
        "source": "meeting",
        "received_on": "",
        "voter_name": "Trần Thị Mai",
        "voter_address": "8 Hoàng Sa",
        "locality": "Phường Sơn Trà",
        "content": CONTENT,
        "field": "infrastructure",
        "kind": "petition",
    }
    data.update(extra)
    return data


def send(client, data):
    return client.post(reverse("voters:intake_row"), json.dumps(data), content_type="application/json")


def test_a_row_sent_twice_is_stored_once_and_answers_the_same(client, mttq_clerk, meeting):
    client.force_login(mttq_clerk)
    data = row(meeting)
    first = send(client, data)
    assert first.status_code == 201, first.content
    again = send(client, data)  # the retry after a timeout: the first answer never reached the phone
    assert again.status_code == 200, again.content
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["created"] is False
    petition = Petition.objects.get()
    assert str(petition.idempotency_key) == data["client_key"]
    assert petition.meeting == meeting and petition.received_on == datetime.date(2026, 11, 20)
    assert petition.originating_agency.kind == "MTTQ" and petition.created_by == mttq_clerk
    assert AuditEvent.objects.filter(action="create", object_id=str(petition.pk)).count() == 1


def test_the_form_and_the_queue_sending_the_same_row_store_it_once(client, mttq_clerk, meeting):
    client.force_login(mttq_clerk)
    data = row(meeting)
    assert send(client, data).status_code == 201
    form = {
        "batch-batch_key": str(uuid.uuid4()),
        "batch-source": "meeting",
        "batch-received_on": "20/11/2026",
        "batch-meeting": str(meeting.pk),
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "300",
        "rows-0-content": CONTENT,
        "rows-0-field": "infrastructure",
        "rows-0-kind": "petition",
        "rows-0-client_key": data["client_key"],
        # A blank row the browser already gave a key to is still a blank row, not an error.
        "rows-1-content": "",
        "rows-1-field": "other",
        "rows-1-kind": "petition",
        "rows-1-client_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("voters:batch_intake"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Petition.objects.count() == 1


def test_an_expired_session_is_refused_in_json_not_redirected(client, meeting):
    response = send(client, row(meeting))
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired" and response.json()["message"]
    assert not Petition.objects.exists()


def test_an_invalid_row_is_refused_with_its_reason(client, mttq_clerk, meeting):
    client.force_login(mttq_clerk)
    response = send(client, row(meeting, content="   "))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid" and "content" in response.json()["errors"]
    assert response.json()["message"]
    assert not Petition.objects.exists()


def test_a_row_of_a_meeting_removed_meanwhile_is_refused(client, mttq_clerk, meeting):
    client.force_login(mttq_clerk)
    data = row(meeting)
    meeting.delete()  # the meeting was deleted (or moved) while the clerk was offline
    response = send(client, data)
    assert response.status_code == 422
    assert "meeting" in response.json()["errors"]
    assert not Petition.objects.exists()


def test_a_row_repeating_a_petition_waits_for_the_clerk_then_is_saved_when_confirmed(client, mttq_clerk, meeting):
    existing = PetitionFactory(originating_agency=meeting.host_agency, content=CONTENT)
    client.force_login(mttq_clerk)
    data = row(meeting)
    response = send(client, data)
    assert response.status_code == 409
    assert response.json()["alike"] == [existing.reference]
    assert existing.reference in response.json()["message"]
    assert Petition.objects.count() == 1
    confirmed = send(client, {**data, "confirm_duplicates": "1"})
    assert confirmed.status_code == 201
    assert Petition.objects.count() == 2


def test_a_key_of_another_office_is_refused_and_not_revealed(client, mttq_clerk, clerk, meeting):
    client.force_login(mttq_clerk)
    data = row(meeting)
    assert send(client, data).status_code == 201
    client.force_login(clerk)  # the HĐND clerk of the same unit, sending the same key
    response = send(client, data)
    assert response.status_code == 403
    assert "reference" not in response.json()
    assert Petition.objects.count() == 1


def test_a_user_who_may_not_record_petitions_is_refused(client, secretariat, meeting):
    client.force_login(secretariat)
    assert send(client, row(meeting)).status_code == 403


def test_another_units_meeting_is_refused(client, outsider, meeting):
    client.force_login(outsider)
    response = send(client, row(meeting))
    assert response.status_code == 422
    assert not Petition.objects.exists()


def test_unreadable_bodies_are_refused_without_a_server_error(client, mttq_clerk):
    client.force_login(mttq_clerk)
    url = reverse("voters:intake_row")
    for body in (b"not json", b"[1, 2]", b"\xff\xfe", b'{"content": {"a": 1}}'):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (400, 422), body


def test_the_service_worker_is_scoped_to_the_intake_page_and_keeps_only_its_shell(client):
    response = client.get(reverse("voters:intake_sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    page = reverse("voters:batch_intake")
    assert reverse("voters:intake_sw").rsplit("/", 1)[0] + "/" == page  # default scope = the page's folder
    assert f'var SHELL = "{page}";' in script
    assert '"/static/voters/intake-offline.js"' in script
    # Only GETs, only the shell's path or the listed assets; JSON and other pages are never put in the cache.
    assert 'request.method !== "GET"' in script and "url.pathname === SHELL" in script
    assert "ASSETS.indexOf(url.pathname)" in script


def test_the_manifest_starts_and_stays_on_the_intake_page(client):
    manifest = client.get(reverse("voters:intake_manifest")).json()
    page = reverse("voters:batch_intake")
    assert manifest["scope"] == manifest["start_url"] == page
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}


def test_the_intake_page_names_its_user_and_its_manifest(client, mttq_clerk, meeting):
    client.force_login(mttq_clerk)
    html = client.get(reverse("voters:batch_intake") + f"?meeting={meeting.pk}").content.decode()
    assert f'data-user="{mttq_clerk.pk}"' in html
    assert f'href="{reverse("voters:intake_manifest")}"' in html
    assert "<script>" not in html  # the strict CSP: no inline script


def test_a_second_clerk_of_the_office_gets_their_own_page(client, agencies, meeting):
    other = member(agencies.mttq, Role.CLERK, username="mttq_clerk_2")
    client.force_login(other)
    html = client.get(reverse("voters:batch_intake")).content.decode()
    assert f'data-user="{other.pk}"' in html


def test_a_meeting_not_held_yet_is_named_on_the_intake_page_not_dropped_silently(client, mttq_clerk, agencies):
    later = MeetingFactory(
        host_agency=agencies.mttq,
        kind="voter_contact_after",
        title="Tiếp xúc cử tri tháng sau",
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20),
    )
    client.force_login(mttq_clerk)
    html = client.get(reverse("voters:batch_intake"), {"meeting": later.pk}).content.decode()
    assert 'id="meeting-not-yet"' in html and "Tiếp xúc cử tri tháng sau" in html
    assert f'<option value="{later.pk}" selected' not in html
