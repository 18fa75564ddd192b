"""Forms of the charter pages: the charter with its parties and articles, duties, tasks and filters."""

import uuid

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.choices import Choices, typeahead_field
from coordination.models import CoordinationArea, DeadlineRule, Term
from coordination.widgets import ChoiceLabelsMixin, DateInput, PlainSelect

from .models import Cadence, CharterStatus, Obligation, TaskOrigin, TaskStatus
from .services import MAX_PARTIES


def _date_widget():
    return DateInput()


def new_token():
    return uuid.uuid4().hex


def _share_choices(form, names, cache):
    """Rows of a formset offer the same agencies and areas: read each list once, not once per row.

    Validation still goes through the field's queryset; only the rendering uses the shared list.
    """
    if cache is None:
        return
    for name in names:
        if name not in cache:
            cache[name] = list(form.fields[name].choices)
        form.fields[name].choices = cache[name]


def _agency_choices(form, names, agencies, url, cache):
    """The agency drop-downs `names` of a form (a formset's row): past TYPEAHEAD_OVER agencies (a new charter or
    task of the site administrator: any in the country) type-ahead fields over `url`; else one shared list."""
    if url is None:
        _share_choices(form, names, cache)
        return
    for name in names:
        typeahead_field(form, name, Choices(agencies.select_related(None)), url, cache=cache)


