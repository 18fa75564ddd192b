"""Optimistic locking with two people editing at once (two browsers = two test clients): the second save is refused
with a clear message and the second person's text stays in the form.

Already tested by the apps through their pages: petitions (tests/voters/test_conflicts.py, the answer page),
meetings (tests/meetings/test_meeting_forms.py, the edit and minutes pages), charters
(tests/charters/test_charter_forms.py). Reviews and tasks were tested at the service level only: their pages here.
"""

import pytest
from django.test import Client
from django.urls import reverse

from charters.models import Task
from charters.reviews.models import AnnualReview
from coordination.models import Role
from tests.factories import member


def form_data(form, **changes):
    """What the browser would post for `form` as rendered, with the user's `changes`."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = value
    data.update(changes)
    return data


def vietnamese(text):
    return any(letter in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ" for letter in text.lower())


@pytest.fixture
def second_secretariat(agencies):
    return member(agencies.ubnd, Role.SECRETARIAT, username="ubnd_secretariat")


def test_a_stale_review_edit_is_refused_and_keeps_the_text(world, secretariat, second_secretariat):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(second_secretariat)
    url = reverse("charters:review_detail", args=[world.review.pk])
    first_form = first.get(url).context["edit_form"]
    second_form = second.get(url).context["edit_form"]
    edit = reverse("charters:review_edit", args=[world.review.pk])

    saved = first.post(edit, form_data(first_form, shortcomings="Một số cơ quan gửi tờ trình chậm."))
    assert saved.status_code == 302
    text = "Việc trả lời kiến nghị cử tri còn chậm, chưa nêu rõ lộ trình giải quyết."
    refused = second.post(edit, form_data(second_form, shortcomings=text))

    assert refused.status_code == 200
    body = refused.content.decode()
    assert text in body
    assert "alert-danger" in body or "errorlist" in body
    assert vietnamese(" ".join(refused.context["edit_form"].non_field_errors()))
    review = AnnualReview.objects.get(pk=world.review.pk)
    assert review.shortcomings == "Một số cơ quan gửi tờ trình chậm."


def test_a_stale_task_edit_is_refused_and_keeps_the_title(world, clerk, secretariat):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(clerk)
    # The task belongs to the HĐND: its secretariat and its clerk both work on it.
    url = reverse("charters:task_edit", args=[world.task.pk])
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]

    assert first.post(url, form_data(first_form, title="Báo cáo kết quả giám sát chuyên đề đất đai")).status_code == 302
    refused = second.post(url, form_data(second_form, title="Báo cáo giám sát việc giải quyết kiến nghị"))

    assert refused.status_code == 200
    assert "Báo cáo giám sát việc giải quyết kiến nghị" in refused.content.decode()
    assert vietnamese(" ".join(refused.context["form"].non_field_errors()))
    assert Task.objects.get(pk=world.task.pk).title == "Báo cáo kết quả giám sát chuyên đề đất đai"
