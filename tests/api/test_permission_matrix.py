"""Every endpoint of the read API, requested by every kind of caller: who gets the record, a 401 or a 404.

Callers (tests/api/conftest.py `tokens`): anonymous (no token), revoked (a revoked token of the HĐND),
hdnd (took the petition in), department (was asked to answer it), dbqh (same unit, involved in nothing),
outsider (an agency of another province). The records belong to the test unit; the outsider gets 404 for
each of them and never sees them in a list, as on the pages. A new URL without an entry fails
`test_every_api_url_has_an_entry`."""

import pytest
from django.urls import URLPattern, reverse

from coordination.api import urls as api_urls

pytestmark = pytest.mark.django_db

CALLERS = ("anonymous", "revoked", "hdnd", "department", "dbqh", "outsider")
#                  anonymous revoked hdnd department dbqh outsider
RECORD_CODES = dict(zip(CALLERS, (401, 401, 200, 200, 200, 404), strict=True))

# name of the list URL -> (name of the detail URL, the test unit's record to find)
RECORDS = {
    "units": ("unit", lambda world, agencies: world.commune),
    "agencies": ("agency", lambda world, agencies: agencies.department),
    "charters": ("charter", lambda world, agencies: world.charter),
    "meetings": ("meeting", lambda world, agencies: world.meeting),
    "petitions": ("petition", lambda world, agencies: world.petition),
}
PUBLIC_DOCS = {"schema", "docs"}


def test_every_api_url_has_an_entry():
    names = {pattern.name for pattern in api_urls.urlpatterns if isinstance(pattern, URLPattern)}
    covered = set(RECORDS) | {detail for detail, _ in RECORDS.values()} | {"dashboard"} | PUBLIC_DOCS
    assert names == covered


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(RECORDS))
def test_record_endpoints(api, api_world, agencies, caller, endpoint):
    detail_name, record_of = RECORDS[endpoint]
    record = record_of(api_world, agencies)
    expected = RECORD_CODES[caller]

    listing = api(caller).get(reverse(f"api:{endpoint}"))
    detail = api(caller).get(reverse(f"api:{detail_name}", args=[record.pk]))

    assert detail.status_code == expected, detail.content
    if expected == 401:
        assert listing.status_code == 401
        assert listing["WWW-Authenticate"].startswith("Bearer")
        assert detail["WWW-Authenticate"].startswith("Bearer")
        assert "results" not in listing.json()
        return
    assert listing.status_code == 200
    if expected == 200:
        assert record.pk in _ids(listing)
        assert detail.json()["id"] == record.pk
    else:
        assert record.pk not in _ids(listing)
        assert str(record.pk) not in str(detail.json().get("id", ""))


def test_the_outsider_reads_its_own_province(api, api_world):
    other = api_world.other
    assert _ids(api("outsider").get(reverse("api:petitions"))) == {other.petition.pk}
    assert _ids(api("outsider").get(reverse("api:meetings"))) == {other.meeting.pk}
    assert other.ubnd.pk in _ids(api("outsider").get(reverse("api:agencies")))
    assert api("outsider").get(reverse("api:petition", args=[other.petition.pk])).status_code == 200
    # ...and the test unit sees none of the other province's.
    assert other.petition.pk not in _ids(api("hdnd").get(reverse("api:petitions")))
    assert api("hdnd").get(reverse("api:petition", args=[other.petition.pk])).status_code == 404
    assert api("hdnd").get(reverse("api:meeting", args=[other.meeting.pk])).status_code == 404


@pytest.mark.parametrize("caller", CALLERS)
def test_dashboard(api, api_world, caller):
    response = api(caller).get(reverse("api:dashboard"), {"unit": api_world.unit.pk, "year": 2026})
    assert response.status_code == RECORD_CODES[caller]
    if response.status_code == 200:
        body = response.json()
        assert body["unit"] == api_world.unit.pk
        # The dashboard's own counting: one petition received in 2026, forwarded and answered.
        assert body["petitions"]["received"] == 1
        assert body["petitions"]["forwarded"] == 1
        assert body["petitions"]["answered"] == 1


def test_dashboard_defaults_to_the_tokens_unit(api, api_world):
    assert api("outsider").get(reverse("api:dashboard")).json()["unit"] == api_world.other.agency.unit_id
    assert api("hdnd").get(reverse("api:dashboard")).json()["unit"] == api_world.unit.pk


PERSONAL = {"voter_name", "voter_address", "voter_phone"}


@pytest.mark.parametrize(("caller", "sees_personal"), [("hdnd", True), ("department", True), ("dbqh", False)])
def test_personal_data_only_where_the_pages_show_it(api, api_world, caller, sees_personal):
    """The originating office and the agencies asked to answer see the voter; the rest of the unit does not
    (voters/permissions.py), in the list and in the detail alike."""
    petition = api_world.petition
    row = next(r for r in api(caller).get(reverse("api:petitions")).json()["results"] if r["id"] == petition.pk)
    detail = api(caller).get(reverse("api:petition", args=[petition.pk])).json()
    for body in (row, detail):
        assert body["personal_data_included"] is sees_personal
        if sees_personal:
            assert body["voter_name"] == "Nguyễn Văn An"
            assert body["voter_phone"] == "0905123456"
        else:
            assert not PERSONAL & set(body)
            assert "Nguyễn Văn An" not in str(body)
            assert "0905123456" not in str(body)
    # The petition's history is there for everyone who sees it.
    assert detail["forwardings"][0]["agency"] == api_world.petition.lead_agency_id
    assert detail["answers"][0]["document_number"] == "88/SXD-QLHT"


def test_charter_comes_with_its_articles_and_parties(api, api_world, agencies):
    body = api("dbqh").get(reverse("api:charter", args=[api_world.charter.pk])).json()
    assert [article["number"] for article in body["articles"]] == sorted(
        api_world.charter.articles.values_list("number", flat=True)
    )
    assert agencies.ubnd.pk in body["articles"][0]["supporting_agencies"]
    assert {party["agency"] for party in body["parties"]} == {agencies.hdnd.pk, agencies.ubnd.pk, agencies.mttq.pk}


def test_a_signed_in_user_without_a_token_gets_401(client, clerk, api_world):
    """The API takes tokens only: a browser session is not a credential here (no CSRF question arises)."""
    client.force_login(clerk)
    response = client.get(reverse("api:petitions"))
    assert response.status_code == 401


def test_an_inactive_agencys_token_is_refused(api, agencies, api_world):
    agencies.dbqh.is_active = False
    agencies.dbqh.save()
    assert api("dbqh").get(reverse("api:units")).status_code == 401


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_read_only(api, api_world, method):
    url = reverse("api:petition", args=[api_world.petition.pk])
    assert api("hdnd").generic(method, url).status_code == 405
    assert api("anonymous").generic(method, url).status_code == 401
    assert api("hdnd").generic(method, reverse("api:petitions")).status_code == 405