class CharterRecordForm(ChoiceLabelsMixin, forms.Form):
    """What offices record around a charter besides its text: the signing conference, the witnesses, the areas it
    lists and how it was disseminated. Part of the charter form, and alone for a charter already signed."""

    conference_on = forms.DateField(label=_("Signing conference date"), required=False, widget=_date_widget())
    conference_place = forms.CharField(label=_("Signing conference place"), max_length=300, required=False)
    conference_chair = forms.CharField(
        label=_("Chaired by"),
        max_length=500,
        required=False,
        help_text=_("Name and title of whoever chaired the conference."),
    )
    witnesses = forms.CharField(
        label=_("Witnesses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People who witnessed the signing without signing, one per line: name, then a comma and the title, "
            "e.g. Đỗ Trọng Hưng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh."
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Coordination areas"),
        queryset=CoordinationArea.objects.filter(is_active=True, in_catalogue=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_areas = forms.CharField(
        label=_("Areas of this charter's own"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Areas the charter names that the catalogue does not hold, one per line."),
    )
    disseminated_on = forms.DateField(label=_("Disseminated on"), required=False, widget=_date_widget())
    dissemination = forms.CharField(
        label=_("Dissemination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the charter was made known: conference, document sent to the units, publication…"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    RECORD_FIELDS = ("conference_on", "conference_place", "conference_chair", "disseminated_on", "dissemination")

    def clean_witnesses(self):
        rows = []
        for line in self.cleaned_data.get("witnesses", "").splitlines():
            name, _comma, position = line.strip().partition(",")
            if not name.strip():
                continue
            if len(name.strip()) > 200 or len(position.strip()) > 500:
                raise forms.ValidationError(_("A witness's name or title is too long."))
            rows.append({"name": name.strip(), "position": position.strip()})
        return rows

    def clean_own_areas(self):
        names = [line.strip() for line in self.cleaned_data.get("own_areas", "").splitlines() if line.strip()]
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError(_("An area's name has at most 200 characters."))
        return names

    def record_kwargs(self):
        data = self.cleaned_data
        return {
            **{
                name: data.get(name) if name.endswith("_on") else (data.get(name) or "").strip()
                for name in self.RECORD_FIELDS
            },
            "witnesses": data.get("witnesses") or [],
            "areas": list(data.get("areas") or []),
            "own_areas": data.get("own_areas") or [],
        }

    @staticmethod
    def initial_for(charter):
        return {
            **{name: getattr(charter, name) for name in CharterRecordForm.RECORD_FIELDS},
            "witnesses": "\n".join(
                f"{w.name}, {w.position}" if w.position else w.name for w in charter.witnesses.all()
            ),
            "areas": [area for area in charter.areas.all() if area.in_catalogue],
            "own_areas": "\n".join(area.name for area in charter.areas.all() if not area.in_catalogue),
            "version": charter.version,
        }


class CharterForm(CharterRecordForm):
    """The charter's heading as printed on the paper document, with its record (CharterRecordForm)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("As printed on the charter, e.g. 03/QCPH-HĐND-UBND-UBMTTQ."),
    )
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all())
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=_date_widget())
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty if the charter takes effect on the day it is signed."),
    )
    supersedes = forms.ModelChoiceField(label=_("Supersedes"), queryset=None, required=False)
    idempotency_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, charters, show_unit, choices_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["supersedes"].queryset = charters
        if show_unit:
            self.fields["unit"].required = True
            if choices_url is not None:  # the site administrator: any unit of the country
                typeahead_field(self, "unit", Choices(units.order_by("name")), choices_url)
        else:
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        signed_on, effective_from = data.get("signed_on"), data.get("effective_from")
        conference_on = data.get("conference_on")
        if signed_on and conference_on and conference_on > signed_on:
            self.add_error("conference_on", _("The signing conference cannot be after the signing date."))
        if signed_on and effective_from and effective_from < signed_on:
            self.add_error("effective_from", _("The charter cannot take effect before it is signed."))
        return data


class PartyForm(ChoiceLabelsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args, agencies, choices_cache=None, choices_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        _agency_choices(self, ["agency"], agencies, choices_url, choices_cache)


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data.get("agency")]
        if not 2 <= len(rows) <= MAX_PARTIES:
            raise forms.ValidationError(_("A charter is signed by 2 to 4 agencies."))
        agencies = [row["agency"].pk for row in rows]
        if len(set(agencies)) != len(agencies):
            raise forms.ValidationError(_("Each agency signs a charter once."))
        units = {row["agency"].unit_id for row in rows}
        if len(units) > 1:
            raise forms.ValidationError(_("All parties must be agencies of the same unit."))

    def rows(self):
        return [
            {
                "agency": form.cleaned_data["agency"],
                "signer_name": form.cleaned_data.get("signer_name", "").strip(),
                "signer_position": form.cleaned_data.get("signer_position", "").strip(),
            }
            for form in self.forms
            if form.cleaned_data.get("agency")
        ]


PartyFormSet = formset_factory(PartyForm, formset=BasePartyFormSet, extra=0, max_num=MAX_PARTIES, absolute_max=8)


class ArticleForm(ChoiceLabelsMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(label=_("Article"), min_value=1, max_value=999, required=False)
    title = forms.CharField(label=_("Article title"), max_length=500, required=False)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ModelChoiceField(label=_("Coordination area"), queryset=None, required=False)
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=None, required=False)
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, agencies, choices_cache=None, charter=None, choices_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue and the areas this charter added of its own.
        own = Q(in_catalogue=False, listing_charters=charter) if charter is not None else Q(pk__in=[])
        self.fields["area"].queryset = CoordinationArea.objects.filter(Q(in_catalogue=True) | own, is_active=True)
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        _share_choices(self, ["area"], choices_cache)
        _agency_choices(self, ["lead_agency", "supporting_agencies"], agencies, choices_url, choices_cache)

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        # A row with only its pre-filled number is an unused row, not an error.
        filled = data.get("title") or data.get("text")
        if filled and not data.get("title"):
            self.add_error("title", _("Give the article a title."))
        if filled and not data.get("number"):
            self.add_error("number", _("Give the article its number."))
        return data


class BaseArticleFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        numbers = [row["number"] for row in self.rows()]
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("Two articles have the same number."))

    def rows(self):
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("title"):
                continue
            rows.append(
                {
                    "id": data.get("id"),
                    "number": data["number"],
                    "title": data["title"].strip(),
                    "text": data.get("text", "").strip(),
                    "area": data.get("area"),
                    "lead_agency": data.get("lead_agency"),
                    "supporting_agencies": list(data.get("supporting_agencies") or ()),
                }
            )
        return rows


ArticleFormSet = formset_factory(ArticleForm, formset=BaseArticleFormSet, extra=0, max_num=200, absolute_max=200)


class ObligationForm(ChoiceLabelsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Obligation
        fields = ["description", "responsible_agency", "cadence", "day_of_period", "month", "deadline_rule"]
        labels = {"description": _("Duty")}
        help_texts = {
            "day_of_period": _("Day of the month when due (for quarterly duties: in the month given below)."),
            "month": _("Yearly or once: the month due. Quarterly: the month within the quarter (1–3, default 3)."),
            "deadline_rule": _(
                "For “each council session”: the due date is computed from the session's opening or closing "
                "by this rule; without a rule, the task is due on the opening day."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies
        self.fields["deadline_rule"].queryset = DeadlineRule.objects.filter(unit__isnull=True).order_by("code")
        self.fields["deadline_rule"].required = False
        self.fields["cadence"].choices = Cadence.choices


class ObligationEditForm(ObligationForm):
    class Meta(ObligationForm.Meta):
        fields = [*ObligationForm.Meta.fields, "is_active"]


class StatusActionForm(ChoiceLabelsMixin, forms.Form):
    on_date = forms.DateField(label=_("Date"), required=False, widget=_date_widget())


class ScanUploadForm(ChoiceLabelsMixin, forms.Form):
    scan = forms.FileField(label=_("Signed scan (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))


class GenerateTasksForm(ChoiceLabelsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class CharterFilterForm(ChoiceLabelsMixin, forms.Form):
    filtering = True
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All units"))
    term = forms.ModelChoiceField(
        label=_("Term"), queryset=Term.objects.all(), required=False, empty_label=_("All terms")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CharterStatus.choices]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


DUE_WITHIN_CHOICES = [
    ("", _("Any due date")),
    ("7", _("Due within 7 days")),
    ("14", _("Due within 14 days")),
    ("30", _("Due within 30 days")),
]


class TaskFilterForm(ChoiceLabelsMixin, forms.Form):
    filtering = True
    # PlainSelect: a province lists hundreds of agencies (see coordination/widgets.py).
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("All agencies"), widget=PlainSelect
    )
    area = forms.ModelChoiceField(
        label=_("Coordination area"),
        queryset=CoordinationArea.objects.filter(is_active=True),
        required=False,
        empty_label=_("All areas"),
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *TaskStatus.choices],
        widget=PlainSelect,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_within = forms.TypedChoiceField(
        label=_("Due"), required=False, choices=DUE_WITHIN_CHOICES, coerce=int, empty_value=None, widget=PlainSelect
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    origin = forms.ChoiceField(
        label=_("Origin"), required=False, choices=[("", _("All origins")), *TaskOrigin.choices], widget=PlainSelect
    )
    charter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Drill-down from the leaders' dashboard (kept as hidden fields so re-filtering keeps them).
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    responsible_agency = forms.IntegerField(widget=forms.HiddenInput, required=False)
    article = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        choices=[("", "")] + [(name, name) for name in ("active", "done_on_time", "done_late", "pending", "overdue")],
    )
    due_from = forms.DateField(widget=forms.HiddenInput, required=False)
    due_to = forms.DateField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies, years, **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset validates a submitted agency; the options are (id, name) rows, not ~300 model instances,
        # and past TYPEAHEAD_OVER (a big province, the whole country) a type-ahead field (`charters:choices`).
        self.fields["agency"].queryset = agencies
        url = reverse("charters:choices", args=["agency"])
        typeahead_field(self, "agency", Choices(agencies.select_related(None)), url, empty=_("All agencies"))
        self.fields["year"].choices = [("", _("All years"))] + [(str(year), str(year)) for year in years]


class TaskForm(ChoiceLabelsMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("Due date"), widget=_date_widget())
    area = forms.ModelChoiceField(
        label=_("Coordination area"), queryset=CoordinationArea.objects.filter(is_active=True), required=False
    )
    article = forms.ModelChoiceField(label=_("Charter article"), queryset=None, required=False)
    origin = forms.ChoiceField(
        label=_("Origin"),
        choices=[(TaskOrigin.PLANNED, TaskOrigin.PLANNED.label), (TaskOrigin.ARISING, TaskOrigin.ARISING.label)],
        initial=TaskOrigin.ARISING,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies, articles, editing=False, choices_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        if choices_url is not None:  # a new task: the member's unit's agencies, the site administrator's: all
            _agency_choices(self, ["responsible_agency", "supporting_agencies"], agencies, choices_url, None)
        self.fields["article"].queryset = articles
        self.fields["article"].label_from_instance = lambda a: f"{a.charter.number} — {a}"
        if editing:
            del self.fields["origin"]


class TaskCompleteForm(ChoiceLabelsMixin, forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=_date_widget())
    evidence_note = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done: document number and date, meeting held, report sent…"),
    )
    evidence_link = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(
        label=_("Evidence file (PDF)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not (data.get("evidence_note") or data.get("evidence_link") or data.get("evidence_file")):
            raise forms.ValidationError(_("Give the evidence of completion: a note, a link or a file."))
        return data


class TaskCancelForm(ChoiceLabelsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WorkProgrammeForm(ChoiceLabelsMixin, forms.Form):
    """The work programme's heading as the document prints it; the unit is the issuing agency's."""

    number = forms.CharField(label=_("Number and symbol"), max_length=100, help_text=_("E.g. 01/CTr-HĐND."))
    issued_on = forms.DateField(label=_("Date of issue"), widget=_date_widget())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    issuer = forms.ModelChoiceField(label=_("Issuing agency"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=500)
    theme = forms.CharField(label=_("Theme of the year"), max_length=500, required=False)
    charter = forms.ModelChoiceField(label=_("Charter"), queryset=None, required=False)
    idempotency_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies, charters, choices_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = agencies
        if choices_url is not None:
            typeahead_field(self, "issuer", Choices(agencies.select_related(None)), choices_url)
        self.fields["charter"].queryset = charters
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", new_token())


class WorkProgrammeImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
