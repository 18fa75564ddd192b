"""Optimistic locking, written once: the conditional versioned UPDATE and the bridge from a service to a form."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from coordination.forms import call_service_into_form
from coordination.locking import ConflictError, versioned_update
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory


@pytest.fixture
def meeting(agencies):
    return MeetingFactory(host_agency=agencies.hdnd, title="Giao ban quý I")


def test_a_write_goes_through_once_per_version(meeting):
    stale = Meeting.objects.get(pk=meeting.pk)
    before = meeting.updated_at
    meeting.title = "Giao ban quý II"
    versioned_update(meeting, expected_version=1, fields=["title"])
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.version, stored.version, stored.title) == (2, 2, "Giao ban quý II")
    assert stored.updated_at > before  # the auto_now field is written with the change

    stale.title = "Giao ban quý III"
    with pytest.raises(ConflictError):
        versioned_update(stale, expected_version=1, fields=["title"])
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.version, stored.title) == (2, "Giao ban quý II")
    assert stale.version == 1


@pytest.mark.parametrize("version", [None, "", "abc", 7])
def test_a_missing_garbled_or_stale_version_is_a_conflict(meeting, version):
    with pytest.raises(ConflictError):
        versioned_update(meeting, expected_version=version)
    assert Meeting.objects.get(pk=meeting.pk).version == 1


def test_an_apps_conflict_class_is_raised_and_is_the_cores():
    from meetings.services import MeetingConflict
    from voters.services import PetitionConflict

    assert issubclass(MeetingConflict, ConflictError)
    assert issubclass(PetitionConflict, ConflictError)
    assert str(PetitionConflict()) == str(PetitionConflict.message) != str(ConflictError.message)


class TitleForm(forms.Form):
    title = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def _form():
    form = TitleForm(QueryDict("title=Ti%C3%AAu+%C4%91%E1%BB%81+m%E1%BB%9Bi&version=1"))
    assert form.is_valid()
    return form


def test_a_conflict_keeps_the_input_and_moves_the_version_on(meeting):
    meeting.title = "Người khác đã lưu"
    versioned_update(meeting, expected_version=1, fields=["title"])

    def save(*, meeting, version, title):
        meeting.title = title
        versioned_update(meeting, expected_version=version, fields=["title"])

    form = _form()
    stale = Meeting.objects.get(pk=meeting.pk)
    stale.version = 1
    ok = call_service_into_form(
        form, save, conflict_instance=stale, meeting=stale, version=form.cleaned_data["version"], title="x"
    )
    assert ok is False
    assert form.non_field_errors() == [str(ConflictError.message)]
    assert form.data["title"] == "Tiêu đề mới"  # what the user typed is re-rendered
    assert form.data["version"] == 2  # the next, deliberate, save compares with the stored version
    assert Meeting.objects.get(pk=meeting.pk).title == "Người khác đã lưu"


def test_a_validation_error_lands_on_its_field_or_on_top():
    def refuse(**kwargs):
        raise ValidationError({"title": "Tiêu đề đã có.", "charter": "Quy chế không thuộc đơn vị."})

    form = _form()
    assert call_service_into_form(form, refuse) is False
    assert form.errors["title"] == ["Tiêu đề đã có."]
    assert form.non_field_errors() == ["Quy chế không thuộc đơn vị."]

    form = _form()
    assert call_service_into_form(form, lambda: (_ for _ in ()).throw(ValidationError("Không hợp lệ."))) is False
    assert form.non_field_errors() == ["Không hợp lệ."]


def test_a_call_that_goes_through_returns_true():
    seen = {}
    form = _form()
    assert call_service_into_form(form, lambda **kwargs: seen.update(kwargs), title="x") is True
    assert seen == {"title": "x"} and form.errors == {}
