"""The write forms too ship no list of thousands: past TYPEAHEAD_OVER a new meeting's host, participants,
attendance, session and constituency, a new charter's unit, parties and articles' agencies, a new task's and
work programme's agencies, a new supervision programme's bodies and a social criticism's Front body are
type-ahead fields holding only the chosen values. What they accept is unchanged (the queryset validates), and
their endpoints offer only what the user may pick."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.models import PARTY_KINDS, AdministrativeUnit, AgencyKind
from meetings.models import Meeting
from tests.factories import AgencyFactory, UnitFactory
from tests.meetings.test_meeting_forms import _form_data

pytestmark = pytest.mark.django_db

# The national administrator's new-record pages, with the type-ahead endpoints they must point to.
NEW_PAGES = {
    "/meetings/new/": ["/meetings/choices/agency/", "/meetings/choices/constituency_unit/"],
    "/charters/new/": ["/charters/choices/party/", "/charters/choices/unit/"],
    "/charters/tasks/new/": ["/charters/choices/task_agency/"],
    "/charters/programmes/new/": ["/charters/choices/issuer/"],
    "/supervision/new/": ["/supervision/choices/supervising/"],
    "/supervision/social-criticism/new/": ["/supervision/choices/front/"],
}


def _country(count, prefix):
    """`count` communes, each with one agency of every party kind."""
    for n in range(count):
        unit = UnitFactory(name=f"Xã {prefix} {n}", level="commune")
        for kind in PARTY_KINDS:
            AgencyFactory(unit=unit, kind=kind, name=f"{kind} xã {prefix} {n}")


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), len(context.captured_queries)


@pytest.mark.parametrize("url", sorted(NEW_PAGES))
def test_national_new_record_pages_are_bounded(url, agencies, site_admin, login, settings, reference_data):
    settings.TYPEAHEAD_OVER = 6
    client = login(site_admin)
    _country(8, "Thử")  # past the threshold already: more data, not a change of widget, is what is compared
    client.get(url)
    before, before_queries = _get(client, url)
    _country(25, "Mới")
    after, after_queries = _get(client, url)
    # The same few options whatever the number of agencies (a new charter's eleven rows each have their empty
    # choice and the areas of the catalogue).
    assert after.count("<option") == before.count("<option") < 250, url
    assert 'type="checkbox" name="supervised_agencies"' not in after
    assert 'type="checkbox" name="participating_agencies"' not in after
    assert after_queries == before_queries, (before_queries, after_queries)
    for endpoint in NEW_PAGES[url]:
        assert f'data-typeahead="{endpoint}' in after, (url, endpoint)


def test_a_meeting_is_recorded_with_type_ahead_fields_and_keeps_its_choices_on_error(
    agencies, clerk, login, settings, reference_data
):
    from tests.meetings.factories import CouncilSessionFactory

    session = CouncilSessionFactory(host_agency=agencies.hdnd, title="Kỳ họp thứ 12 HĐND thành phố")
    settings.TYPEAHEAD_OVER = 2
    client = login(clerk)
    page, _queries = _get(client, "/meetings/new/")
    assert 'data-typeahead="/meetings/choices/agency/"' in page
    assert '<select name="participating_agencies"' in page and "multiple" in page
    # A rejected form shows the chosen host and participants again (the only options of their fields).
    data = _form_data(agencies, session=session.pk, title="")
    form = client.post("/meetings/new/", data).context["form"]
    assert [pk for pk, _label in form.fields["host_agency"].widget.choices if pk] == [agencies.mttq.pk]
    assert sorted(pk for pk, _label in form.fields["participating_agencies"].widget.choices) == sorted(
        [agencies.hdnd.pk, agencies.ubnd.pk]
    )
    response = client.post("/meetings/new/", _form_data(agencies, session=session.pk))
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    meeting = Meeting.objects.get(kind="voter_contact_before")
    assert set(meeting.participating_agencies.values_list("pk", flat=True)) == {agencies.hdnd.pk, agencies.ubnd.pk}
    # Its edit form names the chosen ones.
    edit, _queries = _get(client, f"/meetings/{meeting.pk}/edit/")
    assert f'<option value="{agencies.hdnd.pk}" selected>' in edit


def _texts(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return [item["text"] for item in json.loads(response.content)["results"]]


def test_form_endpoints_offer_only_what_the_user_may_pick(
    agencies, other_agency, clerk, outsider, site_admin, login, reference_data
):
    _country(2, "Thử")
    own = login(clerk)
    for url in (
        "/meetings/choices/agency/",
        "/meetings/choices/constituency_unit/",
        "/charters/choices/task_agency/",
        "/charters/choices/issuer/",
        "/charters/choices/party/",
        "/supervision/choices/supervising/",
    ):
        texts = _texts(own, url, q="")
        assert texts, url
        assert not [text for text in texts if "Thanh Hóa" in text or "Thử" in text], (url, texts)
        assert _texts(own, url, q="thanh hoa") == [], url
    # The Front body of a social criticism: a Front clerk's own, nobody else's.
    assert _texts(own, "/supervision/choices/front/", q="") == []
    # The bodies a programme of a unit supervises: only for a unit the user sees.
    unit = agencies.hdnd.unit_id
    assert _texts(own, "/supervision/choices/supervised/", unit=unit, q="da nang")
    assert login(outsider).get("/supervision/choices/supervised/", {"unit": unit}).status_code == 404
    for value in ("", "x", "-1", "0", "99999999999999999999999", "1 OR 1=1"):
        assert own.get("/supervision/choices/supervised/", {"unit": value}).status_code == 404, value
    admin = login(site_admin)
    assert _texts(admin, "/charters/choices/party/", q="mttq thu 1") == ["MTTQ xã Thử 1"]
    assert _texts(admin, "/charters/choices/unit/", q="xa thu")
    assert set(_texts(admin, "/supervision/choices/front/", q="xa thu")) == {"MTTQ xã Thử 0", "MTTQ xã Thử 1"}


def test_charter_choices_need_the_right_to_write_a_charter(agencies, login, reference_data):
    from coordination.models import Role
    from tests.factories import member

    department_clerk = member(agencies.department, Role.CLERK, username="department_clerk")
    client = login(department_clerk)
    for name in ("party", "unit"):
        assert client.get(f"/charters/choices/{name}/").status_code == 403, name


def test_a_unit_without_party_agencies_is_not_offered_to_write_a_charter(site_admin, login, reference_data):
    AgencyFactory(unit=UnitFactory(name="Xã Chỉ Có Sở", level="commune"), kind=AgencyKind.OTHER)
    _country(1, "Thử")
    texts = _texts(login(site_admin), "/charters/choices/unit/", q="xa")
    assert "Xã Thử 0" in texts and "Xã Chỉ Có Sở" not in texts
    assert AdministrativeUnit.objects.filter(name="Xã Chỉ Có Sở").exists()
