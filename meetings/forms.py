"""Forms of the meetings pages, laid out the way a secretary fills in a meeting and its minutes."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from charters.models import Article, Charter
from coordination.choices import Choices, typeahead_field
from coordination.models import AdministrativeUnit, CoordinationArea
from coordination.permissions import (
    InUnits,
    agency_of,
    filter_by_unit,
    is_site_admin,
    pickable_agencies,
    visible_unit_ids,
)
from coordination.query import date_bounds
from coordination.templatetags.ui import vn_date
from coordination.units import unit_name_sort_key
from coordination.widgets import ChoiceLabelsMixin, DateInput, DateTimeInput, PlainSelect

from .models import (
    SUBKINDS_BY_KIND,
    VOTER_CONTACT_KINDS,
    AttendanceStatus,
    DocumentKind,
    Meeting,
    MeetingKind,
    MeetingSubkind,
)
from .services import minutes_file_validate, participant_unit_ids

DATE_WIDGET = DateInput()
DATETIME_WIDGET = DateTimeInput()


def _no_form_tag(form):
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    return form


class MeetingFilterForm(ChoiceLabelsMixin, forms.Form):
    filtering = True
    # The filter bar's columns (templates/partials/filter_bar.html).
    filter_columns = {
        "kind": "col-12 col-md-4 col-lg-3",
        "unit": "col-12 col-md-4 col-lg-3",
        "agency": "col-12 col-md-4 col-lg-3",
        "charter": "col-12 col-md-4 col-lg-3",
        "date_from": "col-6 col-md-4 col-lg-2",
        "date_to": "col-6 col-md-4 col-lg-2",
        "minutes_missing": "col-12 col-md-4 col-lg-3 pb-md-2",
    }
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *MeetingKind.choices], widget=PlainSelect
    )
    # PlainSelect: a province lists hundreds of agencies and communes (see coordination/widgets.py).
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=AdministrativeUnit.objects.none(), widget=PlainSelect
    )
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=None, widget=PlainSelect)
    # Bounded: the list steps a day past date_to (9999-12-31 has no next day).
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET, validators=date_bounds())
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET, validators=date_bounds())
    charter = forms.ModelChoiceField(label=_("Charter"), required=False, queryset=None, widget=PlainSelect)
    minutes_missing = forms.BooleanField(label=_("Minutes missing"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any visible unit is accepted (links from the dashboard may name a commune without meetings);
        # the drop-down offers only the units that have meetings, plus the one chosen. Past TYPEAHEAD_OVER
        # (a big province's communes, the whole country) the unit and the agency become type-ahead fields
        # (`typeahead_field`, `meetings:choices`): the page never ships thousands of <option>s.
        self.fields["unit"].queryset = _visible_units(user)
        sources = choices_for(user)
        url = reverse("meetings:choices", args=["unit"])
        if not typeahead_field(self, "unit", sources["unit"], url, chosen_from=self.fields["unit"].queryset):
            offered = list(self.fields["unit"].widget.choices[1:])
            chosen = self.data.get("unit") if self.is_bound else None
            if chosen and str(chosen).isdigit() and all(str(pk) != str(chosen) for pk, _name in offered):
                offered += list(_visible_units(user).filter(pk=chosen).values_list("pk", "name"))
            # In Vietnamese alphabetical order (Đà Nẵng among the D names, not after Y).
            offered.sort(key=lambda row: unit_name_sort_key(row[1]))
            self.fields["unit"].widget.choices = [("", _("All units")), *offered]
        # The queryset validates a submitted value (one lookup); the options are (id, label) rows, not
        # hundreds of model instances: a province offers ~300 agencies.
        self.fields["agency"].queryset = sources["agency"].queryset
        typeahead_field(
            self, "agency", sources["agency"], reverse("meetings:choices", args=["agency"]), empty=_("All agencies")
        )
        self.fields["charter"].queryset = sources["charter"].queryset
        typeahead_field(
            self, "charter", sources["charter"], reverse("meetings:choices", args=["charter"]), empty=_("All charters")
        )


def choices_for(user):
    """What the drop-downs of the meetings pages offer `user`, by the name `meetings:choices` answers for: the
    list's unit, agency and charter filters; a meeting's host and participating agencies (and its attendance
    rows', on a new meeting), its council session and its constituency's unit."""
    return {
        "session": Choices(
            _sessions(user), label="title", extra=("starts_at",), text=lambda title, day: f"{title} · {vn_date(day)}"
        ),
        "constituency_unit": Choices(_constituency_units(user)),
        "article": Choices(
            _articles(user),
            label="title",
            extra=("number", "charter__number"),
            text=lambda title, number, charter: (
                f"{charter} — " + _("Article %(number)s. %(title)s") % {"number": number, "title": title}
            ),
        ),
        "unit": Choices(_units_with_meetings(user).order_by("level", "name")),
        "agency": Choices(pickable_agencies(user).select_related(None)),
        "charter": Choices(
            filter_by_unit(Charter.objects.all(), user).order_by("-signed_on", "-id"),
            label="title",
            extra=("number",),
            text=lambda title, number: f"{number} — {title}",
        ),
    }


def _visible_units(user):
    ids = visible_unit_ids(user)
    queryset = AdministrativeUnit.objects.all()
    if ids is not None:
        queryset = queryset.filter(InUnits(F("pk"), list(ids))) if ids else queryset.none()
    return queryset


def _units_with_meetings(user):
    return _visible_units(user).filter(pk__in=Meeting.objects.values("unit_id"))


class MeetingForm(ChoiceLabelsMixin, forms.ModelForm):
    """The meeting itself; the unit is the host agency's unit."""

    idempotency_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "subkind",
            "host_agency",
            "participating_agencies",
            "starts_at",
            "ends_at",
            "place",
            "chair",
            "charter",
            "article",
            "area",
            "session",
            "constituency_unit",
            "constituency",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "participating_agencies": forms.CheckboxSelectMultiple,
            "title": forms.TextInput(attrs={"placeholder": _("e.g. The 12th session of the City People's Council")}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agencies = pickable_agencies(user)
        self.fields["host_agency"].queryset = agencies
        self.fields["participating_agencies"].queryset = agencies
        self.fields["participating_agencies"].label_from_instance = lambda agency: agency.name
        charters = filter_by_unit(Charter.objects.all(), user).order_by("-signed_on", "-id")
        self.fields["charter"].queryset = charters
        self.fields["article"].queryset = _articles(user).select_related("charter")
        self.fields["article"].label_from_instance = lambda article: f"{article.charter.number} — {article}"
        self.fields["area"].queryset = CoordinationArea.objects.filter(is_active=True)
        self.fields["session"].queryset = _sessions(user)
        self.fields["constituency_unit"].queryset = _constituency_units(user)
        self.fields["subkind"].choices = [("", "—"), *MeetingSubkind.choices]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["ends_at"].input_formats = self.fields["starts_at"].input_formats
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("idempotency_token", uuid.uuid4())
            agency = getattr(getattr(user, "_membership_cache", None), "agency", None)
            if agency is not None:
                self.initial.setdefault("host_agency", agency.pk)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        # Past TYPEAHEAD_OVER choices (a province's agencies and communes, the whole country, years of sessions)
        # these drop-downs (and the participants' check boxes) become type-ahead fields over `meetings:choices`.
        sources = choices_for(user)
        for name, source in (
            ("host_agency", "agency"),
            ("participating_agencies", "agency"),
            ("session", "session"),
            ("constituency_unit", "constituency_unit"),
            ("article", "article"),
        ):
            typeahead_field(self, name, sources[source], reverse("meetings:choices", args=[source]))
        _no_form_tag(self)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        subkind = data.get("subkind")
        if subkind and subkind not in SUBKINDS_BY_KIND.get(kind, ()):
            self.add_error("subkind", _("This sub-kind does not apply to this kind of meeting."))
        if kind in SUBKINDS_BY_KIND and not subkind:
            data["subkind"] = SUBKINDS_BY_KIND[kind][0]
        if data.get("session") and kind not in VOTER_CONTACT_KINDS:
            self.add_error("session", _("Only voter-contact meetings are linked to a council session."))
        host = data.get("host_agency")
        participants = list(data.get("participating_agencies") or [])
        if host:
            # The unit is not on the form: it is the host's, and the model's own checks need it.
            self.instance.unit = host.unit
            allowed = participant_unit_ids(host.unit)
            if any(agency.unit_id not in allowed for agency in participants):
                self.add_error(
                    "participating_agencies",
                    _("Participating agencies must be of the host's unit, of its parent unit or of its units below."),
                )
            own = agency_of(self.user)
            if not is_site_admin(self.user) and own is not None and own != host and own not in participants:
                self.add_error(
                    "host_agency", _("Your agency must host the meeting or be one of the participating agencies.")
                )
            session = data.get("session")
            if session and session.unit_id != host.unit_id:
                self.add_error("session", _("The council session must be of the same unit."))
            charter = data.get("charter")
            if charter and charter.unit_id != host.unit_id:
                self.add_error("charter", _("The charter must be of the meeting's unit."))
        article = data.get("article")
        if article and data.get("charter") and article.charter_id != data["charter"].pk:
            self.add_error("article", _("The article must belong to the chosen charter."))
        if article and not data.get("charter"):
            data["charter"] = article.charter
        return data

    def service_fields(self):
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.Meta.fields if name != "participating_agencies"}
        fields["subkind"] = fields.get("subkind") or ""
        fields["unit"] = data["host_agency"].unit
        return fields


def _articles(user):
    charters = filter_by_unit(Charter.objects.all(), user)
    return Article.objects.filter(charter__in=charters).order_by("-charter__signed_on", "charter_id", "number")


def _sessions(user):
    return filter_by_unit(Meeting.objects.filter(kind=MeetingKind.COUNCIL_SESSION), user).order_by("-starts_at", "-id")


def _constituency_units(user):
    ids = visible_unit_ids(user)
    queryset = AdministrativeUnit.objects.filter(is_active=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("level", "name")


class CompactRowForm(ChoiceLabelsMixin, forms.Form):
    """A formset row: bare widgets in table cells, with Bootstrap's small classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


class AgendaItemForm(CompactRowForm):
    title = forms.CharField(label=_("Agenda item"), max_length=500)
    presenter = forms.CharField(label=_("Presented by"), max_length=200, required=False)


class AttendanceForm(CompactRowForm):
    person_name = forms.CharField(label=_("Person"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices, initial="present")
    delegate_name = forms.CharField(label=_("Delegate"), max_length=200, required=False)

    def __init__(self, *args, agencies=None, choices_url=None, choices_cache=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies is not None:
            # Every row offers the same agencies, read once (`choices_cache`); past TYPEAHEAD_OVER (a new
            # meeting of the site administrator: any agency) a type-ahead field over `choices_url`.
            source = Choices(agencies.select_related(None))
            if choices_url is None:
                cache = {} if choices_cache is None else choices_cache
                if "rows" not in cache:
                    cache["rows"] = source.rows()
                self.fields["agency"].widget.choices = [("", self.fields["agency"].empty_label), *cache["rows"]]
            else:
                typeahead_field(self, "agency", source, choices_url, cache=choices_cache)

    def clean(self):
        data = super().clean()
        if data.get("status") == AttendanceStatus.DELEGATED and not (data.get("delegate_name") or "").strip():
            self.add_error("delegate_name", _("Name the delegate."))
        return data


class BaseRowsFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def rows(self):
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.has_changed()
        ]


# Bounded like the batch intake: a posted TOTAL_FORMS of thousands must not build (and render) thousands of rows.
ROWS_MAX = 200
AgendaFormSet = forms.formset_factory(
    AgendaItemForm, formset=BaseRowsFormSet, extra=2, can_delete=True, max_num=ROWS_MAX, absolute_max=ROWS_MAX
)
AttendanceFormSet = forms.formset_factory(
    AttendanceForm, formset=BaseRowsFormSet, extra=3, can_delete=True, max_num=ROWS_MAX, absolute_max=ROWS_MAX
)


class MinutesForm(ChoiceLabelsMixin, forms.Form):
    minutes_text = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Proceedings, opinions raised, what was agreed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minutes_file = forms.FileField(
        label=_("Signed minutes (PDF or DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["minutes_file"].help_text = _("At most %(limit)s MB.") % {"limit": limit}
        _no_form_tag(self)

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload:
            minutes_file_validate(upload)
        return upload


class ConclusionForm(CompactRowForm):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    create_task = forms.BooleanField(label=_("Make it a follow-up task"), required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies
        _no_form_tag(self)

    def clean(self):
        data = super().clean()
        if data.get("create_task"):
            if not data.get("responsible_agency"):
                self.add_error("responsible_agency", _("A follow-up task needs a responsible agency."))
            if not data.get("due_date"):
                self.add_error("due_date", _("A follow-up task needs a due date."))
        return data


class ConclusionAddForm(ConclusionForm):
    """One conclusion added from the meeting page; the token makes a double click add it once."""

    idempotency_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", uuid.uuid4())


# Rows of the minutes page carry no token: that form is protected by the meeting's version instead.
ConclusionFormSet = forms.formset_factory(
    ConclusionForm, formset=BaseRowsFormSet, extra=2, can_delete=False, max_num=ROWS_MAX, absolute_max=ROWS_MAX
)


class SessionDocumentForm(ChoiceLabelsMixin, forms.Form):
    idempotency_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    responsible_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty to compute it from the session's opening day by the deadline rule."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, agencies=None, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies
        if not may_override:
            del self.fields["due_date"]
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", uuid.uuid4())
        _no_form_tag(self)


class DeliveryForm(ChoiceLabelsMixin, forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE_WIDGET)

    def clean_delivered_on(self):
        from django.utils import timezone

        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The delivery date cannot be in the future."))
        return day
