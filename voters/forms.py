"""Forms of the petition pages. They validate input only; the services do the work."""

import uuid

from django import forms
from django.db.models import Case, Q, Value, When
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import AdministrativeUnit, Agency
from meetings.models import Meeting

from .models import CompetenceLevel, EvaluationResult, Field, Kind, Outcome, Petition, Source

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _meetings_for(agency):
    if agency is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(unit=agency.unit).order_by("-starts_at", "-id")


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


class VersionedForm(forms.Form):
    """A form for a change to an existing petition: carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PetitionForm(forms.Form):
    """One petition."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.MEETING)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    received_on = forms.DateField(label=_("Date received"), widget=DATE)
    commune = forms.ModelChoiceField(
        label=_("Constituency or commune"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    locality = forms.CharField(label=_("Locality"), max_length=255, required=False)
    voter_name = forms.CharField(label=_("Voter name(s)"), max_length=255, required=False)
    voter_address = forms.CharField(label=_("Voter address"), max_length=255, required=False)
    voter_phone = forms.CharField(label=_("Voter phone"), max_length=30, required=False)
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 5, "data-similar": "1"}),
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


class BatchHeaderForm(forms.Form):
    """What every row of a batch shares: the meeting or reception, and the day."""

    batch_key = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.MEETING)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    received_on = forms.DateField(label=_("Date received"), widget=DATE)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_for(agency)
        if not self.is_bound:
            self.initial.setdefault("batch_key", uuid.uuid4())
            self.initial.setdefault("received_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting and not self.data.get(self.add_prefix("received_on")):
            data["received_on"] = timezone.localtime(meeting.starts_at).date()
        return data


class BatchRowForm(forms.Form):
    """One line of the batch intake table."""

    voter_name = forms.CharField(label=_("Voter name(s)"), max_length=255, required=False)
    voter_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    locality = forms.CharField(label=_("Locality"), max_length=255, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=pgettext_lazy("petition", "Field"), choices=Field.choices, initial=Field.OTHER)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.PETITION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            css = "form-select form-select-sm" if name in ("field", "kind") else "form-control form-control-sm"
            form_field.widget.attrs["class"] = css
            form_field.widget.attrs["data-col"] = name
            if name not in ("field", "kind"):
                form_field.widget.attrs["placeholder"] = form_field.label

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


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


class BulkForwardForm(forms.Form):
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
        widget=forms.Textarea(attrs={"rows": 4}),
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
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    document_date = forms.DateField(label=_("Document date"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 3}),
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
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the answer is unsatisfactory."),
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == EvaluationResult.UNSATISFACTORY and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the answer is unsatisfactory."))
        return data


class GroupForm(forms.Form):
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


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
