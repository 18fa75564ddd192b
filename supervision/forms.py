"""Forms of the supervision pages. Dates are typed dd/mm/yyyy (coordination.widgets.DateInput)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.choices import Choices, typeahead_field
from coordination.models import Agency, AgencyKind
from coordination.permissions import is_site_admin, pickable_agencies
from coordination.widgets import ChoiceLabelsMixin, DateInput, DateTimeInput, PlainSelect

from . import permissions
from .models import ProgrammeStatus, SupervisionProgramme

DATE_WIDGET = DateInput()
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


def _helper(form):
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    return form


def unit_and_commune_agencies(unit):
    """Bodies a programme of `unit` may supervise or hold responsible: the unit's and its communes'."""
    return (
        Agency.objects.filter(is_active=True)
        .filter(Q(unit=unit) | Q(unit__parent=unit))
        .select_related("unit")
        .order_by("unit__level", "unit__name", "kind", "name")
    )


class ProgrammeFilterForm(ChoiceLabelsMixin, forms.Form):
    filtering = True
    # The filter bar's columns (templates/partials/filter_bar.html).
    filter_columns = {
        "q": "col-12 col-md-4",
        "agency": "col-12 col-md-3",
        "status": "col-6 col-md-2",
        "year": "col-6 col-md-1",
    }
    q = forms.CharField(label=_("Subject"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ProgrammeStatus.choices],
        widget=PlainSelect,
    )
    agency = forms.ModelChoiceField(label=_("Supervising body"), required=False, queryset=None, widget=PlainSelect)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = pickable_agencies(user)
        self.fields["agency"].queryset = agencies
        # Past TYPEAHEAD_OVER (the whole country's agencies) a type-ahead field over `supervision:choices`.
        url = reverse("supervision:choices", args=["agency"])
        typeahead_field(self, "agency", choices_for(user)["agency"], url, empty=_("All supervising bodies"))


def planning_agencies(user):
    """The bodies `user` may plan a programme for (the site administrator: any, without a check per agency)."""
    candidates = pickable_agencies(user, own_unit=True)
    if is_site_admin(user):
        return candidates
    return candidates.filter(pk__in=[agency.pk for agency in candidates if permissions.can_plan_for(user, agency)])


def criticism_agencies(user):
    """The Fatherland Front bodies whose social criticism `user` may record."""
    agencies = pickable_agencies(user, own_unit=True, kinds=[AgencyKind.MTTQ])
    if is_site_admin(user):
        return agencies
    return agencies.filter(pk__in=[agency.pk for agency in agencies if permissions.can_record_criticism(user, agency)])


def choices_for(user):
    """What the supervision pages' drop-downs offer `user`, by the name `supervision:choices` answers for: the
    programme list's body filter, a new programme's supervising body, a new social criticism's Front body."""
    return {
        "agency": Choices(pickable_agencies(user).select_related(None)),
        "supervising": Choices(planning_agencies(user).select_related(None)),
        "front": Choices(criticism_agencies(user).select_related(None)),
    }


def supervised_choices(unit):
    """The bodies a programme of `unit` supervises or holds responsible (`unit_and_commune_agencies`)."""
    return Choices(unit_and_commune_agencies(unit).select_related(None))


def supervised_url(unit):
    return reverse("supervision:choices", args=["supervised"]) + f"?unit={unit.pk}"


class ProgrammeForm(ChoiceLabelsMixin, forms.ModelForm):
    class Meta:
        model = SupervisionProgramme
        fields = [
            "supervising_agency",
            "subject",
            "members",
            "supervised_agencies",
            "period_start",
            "period_end",
            "plan_number",
            "plan_date",
            "plan",
            "status",
            "findings",
        ]
        widgets = {
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "plan_date": DATE_WIDGET,
            "members": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 4}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "supervised_agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        if self.instance.pk:
            # The supervising body (and so the unit) of a programme stays; the rest is edited.
            del self.fields["supervising_agency"]
            unit = self.instance.unit
        else:
            self.fields["findings"].widget = forms.HiddenInput()
            self.fields["supervising_agency"].queryset = planning_agencies(user)
            unit = None
            chosen = self.data.get("supervising_agency") if self.is_bound else None
            if chosen and str(chosen).isdigit() and len(str(chosen)) <= 18:
                agency = self.fields["supervising_agency"].queryset.filter(pk=chosen).first()
                unit = agency.unit if agency else None
            if unit is None:
                first = self.fields["supervising_agency"].queryset.first()
                unit = first.unit if first else None
            # Past TYPEAHEAD_OVER (the site administrator: any agency of the country) a type-ahead field.
            url = reverse("supervision:choices", args=["supervising"])
            typeahead_field(self, "supervising_agency", choices_for(user)["supervising"], url)
        self.fields["supervised_agencies"].queryset = (
            unit_and_commune_agencies(unit) if unit is not None else Agency.objects.none()
        )
        self.fields["supervised_agencies"].label_from_instance = lambda agency: agency.name
        if unit is not None:  # a province and its communes: hundreds of bodies
            typeahead_field(self, "supervised_agencies", supervised_choices(unit), supervised_url(unit))

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("supervising_agency", None)
        data.pop("supervised_agencies", None)
        if not self.instance.pk:
            data.pop("findings", None)
        return data


class ReportRequestForm(ChoiceLabelsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Supervised body"), queryset=None, widget=PlainSelect)
    content = forms.CharField(label=_("Report requested"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("Request document number"), required=False, max_length=100)
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE_WIDGET)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        self.fields["agency"].queryset = unit_and_commune_agencies(programme.unit)
        choices, url = supervised_choices(programme.unit), supervised_url(programme.unit)
        typeahead_field(self, "agency", choices, url, empty=_("— Choose the supervised body —"))


class ReportReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    received_document = forms.CharField(label=_("Report document number"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)


class VisitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(attrs={"class": "form-control"}), input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)


class RecommendationForm(ChoiceLabelsMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_agency = forms.ModelChoiceField(label=_("Responsible body"), queryset=None, widget=PlainSelect)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)
        self.fields["responsible_agency"].queryset = unit_and_commune_agencies(programme.unit)
        choices, url = supervised_choices(programme.unit), supervised_url(programme.unit)
        typeahead_field(self, "responsible_agency", choices, url, empty=_("— Choose the responsible body —"))


class RecommendationDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET)
    result = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _helper(self)


class CriticismForm(ChoiceLabelsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Fatherland Front body"), queryset=None, widget=PlainSelect)
    subject = forms.CharField(label=_("Document or subject criticised"), max_length=500)
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "agency": instance.agency_id,
                    "subject": instance.subject,
                    "held_on": instance.held_on,
                    "document_number": instance.document_number,
                    "conclusion": instance.conclusion,
                },
            )
        super().__init__(*args, **kwargs)
        _helper(self)
        if instance is not None:
            del self.fields["agency"]
            return
        self.fields["agency"].queryset = criticism_agencies(user)
        url = reverse("supervision:choices", args=["front"])
        empty = _("— Choose the Fatherland Front body —")
        typeahead_field(self, "agency", choices_for(user)["front"], url, empty=empty)
