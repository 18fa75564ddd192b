"""Guard rails at scale: every benchmarked page (and the few pages no app test counts) runs as many queries
with a few hundred generated rows as with a few dozen — the query count does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.loadgen import load_data_generate
from charters.models import CharterStatus, Task
from tests.charters.factories import make_charter
from tests.voters.factories import PetitionFactory
from voters.permissions import petitions_visible_to

pytestmark = pytest.mark.django_db

PAGE_SIZE = 50


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _urls(user, charter, petition_id, task_id):
    visible = petitions_visible_to(user).count()
    last_page = max(1, -(-visible // PAGE_SIZE))
    return {
        "dashboard": "/dashboard/",
        "dashboard documents": "/dashboard/documents/",
        "petition list": "/petitions/",
        "petition list, filtered": "/petitions/?status=forwarded&field=land",
        "petition list, search without diacritics": "/petitions/?q=duong+xuong+cap",
        "petition list, last page": f"/petitions/?page={last_page}",
        "petition detail": f"/petitions/{petition_id}/",
        "meeting list": "/meetings/",
        "meeting list, last page": "/meetings/?page=999",
        "calendar": "/meetings/calendar/",
        "charter detail": f"/charters/{charter.pk}/",
        "task list": "/charters/tasks/",
        "task list, overdue": "/charters/tasks/?state=overdue",
        "task detail": f"/charters/tasks/{task_id}/",
        "notifications": "/notifications/",
    }


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_benchmarked_pages_do_not_grow_with_the_data(request, role, agencies, other_agency, reference_data, login):
    user = request.getfixturevalue(role)
    charter = make_charter(agencies, status=CharterStatus.IN_FORCE)
    today = timezone.localdate()
    load_data_generate(petitions=120, meetings=20, tasks=30, seed=1, today=today)
    # Every page has rows to show before the data grows too: an empty page skips its row queries, and "11 then
    # 13" would then measure the empty page, not growth (the filtered list matched nothing at 120 rows).
    PetitionFactory(
        originating_agency=agencies.hdnd,
        lead_agency=agencies.department,
        status="forwarded",
        field="land",
        received_on=today,
    )
    visible = petitions_visible_to(user).order_by("-received_on", "-id")
    petition_id = visible.filter(status="answered").values_list("id", flat=True).first() or visible[0].pk
    task_id = Task.objects.filter(unit=agencies.hdnd.unit).values_list("id", flat=True).first()
    client = login(user)

    before = {name: _count(client, url) for name, url in _urls(user, charter, petition_id, task_id).items()}
    load_data_generate(petitions=360, meetings=80, tasks=120, seed=2, today=today)
    after = {name: _count(client, url) for name, url in _urls(user, charter, petition_id, task_id).items()}

    grown = {name: (before[name], after[name]) for name in before if after[name] > before[name]}
    assert not grown, f"query count grew with the data (before, after): {grown}"


def test_petition_list_meeting_choices_stay_bounded_as_meetings_accumulate(
    agencies, clerk, login, reference_data, monkeypatch
):
    """Past TYPEAHEAD_OVER intake meetings the drop-down becomes a type-ahead field holding the chosen one
    only; any visible meeting is still accepted (links from a meeting's page)."""
    from meetings.models import PETITION_INTAKE_KINDS, Meeting

    monkeypatch.setattr("voters.filters.TYPEAHEAD_OVER", 20)
    load_data_generate(petitions=10, meetings=400, tasks=0, seed=4, today=timezone.localdate())
    visible = Meeting.objects.filter(unit=agencies.hdnd.unit)
    assert visible.filter(kind__in=PETITION_INTAKE_KINDS).count() > 20
    form = login(clerk).get("/petitions/").context["filter"].form
    assert len(form.fields["meeting"].widget.choices) == 1  # the empty choice
    assert form.fields["meeting"].widget.attrs["data-typeahead"] == "/petitions/filter-choices/meeting/"

    oldest = visible.order_by("starts_at", "id").first()
    response = login(clerk).get(f"/petitions/?meeting={oldest.pk}")
    assert response.status_code == 200
    assert not response.context["filter"].errors
    assert response.context["filter"].form.fields["meeting"].widget.choices[1][0] == oldest.pk
