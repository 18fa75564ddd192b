"""`|filter_field` writes the same markup as crispy's `|as_crispy_field` for the filter bars' fields, and
hands anything else (errors, required, help text) to crispy."""

import re

import pytest
from django import forms
from django.template import Context, Template

from charters.forms import TaskFilterForm
from charters.selectors import agencies_for_filter
from coordination.widgets import PlainSelect
from meetings.forms import MeetingFilterForm

pytestmark = pytest.mark.django_db


def _normalise(html):
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def _both(bound_field):
    context = Context({"field": bound_field})
    fast = Template("{% load ui %}{{ field|filter_field }}").render(context)
    crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(context)
    return _normalise(fast), _normalise(crispy)


def _forms(user):
    data = {"kind": "council_session", "minutes_missing": "on", "date_from": "2026-01-01"}
    task_data = {"status": "open", "overdue": "on", "year": "2026"}
    years = [2027, 2026, 2025]
    return [
        MeetingFilterForm(None, user=user),
        MeetingFilterForm(data, user=user),
        TaskFilterForm(None, agencies=agencies_for_filter(user), years=years),
        TaskFilterForm(task_data, agencies=agencies_for_filter(user), years=years),
    ]


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_filter_bars_match_crispy(request, role, agencies, reference_data):
    user = request.getfixturevalue(role)
    for form in _forms(user):
        form.is_valid()
        for bound_field in form.visible_fields():
            fast, crispy = _both(bound_field)
            assert fast == crispy, bound_field.name


class Sample(forms.Form):
    chosen = forms.ChoiceField(choices=[("", "Tất cả"), ("a", "<A & B>")], required=False, widget=PlainSelect)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "class": "extra"}))
    needed = forms.CharField(label="Bắt buộc")
    helped = forms.CharField(required=False, help_text="Gợi ý")
    flag = forms.BooleanField(label="Chỉ quá hạn", required=False)


@pytest.mark.parametrize(
    "data", [None, {"chosen": "a", "day": "2026-02-03", "flag": "on", "needed": "x"}, {"day": "x"}]
)
def test_sample_fields_match_crispy_including_the_fallbacks(data):
    form = Sample(data)
    form.is_valid() if data is not None else None
    for bound_field in form.visible_fields():
        fast, crispy = _both(bound_field)
        assert fast == crispy, bound_field.name
