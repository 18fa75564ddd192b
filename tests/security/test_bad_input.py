"""Generated input (hypothesis) posted to every form through its real view as a user who may use it: no server
error ever, and every refusal is the form again with its errors in Vietnamese.

Excel imports with malformed files are tested by the voters app (tests/voters/test_import_export.py: wrong
columns, broken zip, not a workbook, too many rows, formulas, dates as text, all or nothing).
"""

import pytest
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹáàãéèíìóòõúùýđ")

# Values that break naive parsing: empty, huge, negative, impossible dates, markup, NUL, right-to-left, emoji.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "99999999999999999999",
    "2026-02-30",
    "31/12/2026",
    "2026-13-01",
    "0000-00-00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\x00",
    "a\x00b",
    "\u202eabc",
    "😀" * 50,
    "x" * 5000,
    "None",
    "[]",
    "=1+1",
    "-1000000000",
    "1.5",
    "true",
    "../../etc/passwd",
    "\r\n",
    "Đ" * 600,
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates().map(lambda day: day.isoformat()),
)


def forms_in(context):
    """The forms and formsets a page rendered (the test client's context of every template)."""
    if context is None:
        return []
    contexts = context if isinstance(context, list) else [context]
    found = []
    for each in contexts:
        for value in each.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and not any(value is seen for seen in found):
                found.append(value)
    return found


def field_names(forms):
    names = set()
    for form in forms:
        if isinstance(form, BaseFormSet):
            names.update(form.management_form.add_prefix(name) for name in form.management_form.fields)
            for member in [*form.forms, form.empty_form]:
                names.update(member.add_prefix(name) for name in member.fields)
        else:
            names.update(form.add_prefix(name) for name in form.fields)
    names.discard("csrfmiddlewaretoken")
    return sorted(name for name in names if "__prefix__" not in name)


def error_messages(forms):
    messages = []
    for form in forms:
        members = [*form.forms] if isinstance(form, BaseFormSet) else [form]
        if isinstance(form, BaseFormSet) and form.is_bound:
            messages.extend(form.non_form_errors())
        for member in members:
            if member.is_bound:
                for errors in member.errors.values():
                    messages.extend(errors)
    return messages


def vietnamese(message):
    return bool(VIETNAMESE_LETTERS & set(str(message).lower()))


# name: (url builder, the actor who may use the form, the view answers a re-render (True) or a redirect)
FORMS = {
    "profile": (lambda w: reverse("profile"), "owner_clerk"),
    "password_change": (lambda w: reverse("password_change"), "owner_clerk"),
    "voters:create": (lambda w: reverse("voters:create"), "owner_clerk"),
    "voters:batch_intake": (lambda w: reverse("voters:batch_intake"), "owner_clerk"),
    "voters:classify": (lambda w: reverse("voters:classify", args=[w.received.pk]), "owner_clerk"),
    "voters:forward": (lambda w: reverse("voters:forward", args=[w.received.pk]), "owner_clerk"),
    "voters:group": (lambda w: reverse("voters:group", args=[w.received.pk]), "owner_clerk"),
    "voters:answer": (lambda w: reverse("voters:answer", args=[w.forwarded.pk]), "department_clerk"),
    "voters:return": (lambda w: reverse("voters:return", args=[w.forwarded.pk]), "department_clerk"),
    "voters:evaluate": (lambda w: reverse("voters:evaluate", args=[w.answered.pk]), "owner_clerk"),
    "meetings:create": (lambda w: reverse("meetings:create"), "owner_clerk"),
    "meetings:edit": (lambda w: reverse("meetings:edit", args=[w.session.pk]), "owner_clerk"),
    "meetings:minutes": (lambda w: reverse("meetings:minutes", args=[w.session.pk]), "owner_clerk"),
    "charters:create": (lambda w: reverse("charters:create"), "owner_clerk"),
    "charters:edit": (lambda w: reverse("charters:edit", args=[w.charter.pk]), "owner_clerk"),
    "charters:obligation_edit": (
        lambda w: reverse("charters:obligation_edit", args=[w.charter.pk, w.obligation.pk]),
        "owner_clerk",
    ),
    "charters:task_create": (lambda w: reverse("charters:task_create"), "owner_clerk"),
    "charters:task_edit": (lambda w: reverse("charters:task_edit", args=[w.task.pk]), "owner_clerk"),
    "charters:review_create": (lambda w: reverse("charters:review_create", args=[w.in_force.pk]), "secretariat"),
    "charters:review_edit": (lambda w: reverse("charters:review_detail", args=[w.review.pk]), "secretariat"),
}
# Forms posted somewhere else than the page that shows them.
POST_TO = {"charters:review_edit": lambda w: reverse("charters:review_edit", args=[w.review.pk])}
# Small forms inside a page: they answer with a redirect and a message; only "no server error" applies.
REDIRECTING = {
    "meetings:conclusion_add": (lambda w: reverse("meetings:detail", args=[w.session.pk]), "owner_clerk"),
    "meetings:document_add": (lambda w: reverse("meetings:detail", args=[w.session.pk]), "owner_clerk"),
}
REDIRECT_POST_TO = {
    "meetings:conclusion_add": lambda w: reverse("meetings:conclusion_add", args=[w.session.pk]),
    "meetings:document_add": lambda w: reverse("meetings:document_add", args=[w.session.pk]),
}
REDIRECT_FIELDS = {
    "meetings:conclusion_add": ["conclusion-text", "conclusion-responsible_agency", "conclusion-due_date",
                                "conclusion-create_task"],
    "meetings:document_add": ["document-kind", "document-title", "document-responsible_agency", "document-due_date",
                              "document-note"],
}  # fmt: skip


