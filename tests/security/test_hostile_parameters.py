"""No query parameter of any page produces a server error: every URL of the permission matrix, requested with
hostile values for every query parameter the code reads, by a leader and by a site administrator.

The parameter names are collected from the code (`request.GET.get("x")`, `GET["x"]`, `getlist`, `params.get`
and the fields of the filter forms and filter sets bound to GET) plus common names, so a parameter added to
a view is walked without editing this file. A refused value may answer 200 (ignored or a form error),
400 or 404 — never 500.
"""

import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.security.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("coordination", "charters", "meetings", "voters", "supervision")
COMMON = (
    "year", "page", "cursor", "date", "date_from", "date_to", "from", "to", "due_from", "due_to", "q", "status",
    "unit", "agency", "meeting", "charter", "sort", "csort", "month", "week", "view", "tab", "format", "state",
    "show", "mine", "ids", "exclude", "content", "next", "field", "kind", "overdue",
)  # fmt: skip
HOSTILE = [
    "",
    "x",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "1.5",
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "../../etc/passwd",
    "%00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE voters_petition; --",
    "１２３",
    "x" * 5000,
]
ACTORS = ("leader", "admin")
GET_PARAMETER = re.compile(r"""(?:GET|params)(?:\.get|\.getlist)?[\(\[]\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")


def read_by_hand(app):
    """The parameter names an app's code reads itself (`GET.get("x")`…), not through a form."""
    names = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            names.update(GET_PARAMETER.findall(path.read_text(encoding="utf-8")))
    return names


def parameter_names():
    """Every query parameter name the apps' code reads, the filter forms' fields and the common names."""
    names = set(COMMON)
    for app in APPS:
        names |= read_by_hand(app)
    from charters.forms import CharterFilterForm, TaskFilterForm
    from meetings.forms import MeetingFilterForm
    from voters.filters import PetitionFilter

    for form in (CharterFilterForm, TaskFilterForm, MeetingFilterForm):
        names.update(form.base_fields)
    names.update(PetitionFilter.base_filters)
    return sorted(names)


def test_the_walk_finds_the_parameters_the_views_read():
    names = parameter_names()
    # Read by hand in views and selectors, and through filter forms: each must be found.
    assert {"year", "page", "unit", "agency", "due_from", "csort", "date", "mine", "exclude", "ids"} <= set(names)
    assert {"date_from", "date_to", "q", "status"} <= set(names)


def _get_urls(world):
    for name, entry in sorted(MATRIX.items()):
        if entry.post_only or name in ("logout",):
            continue
        yield name, entry.url(world)


def _app_of(name):
    return name.split(":", 1)[0] if ":" in name else "core"


@pytest.mark.parametrize("app", sorted({_app_of(name) for name in MATRIX}))
def test_no_hostile_query_parameter_is_a_server_error(app, world, actors, client):
    names = parameter_names()
    errors = []
    client.raise_request_exception = False
    for actor in ACTORS:
        client.force_login(actors[actor])
        for name, url in _get_urls(world):
            if _app_of(name) != app:
                continue
            path = urlsplit(url).path
            # Every parameter with the same hostile value; then the value twice (a list) for every one.
            requests = [dict.fromkeys(names, value) for value in HOSTILE]
            requests.append({parameter: ["1", "x"] for parameter in names})
            for params in requests:
                response = client.get(path + "?" + urlencode(params, doseq=True))
                if response.status_code >= 500:
                    sample = next(iter(params.values()))
                    errors.append(f"{actor} GET {name} {path} with every parameter = {sample!r:.40}: 500")
    assert not errors, "\n".join(errors)


VIEW_APPS = {
    "core": "coordination",
    "charters": "charters",
    "meetings": "meetings",
    "voters": "voters",
    "public": "coordination/public",
    "api": "coordination/api",
    "supervision": "supervision",
}


@pytest.mark.parametrize("app", sorted({_app_of(name) for name in MATRIX}))
def test_each_parameter_read_by_hand_alone_is_no_server_error(app, world, actors, client):
    """One parameter at a time, for the ones the app reads itself: a bad value that stops a view early
    (a 404 for unit=-1) must not hide what it would do with the next parameter."""
    names = sorted(read_by_hand(VIEW_APPS[app]))
    worst = ["x", "-1", "99999999999999999999", "9999-12-31", "0001-01-01"]
    errors = []
    client.raise_request_exception = False
    client.force_login(actors["leader"])
    for name, url in _get_urls(world):
        if _app_of(name) != app:
            continue
        path = urlsplit(url).path
        for parameter in names:
            for value in worst:
                response = client.get(path, {parameter: value})
                if response.status_code >= 500:
                    errors.append(f"leader GET {name} {path}?{parameter}={value!r:.40}: 500")
    assert not errors, "\n".join(errors)
