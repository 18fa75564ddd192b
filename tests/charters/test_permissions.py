"""Who may see and change charters and tasks: party clerks edit, leaders read, other units 404, anonymous to login."""

from datetime import date

import pytest
from django.urls import reverse

from charters import services
from charters.models import Task, TaskOrigin


@pytest.fixture
def task(agencies, clerk):
    return services.task_create(
        actor=clerk,
        unit=agencies.hdnd.unit,
        title="UBND gửi tờ trình",
        responsible_agency=agencies.ubnd,
        due_date=date(2026, 12, 1),
        origin=TaskOrigin.PLANNED,
    )


def charter_urls(charter):
    article = charter.articles.first()
    return {
        "detail": reverse("charters:detail", args=[charter.pk]),
        "edit": reverse("charters:edit", args=[charter.pk]),
        "article": reverse("charters:article", args=[charter.pk, article.pk]),
    }


@pytest.mark.smoke
@pytest.mark.parametrize("name", ["detail", "edit", "article"])
def test_anonymous_users_are_sent_to_login(client, draft_charter, name):
    response = client.get(charter_urls(draft_charter)[name])
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("user_fixture", "name", "expected"),
    [
        ("clerk", "detail", 200),
        ("clerk", "edit", 200),
        ("clerk", "article", 200),
        ("ubnd_clerk", "edit", 200),
        ("leader", "detail", 200),
        ("leader", "edit", 403),
        ("secretariat", "detail", 200),
        ("secretariat", "edit", 403),
        ("outsider", "detail", 404),
        ("outsider", "edit", 404),
        ("outsider", "article", 404),
        ("site_admin", "edit", 200),
    ],
)
def test_charter_pages_by_role(request, login, draft_charter, user_fixture, name, expected):
    client = login(request.getfixturevalue(user_fixture))
    assert client.get(charter_urls(draft_charter)[name]).status_code == expected


def test_clerk_of_a_non_party_agency_of_the_same_unit_cannot_edit(login, agencies, draft_charter):
    from coordination.models import Role
    from tests.factories import member

    dbqh_clerk = member(agencies.dbqh, Role.CLERK, username="dbqh_clerk")
    client = login(dbqh_clerk)
    assert client.get(charter_urls(draft_charter)["detail"]).status_code == 200
    assert client.get(charter_urls(draft_charter)["edit"]).status_code == 403


def test_a_signed_charter_cannot_be_edited_even_by_its_clerks(login, clerk, in_force_charter):
    assert login(clerk).get(charter_urls(in_force_charter)["edit"]).status_code == 403


def test_status_actions_need_a_party_role(login, leader, clerk, draft_charter):
    url = reverse("charters:status", args=[draft_charter.pk, "sign"])
    assert login(leader).post(url, {"on_date": "2023-02-07"}).status_code == 403
    response = login(clerk).post(url, {"on_date": "2023-02-07"})
    assert response.status_code == 302
    draft_charter.refresh_from_db()
    assert draft_charter.status == "signed"


def test_invalid_transition_is_refused_with_a_message(login, clerk, draft_charter):
    url = reverse("charters:status", args=[draft_charter.pk, "expire"])
    response = login(clerk).post(url, follow=True)
    assert "Only a charter in force can expire" in response.content.decode() or "Chỉ" in response.content.decode()
    draft_charter.refresh_from_db()
    assert draft_charter.status == "draft"


@pytest.mark.parametrize(
    ("user_fixture", "view_status", "change_status"),
    [
        ("ubnd_clerk", 200, 200),  # the responsible agency's clerk
        ("clerk", 200, 403),  # HĐND clerk, same unit, other agency
        ("leader", 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_task_pages_by_role(request, login, task, user_fixture, view_status, change_status):
    client = login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("charters:task", args=[task.pk])).status_code == view_status
    assert client.get(reverse("charters:task_edit", args=[task.pk])).status_code == change_status


def test_responsible_clerk_marks_the_task_done(login, ubnd_clerk, task):
    response = login(ubnd_clerk).post(
        reverse("charters:task", args=[task.pk]),
        {
            "action": "complete",
            "completed_on": "2026-11-20",
            "evidence_note": "Tờ trình số 45/TTr-UBND",
            "version": task.version,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert task.status == "done"
    assert task.done_on_time is True


def test_other_agency_clerk_cannot_mark_the_task_done(login, clerk, task):
    response = login(clerk).post(
        reverse("charters:task", args=[task.pk]),
        {"action": "complete", "completed_on": "2026-11-20", "evidence_note": "x", "version": task.version},
    )
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).status == "open"


def test_task_list_shows_only_visible_units(login, outsider, clerk, task):
    assert task.title in login(clerk).get(reverse("charters:tasks")).content.decode()
    assert task.title not in login(outsider).get(reverse("charters:tasks")).content.decode()


def test_charter_list_shows_only_visible_units(login, outsider, clerk, draft_charter):
    assert draft_charter.number in login(clerk).get(reverse("charters:list")).content.decode()
    assert draft_charter.number not in login(outsider).get(reverse("charters:list")).content.decode()
