"""Forms of the petition pages. They validate input only; the services do the work."""

import datetime
import json
import uuid

from django import forms
from django.db.models import Case, Q, Value, When
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import AdministrativeUnit, Agency
from coordination.widgets import ChoiceLabelsMixin, DateInput, PlainSelect
from meetings.models import Meeting

from .models import (
    ANSWER_MAX,
    CONTENT_MAX,
    NOTE_MAX,
    CompetenceLevel,
    EvaluationResult,
    Field,
    Kind,
    Outcome,
    Petition,
    Source,
    meeting_date_errors,
    meeting_day,
)
from .suggestions import SUGGESTION_FIELDS, suggestion_split

DATE = DateInput()
MEETING_CHOICES = 300  # the picker lists a unit's latest past meetings; typing narrows them (static/js/choices.js)


def _counted(rows, limit):
    """A textarea with its limit and a visible counter (static/js/counter.js)."""
    return forms.Textarea(
        attrs={"rows": rows, "maxlength": limit, "data-counter": "1", "data-counter-label": _("characters")}
    )


def _meetings_for(agency):
    """Meetings petitions can be recorded from: the unit's meetings already held, newest first."""
    if agency is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(unit=agency.unit, starts_at__lt=_held_before()).order_by("-starts_at", "-id")