def user_for(actor, world, actors):
    return world.department_clerk if actor == "department_clerk" else actors[actor]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_generated_input_never_breaks_a_form_and_is_refused_in_vietnamese(name, world, actors, client):
    build, actor = FORMS[name]
    client.force_login(user_for(actor, world, actors))
    page = client.get(build(world))
    assert page.status_code == 200, name
    names = field_names(forms_in(page.context))
    assert names, f"{name}: no form found in the page's context"
    target = POST_TO.get(name, build)(world)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    def post(data):
        response = client.post(target, data)
        assert response.status_code < 500, (name, data)
        if response.status_code == 200:
            messages = error_messages(forms_in(response.context))
            english = [message for message in messages if not vietnamese(message)]
            assert not english, (name, data, english)

    post()


@pytest.mark.parametrize("name", sorted(REDIRECTING))
def test_generated_input_never_breaks_the_small_forms_of_a_page(name, world, actors, client):
    _page, actor = REDIRECTING[name]
    client.force_login(user_for(actor, world, actors))
    target = REDIRECT_POST_TO[name](world)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(REDIRECT_FIELDS[name], VALUES)))
    def post(data):
        response = client.post(target, data)
        assert response.status_code < 500, (name, data)

    post()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_an_empty_submission_is_refused_with_vietnamese_messages(name, world, actors, client):
    build, actor = FORMS[name]
    client.force_login(user_for(actor, world, actors))
    # What a browser sends for a form left empty: every field, with nothing in it (the management forms
    # of formsets keep their counts, as the browser sends them).
    forms = forms_in(client.get(build(world)).context)
    data = dict.fromkeys(field_names(forms), "")
    for form in forms:
        if isinstance(form, BaseFormSet):
            management = form.management_form
            data.update({management.add_prefix(key): management.initial.get(key, "") for key in management.fields})
    response = client.post(POST_TO.get(name, build)(world), data)

    if name in NOTHING_REQUIRED:
        assert response.status_code == 302, name
        return
    assert response.status_code == 200, name
    messages = error_messages(forms_in(response.context))
    assert messages, name
    assert all(vietnamese(message) for message in messages), messages
    if name not in NO_REQUIRED_FIELD:
        assert "Trường này là bắt buộc." in messages, messages


# Minutes may be recorded empty (the signed file comes later); grouping refuses an empty choice as invalid.
NOTHING_REQUIRED = {"meetings:minutes"}
NO_REQUIRED_FIELD = {"voters:group"}


def test_an_excel_file_over_the_size_limit_is_refused_and_nothing_imported(world, clerk, client, monkeypatch):
    from tests.voters.test_import_export import _row, _xlsx
    from voters import importing
    from voters.models import Petition

    upload = _xlsx([_row(f"Cử tri kiến nghị số {n} về hạ tầng giao thông nông thôn") for n in range(40)])
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", upload.size - 1)
    before = Petition.objects.count()
    client.force_login(clerk)

    response = client.post(reverse("voters:import"), {"file": upload})

    assert response.status_code == 200
    assert Petition.objects.count() == before
    report = response.context["report"]
    assert not report.ok and not report.created
    messages = [message for _row, _column, message in report.errors]
    assert all(vietnamese(message) for message in messages), messages
    assert messages[0] in response.content.decode()
