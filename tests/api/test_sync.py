"""Cursor pagination ordered by (updated_at, id) and `updated_since`: a system syncs every change once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.voters.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _at(day, hour=8):
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


@pytest.fixture
def dated_petitions(agencies):
    """Seven petitions changed on known days (two at the same instant), from Nov 1 to Nov 6."""
    from voters.selectors import petitions_all

    petitions = [PetitionFactory(originating_agency=agencies.hdnd) for _ in range(7)]
    days = [1, 2, 3, 3, 4, 5, 6]
    for petition, day in zip(petitions, days, strict=True):
        petitions_all().filter(pk=petition.pk).update(updated_at=_at(day))
    return petitions


def _walk(client, url, params, secret):
    """Every page's ids, following `next` links."""
    pages = []
    response = client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        if not body["next"]:
            return pages
        response = client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_cursor_pages_cover_every_row_once_oldest_change_first(client, tokens, dated_petitions):
    pages = _walk(client, reverse("api:petitions"), {"page_size": 2}, tokens["hdnd"])
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert [pk for page in pages for pk in page] == [petition.pk for petition in dated_petitions]


def test_updated_since_returns_changes_at_or_after(client, tokens, dated_petitions):
    since = _at(3).isoformat()
    pages = _walk(client, reverse("api:petitions"), {"updated_since": since, "page_size": 3}, tokens["hdnd"])
    assert [pk for page in pages for pk in page] == [petition.pk for petition in dated_petitions[2:]]
    # A date alone means its midnight, local time; an offset typed unencoded ("+" read as a space) still works.
    response = client.get(
        reverse("api:petitions"), {"updated_since": "2026-11-06"}, HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}"
    )
    assert [row["id"] for row in response.json()["results"]] == [dated_petitions[-1].pk]
    response = client.get(
        reverse("api:petitions") + "?updated_since=2026-11-05T08:00:00+07:00",
        HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}",
    )
    assert [row["id"] for row in response.json()["results"]] == [p.pk for p in dated_petitions[-2:]]


def test_a_change_moves_the_row_to_the_end(client, tokens, dated_petitions, clerk):
    """What an incremental sync relies on: a service's write stamps updated_at (optimistic-lock update)."""
    from voters import services

    first = dated_petitions[0]
    services.petition_classify(
        actor=clerk, petition=first, field="land", kind="petition", competence_level="province", version=first.version
    )
    since = _at(6, 9).isoformat()
    response = client.get(
        reverse("api:petitions"), {"updated_since": since}, HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}"
    )
    assert [row["id"] for row in response.json()["results"]] == [first.pk]


@pytest.mark.parametrize("endpoint", ["units", "agencies", "charters", "meetings", "petitions"])
def test_every_list_takes_updated_since(client, tokens, api_world, endpoint):
    url = reverse(f"api:{endpoint}")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['hdnd']}"}
    everything = client.get(url, **headers).json()["results"]
    assert everything
    assert client.get(url, {"updated_since": "2999-01-01"}, **headers).json()["results"] == []
    assert client.get(url, {"updated_since": "2000-01-01T00:00:00Z"}, **headers).json()["results"] == everything
    assert client.get(url, {"updated_since": "31/12/2026"}, **headers).status_code == 400


def test_an_acknowledged_receipt_moves_the_petition_too(
    client, tokens, dated_petitions, clerk, agencies, reference_data
):
    """Acknowledging writes the forwarding only; the petition is stamped so that a sync sees it."""
    from tests.factories import member
    from voters import services

    petition = dated_petitions[0]
    services.petition_forward(
        actor=clerk, petition=petition, agency=agencies.department, dispatch_date=datetime.date(2026, 11, 16)
    )
    petition.refresh_from_db()
    since = timezone.now().isoformat()
    services.petition_acknowledge(actor=member(agencies.department, username="sxd_ack"), petition=petition)
    response = client.get(
        reverse("api:petitions"), {"updated_since": since}, HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}"
    )
    [row] = response.json()["results"]
    assert row["id"] == petition.pk
    assert row["forwardings"][0]["acknowledged_at"] is not None
