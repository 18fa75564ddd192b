"""Whatever a caller sends, the read API answers 4xx with a reason, never a server error."""

import base64

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "x",
    "-1",
    "0",
    "9" * 40,
    "2026-13-45",
    "0001-01-01",
    "9999-12-31T23:59:59",
    "2026-12-01T25:61:00",
    "2026-12-01T08:00:00+99:00",
    "\x00",
    "'; DROP TABLE voters_petition; --",
    "%",
    "Ngày 1 tháng 12",
    "a" * 5000,
    "[]",
    "{}",
]
ENDPOINTS = ["units", "agencies", "charters", "meetings", "petitions", "dashboard"]
PARAMETERS = ["updated_since", "cursor", "page_size", "unit", "agency", "year", "from", "to", "format", "ordering"]


def _forged_cursor(query):
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hostile_query_parameters(client, tokens, api_world, endpoint):
    url = reverse(f"api:{endpoint}")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['hdnd']}"}
    failures = []
    for name in PARAMETERS:
        for value in HOSTILE:
            response = client.get(url, {name: value}, **headers)
            if response.status_code >= 500:
                failures.append(f"{name}={value[:30]!r}: {response.status_code}")
    for cursor in ("p=not-a-date", "p=2026-11-01&o=99999999999999999999", "o=-5", "r=1&p=0001-01-01", "p=\x00"):
        response = client.get(url, {"cursor": _forged_cursor(cursor)}, **headers)
        if response.status_code >= 500:
            failures.append(f"cursor {cursor!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_bad_updated_since_is_400_with_the_reason(client, tokens):
    response = client.get(
        reverse("api:petitions"), {"updated_since": "hôm qua"}, HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}"
    )
    assert response.status_code == 400
    assert "updated_since" in response.json()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "2147483648", "9223372036854775808"])
@pytest.mark.parametrize("detail", ["unit", "agency", "charter", "meeting", "petition"])
def test_hostile_ids_answer_404(client, tokens, detail, pk):
    url = f"{reverse(f'api:{detail}', args=[1])[:-2]}{pk}/"
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {tokens['hdnd']}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer " + "x" * 5000, "Bearer \u00e9t\u00e9", "Basic Zm9vOmJhcg==", "Token x"],
)
def test_hostile_authorization_headers(client, header):
    response = client.get(reverse("api:units"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