def _held_before():
    """Meetings starting before this instant (the end of today) are offered by the intake forms."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def meeting_takes_petitions_yet(meeting):
    """Whether the intake forms offer `meeting` yet: from the day it is held (as `_meetings_for`)."""
    return meeting.starts_at < _held_before()


def _clean_meeting_day(form, data):
    """Intake forms: an empty date received takes the meeting's day; a meeting's petitions cannot be received
    before it was held (the service's rule, shown here with the other errors)."""
    if not data.get("received_on") and "received_on" not in form.errors:
        if data.get("meeting"):
            data["received_on"] = meeting_day(data["meeting"])
        else:
            form.add_error("received_on", forms.Field.default_error_messages["required"])
    if data.get("meeting") and "received_on" not in form.errors:
        for name, message in meeting_date_errors(data["meeting"], data.get("received_on")).items():
            form.add_error(name, message)
    return data


def _meeting_picker(field, agency, selected=None):
    """Feed the meeting drop-down (id, "date — title — place") rows and each meeting's day, so that the page
    can fill in the date received and the type-ahead can search the date and the place too."""
    rows = list(_meetings_for(agency).values_list("pk", "starts_at", "title", "place")[:MEETING_CHOICES])
    choices, days = [("", field.empty_label)], {}
    for pk, starts_at, title, place in rows:
        day = timezone.localtime(starts_at).strftime("%d/%m/%Y")
        choices.append((pk, " — ".join(part for part in (day, title, place) if part)))
        days[str(pk)] = day
    if selected and str(selected).isdigit() and str(selected) not in days:
        meeting = _meetings_for(agency).filter(pk=selected).first()
        if meeting is not None:
            day = meeting_day(meeting).strftime("%d/%m/%Y")
            choices.append((meeting.pk, " — ".join(part for part in (day, meeting.title, meeting.place) if part)))
            days[str(meeting.pk)] = day
    field.widget.choices = choices
    field.widget.attrs.update(
        {
            "data-search": "1",
            "data-search-placeholder": _("Search a meeting: date, title or place"),
            "data-days": json.dumps(days),
        }
    )
    field.help_text = _("Meetings already held, newest first; type to search by date, title or place.")


def _communes_for(agency):
    if agency is None:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(Q(parent=agency.unit) | Q(pk=agency.unit_id)).order_by("level", "name")


def agencies_to_forward(petition):
    """Agencies a petition may be sent to: those of its unit, the units below it and the unit above."""
    unit = petition.unit
    condition = Q(unit=unit) | Q(unit__parent=unit)
    if unit.parent_id:
        condition |= Q(unit_id=unit.parent_id)
    return (
        Agency.objects.filter(condition, is_active=True)
        .exclude(pk=petition.originating_agency_id)
        .select_related("unit")
        .order_by("unit__level", "unit__name", "kind", "name")
    )


class VersionedForm(ChoiceLabelsMixin, forms.Form):
    """A form for a change to an existing petition: carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SuggestionFields(forms.Form):
    """What the suggestion (static/voters/suggest.js) offered when the clerk saved, as hidden fields: recorded
    with the petition (`services.suggestion_split`). The single form and each row of the batch intake carry them."""

    suggestion_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    suggested_field = forms.ChoiceField(choices=[("", ""), *Field.choices], widget=forms.HiddenInput, required=False)
    suggested_field_confidence = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=0, max_value=1)
    suggested_agency = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    suggested_agency_confidence = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=0, max_value=1)

    def pop_suggestion(self, data):
        """The suggestion's hidden fields taken out of `data`: a dict for `petition_create`, or None."""
        return suggestion_split(data)


class PetitionForm(ChoiceLabelsMixin, SuggestionFields):
    """One petition."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.MEETING)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False, widget=PlainSelect
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=DATE,
        required=False,
        help_text=_("Left empty, the day the meeting was held."),
    )
    commune = forms.ModelChoiceField(
        label=_("Constituency or commune"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    locality = forms.CharField(label=_("Locality"), max_length=255, required=False)
    voter_name = forms.CharField(label=_("Voter name(s)"), max_length=255, required=False)
    voter_address = forms.CharField(label=_("Voter address"), max_length=255, required=False)
    voter_phone = forms.CharField(label=_("Voter phone"), max_length=30, required=False)
    content = forms.CharField(
        label=_("Content"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(
            attrs={"rows": 5, "data-similar": "1", "data-counter": "1", "data-counter-label": _("characters")}
        ),
    )
    field = forms.ChoiceField(label=pgettext_lazy("petition", "Field"), choices=Field.choices, initial=Field.OTHER)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.PETITION)
    competence_level = forms.ChoiceField(
        label=_("Competence level"), choices=[("", "—"), *CompetenceLevel.choices], required=False
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_for(agency)
        self.fields["commune"].queryset = _communes_for(agency)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("received_on", timezone.localdate())
        selected = self.data.get("meeting") if self.is_bound else self.initial.get("meeting")
        _meeting_picker(self.fields["meeting"], agency, selected)

    def clean(self):
        return _clean_meeting_day(self, super().clean())


class BatchHeaderForm(ChoiceLabelsMixin, forms.Form):
    """What every row of a batch shares: the meeting or reception, and the day."""

    batch_key = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.MEETING)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False, widget=PlainSelect
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=DATE,
        required=False,
        help_text=_("Left empty, the day the meeting was held."),
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_for(agency)
        if not self.is_bound:
            self.initial.setdefault("batch_key", uuid.uuid4())
            self.initial.setdefault("received_on", timezone.localdate())
        selected = self.data.get(self.add_prefix("meeting")) if self.is_bound else self.initial.get("meeting")
        _meeting_picker(self.fields["meeting"], agency, selected)

    def clean(self):
        return _clean_meeting_day(self, super().clean())


class BatchRowForm(ChoiceLabelsMixin, SuggestionFields):
    """One line of the batch intake table."""

    voter_name = forms.CharField(label=_("Voter name(s)"), max_length=255, required=False)
    voter_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    locality = forms.CharField(label=_("Locality"), max_length=255, required=False)
    content = forms.CharField(
        label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 2, "maxlength": CONTENT_MAX})
    )
    field = forms.ChoiceField(label=pgettext_lazy("petition", "Field"), choices=Field.choices, initial=Field.OTHER)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.PETITION)
    # The row's own key, made by the browser (static/voters/intake-offline.js): the petition's idempotency key,
    # so a row sent twice (the form again, or the offline queue after a timeout) is stored once.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    # Hidden, set by the page's scripts: the row's key and what the suggestion offered for the row.
    KEPT_HIDDEN = ("client_key", *SUGGESTION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            if name in self.KEPT_HIDDEN:
                form_field.widget.attrs["data-col"] = name
                continue
            css = "form-select form-select-sm" if name in ("field", "kind") else "form-control form-control-sm"
            form_field.widget.attrs["class"] = css
            form_field.widget.attrs["data-col"] = name
            if name not in ("field", "kind"):
                form_field.widget.attrs["placeholder"] = form_field.label

    def has_changed(self):
        # A key alone (the browser gives one to a row as soon as it is typed in) is not a row to save.
        return any(name not in self.KEPT_HIDDEN for name in self.changed_data)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and name not in self.KEPT_HIDDEN:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class IntakeRowForm(BatchRowForm):
    """One row of the batch intake sent alone by the offline queue, with the header it was typed under."""

    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.MEETING)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    received_on = forms.DateField(label=_("Date received"), required=False)
    client_key = forms.UUIDField(label=_("Row key"))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_for(agency)
        self.fields["meeting"].error_messages["invalid_choice"] = _(
            "This meeting is no longer open for petitions (deleted, moved or of another unit)."
        )

    def clean(self):
        return _clean_meeting_day(self, super().clean())


BatchRowFormSet = formset_factory(
    BatchRowForm, extra=4, min_num=1, validate_min=True, max_num=300, validate_max=True, absolute_max=300
)


class ClassifyForm(VersionedForm):
    field = forms.ChoiceField(label=pgettext_lazy("petition", "Field"), choices=Field.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    competence_level = forms.ChoiceField(label=_("Competence level"), choices=CompetenceLevel.choices)


class ForwardForm(VersionedForm):
    agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dispatch_number = forms.CharField(label=_("Dispatch number"), max_length=100, required=False)
    dispatch_date = forms.DateField(label=_("Dispatch date"), widget=DATE)
    due_date = forms.DateField(
        label=pgettext_lazy("petition", "Due date"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to compute it from the deadline rule (working days)."),
    )

    def __init__(self, *args, petition, may_set_due_date, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_to_forward(petition)
        self.fields["agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        if not may_set_due_date:
            del self.fields["due_date"]
        if not self.is_bound:
            self.initial.setdefault("dispatch_date", timezone.localdate())
            self.initial.setdefault("version", petition.version)

    def clean(self):
        data = super().clean()
        dispatch_date, due_date = data.get("dispatch_date"), data.get("due_date")
        if dispatch_date and due_date and due_date < dispatch_date:
            self.add_error("due_date", _("The due date cannot be before the dispatch date."))
        return data


class BulkForwardForm(ChoiceLabelsMixin, forms.Form):
    """One dispatch forwarding several petitions to the same lead agency."""

    ids = forms.CharField(widget=forms.HiddenInput)
    agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dispatch_number = forms.CharField(label=_("Dispatch number"), max_length=100, required=False)
    dispatch_date = forms.DateField(label=_("Dispatch date"), widget=DATE)
    due_date = forms.DateField(
        label=pgettext_lazy("petition", "Due date"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to compute it from the deadline rule (working days)."),
    )

    def __init__(self, *args, petition, may_set_due_date, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_to_forward(petition)
        self.fields["agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        if not may_set_due_date:
            del self.fields["due_date"]
        if not self.is_bound:
            self.initial.setdefault("dispatch_date", timezone.localdate())


class ReturnForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_MAX,
        widget=_counted(4, NOTE_MAX),
        help_text=_("Why the petition is not within your agency's authority, and who is competent if known."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(VersionedForm):
    text = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX, widget=_counted(8, ANSWER_MAX))
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    document_date = forms.DateField(label=_("Document date"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    plan = forms.CharField(
        label=_("Plan"),
        max_length=NOTE_MAX,
        widget=_counted(3, NOTE_MAX),
        required=False,
        help_text=_("Required when the outcome is 'in progress, with a plan'."),
    )
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, DOCX, JPEG or PNG files.")
    )

    def __init__(self, *args, petition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and petition is not None:
            self.initial.setdefault("document_date", timezone.localdate())
            self.initial.setdefault("version", petition.version)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.IN_PROGRESS:
            if not (data.get("plan") or "").strip():
                self.add_error("plan", _("Describe the plan."))
            if not data.get("target_date"):
                self.add_error("target_date", _("Give the target date of the plan."))
        return data


class EvaluateForm(VersionedForm):
    result = forms.ChoiceField(label=_("Result"), choices=EvaluationResult.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=NOTE_MAX,
        widget=_counted(4, NOTE_MAX),
        required=False,
        help_text=_("Required when the answer is unsatisfactory."),
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == EvaluationResult.UNSATISFACTORY and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the answer is unsatisfactory."))
        return data


class GroupForm(ChoiceLabelsMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Suggested duplicates"),
        queryset=Petition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    references = forms.CharField(
        label=_("Other petitions (references)"),
        required=False,
        help_text=_("Petition references separated by commas, e.g. KN-000123, KN-000456."),
    )

    def __init__(self, *args, petition, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        order = Case(*[When(pk=row.pk, then=Value(index)) for index, row in enumerate(suggestions)], default=Value(0))
        self.fields["members"].queryset = (
            Petition.objects.filter(pk__in=[row.pk for row in suggestions]).annotate(rank=order).order_by("rank")
        )
        labels = {row.pk: f"{row.reference} — {Truncator(row.content).chars(150)}" for row in suggestions}
        self.fields["members"].label_from_instance = lambda obj: labels.get(obj.pk, str(obj))

    def clean_references(self):
        text = self.cleaned_data.get("references") or ""
        ids = []
        for part in text.replace(";", ",").split(","):
            part = part.strip().upper().removeprefix("KN-")
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(_("“%(value)s” is not a petition reference.") % {"value": part})
            ids.append(int(part))
        found = list(Petition.objects.filter(pk__in=ids, unit_id=self.petition.unit_id))
        missing = set(ids) - {row.pk for row in found}
        if missing:
            raise forms.ValidationError(
                _("No petition of this unit has the reference(s): %(refs)s")
                % {"refs": ", ".join(Petition.reference_for(pk) for pk in sorted(missing))}
            )
        return found

    def clean(self):
        data = super().clean()
        members = list(data.get("members") or []) + list(data.get("references") or [])
        if not members and not self.errors:
            raise forms.ValidationError(_("Choose at least one duplicate petition."))
        data["all_members"] = members
        return data


class ImportForm(ChoiceLabelsMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
