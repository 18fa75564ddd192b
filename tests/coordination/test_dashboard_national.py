"""The dashboard at national scope: a site administrator chooses among every unit of the country by typing
(a type-ahead over a JSON endpoint with the same permissions), so the page ships no thousands of <option>s
and its query count does not grow with the units."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _more_units(count, prefix):
    for n in range(count):
        AgencyFactory(unit=UnitFactory(name=f"{prefix} {n}", level="commune"))


def _choices(client, **params):
    response = client.get("/dashboard/units/", params)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_administrators_unit_is_a_type_ahead_past_the_limit(agencies, other_agency, site_admin, login, monkeypatch):
    monkeypatch.setattr("coordination.dashboard.selectors.UNIT_CHOICES_OVER", 1)
    client = login(site_admin)
    url = f"/dashboard/?unit={other_agency.unit_id}"
    with CaptureQueriesContext(connection) as before:
        page = client.get(url)
    body = page.content.decode()
    assert page.context["scope"].units_typeahead
    assert page.context["scope"].units == [other_agency.unit]
    assert 'data-typeahead="/dashboard/units/"' in body and "js/typeahead.js" in body
    assert f'<option value="{other_agency.unit_id}" selected>{other_agency.unit.name}</option>' in body
    _more_units(30, "Xã Mới")
    with CaptureQueriesContext(connection) as after:
        again = client.get(url).content.decode()
    assert again.count("<option") == body.count("<option")
    assert len(after.captured_queries) <= len(before.captured_queries)


def test_few_units_keep_the_drop_down(agencies, other_agency, site_admin, login):
    body = login(site_admin).get("/dashboard/").content.decode()
    assert "data-typeahead" not in body
    assert agencies.hdnd.unit.name in body and other_agency.unit.name in body


def test_unit_choices_respect_permissions_and_fold_accents(agencies, other_agency, clerk, site_admin, login, client):
    assert _choices(login(clerk), q="thanh hoa")["results"] == []
    assert [item["id"] for item in _choices(login(clerk), q="da nang")["results"]] == [agencies.hdnd.unit_id]
    admin = login(site_admin)
    assert [item["id"] for item in _choices(admin, q="THANH HÓA")["results"]] == [other_agency.unit_id]
    _more_units(25, "Xã Thử")
    data = _choices(admin, q="xa thu")
    assert len(data["results"]) == 20 and data["more"] is True
    for q in ("x" * 10_000, "\x00", "%", "' OR 1=1 --", "[a-z]*"):
        _choices(admin, q=q)
    client.logout()
    assert client.get("/dashboard/units/").status_code == 302
