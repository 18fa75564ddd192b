"""The petition list's filters (django-filter)."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import AdministrativeUnit, Agency
from coordination.permissions import pickable_agencies, visible_unit_ids
from coordination.widgets import DateInput, PlainSelect, label_empty_choices
from meetings.models import PETITION_INTAKE_KINDS, Meeting

from .models import Field, Forwarding, Kind, Status
from .selectors import (
    PETITION_MEASURES,
    SEARCH_AUTO,
    petition_measure_q,
    petition_place,
    petition_search,
)

DATE = DateInput()

# The unit, agency and meeting filters list their choices as <option>s up to this many; past it (a
# province's communes and agencies, the site administrator's whole country, years of meetings) the
# <select> carries only the chosen value and becomes a type-ahead field (static/js/typeahead.js) over
# `petition_filter_choices`, which searches the same querysets: no page ships thousands of <option>s.
TYPEAHEAD_OVER = 100
# The filters a type-ahead field serves, with the column their options show.
TYPEAHEAD_LABELS = {"agency": "name", "unit": "name", "meeting": "title"}

SORTS = {
    "received": ("-received_on", "-id"),
    "received_asc": ("received_on", "id"),
    "due": ("due_date", "-id"),
    "due_desc": ("-due_date", "-id"),
    "status": ("status", "-received_on", "-id"),
    "id": ("-id",),
}


class PetitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # PlainSelect everywhere: the same <select>, its options written in Python (one template per option was
    # ~0.4 ms per drop-down on every list page).
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, widget=PlainSelect)
    field = django_filters.ChoiceFilter(
        label=pgettext_lazy("petition", "Field"), choices=Field.choices, widget=PlainSelect
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, widget=PlainSelect)
    # PlainSelect: a province lists hundreds of agencies and communes (see coordination/widgets.py).
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), queryset=Agency.objects.none(), method="filter_agency", widget=PlainSelect
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), widget=PlainSelect
    )
    meeting = django_filters.ModelChoiceFilter(label=_("Meeting"), queryset=Meeting.objects.none(), widget=PlainSelect)
    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting answer"), method="filter_awaiting", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(label=_("Due soon"), method="filter_due_soon", widget=forms.CheckboxInput)
    flagged = django_filters.BooleanFilter(
        label=_("Flagged for supervision"),
        field_name="flagged_for_supervision",
        widget=forms.CheckboxInput,
        method="filter_flagged",
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte", widget=DATE
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_on", lookup_expr="lte", widget=DATE
    )
    # Drill-down from the leaders' dashboard: the same conditions its figures count.
    measure = django_filters.ChoiceFilter(
        label=_("Measure"),
        method="filter_measure",
        choices=[
            ("forwarded", _("Forwarded")),
            ("answered", _("Answered")),
            ("answered_on_time", _("Answered on time")),
            ("answered_late", _("Answered late")),
            ("overdue", _("Overdue")),
            ("returned", _("Returned as wrong authority")),
            ("unsatisfactory", _("Answer judged unsatisfactory")),
            ("reanswer_requested", _("Re-answer requested")),
            ("reanswered", _("Re-answered")),
            ("reanswered_on_time", _("Re-answered on time")),
        ],
    )
    lead_agency = django_filters.ModelChoiceFilter(label=_("Lead agency"), queryset=Agency.objects.none())
    # The petitions raised in one commune: its name, or the locality typed when no commune was chosen
    # (the province dashboard's breakdown by locality, `petition_place`).
    place = django_filters.CharFilter(label=_("Commune"), method="filter_place", widget=forms.HiddenInput)
    # The petitions of one bulk forward (the link of its notification).
    batch = django_filters.UUIDFilter(label=_("Forwarded together"), method="filter_batch")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        widget=PlainSelect,
        choices=[
            ("received", _("Newest received")),
            ("received_asc", _("Oldest received")),
            ("due", _("Due date, earliest first")),
            ("due_desc", _("Due date, latest first")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args, user=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        ids = visible_unit_ids(user)
        units = AdministrativeUnit.objects.all() if ids is None else AdministrativeUnit.objects.filter(pk__in=ids)
        meetings = Meeting.objects.all()
        if ids is not None:
            meetings = meetings.filter(unit_id__in=ids)
        # Petitions belong to the unit of the office that took them in: only units with agencies qualify.
        # EXISTS rather than a DISTINCT join: a probe of the agencies' unit index per unit instead of hashing
        # every agency of the country (~2 ms per list page).
        self.filters["unit"].queryset = units.filter(Exists(Agency.objects.filter(unit=OuterRef("pk")))).order_by(
            "level", "name"
        )
        self.filters["agency"].queryset = pickable_agencies(user)
        self.filters["lead_agency"].queryset = self.filters["agency"].queryset
        # Any visible meeting is accepted (links from a meeting's page); the choices offered are intake meetings.
        self.filters["meeting"].queryset = meetings.order_by("-starts_at", "-id")

    @property
    def form(self):
        """The filter form, its long drop-downs fed (id, label) rows: the querysets still validate the input,
        but the options no longer build a model instance each. At most TYPEAHEAD_OVER rows are read per
        drop-down (one query each); a longer list becomes a type-ahead field holding only the chosen value."""
        if not hasattr(self, "_form"):
            form = super().form
            label_empty_choices(form, filtering=True)
            for name, label in TYPEAHEAD_LABELS.items():
                field = form.fields[name]
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                rows = list(self.choice_queryset(name).values_list("pk", label)[: TYPEAHEAD_OVER + 1])
                if len(rows) <= TYPEAHEAD_OVER:
                    field.widget.choices = empty + rows
                    continue
                chosen = self._chosen(form, name)
                field.widget.choices = empty + ([(chosen.pk, getattr(chosen, label))] if chosen else [])
                field.widget.attrs["data-typeahead"] = reverse("voters:filter_choices", args=[name])
                field.widget.attrs["data-typeahead-none"] = _("Nothing matches")
        return self._form

    def choice_queryset(self, name):
        """What the drop-down or type-ahead of filter `name` offers (the meeting filter: intake meetings)."""
        queryset = self.filters[name].queryset
        return queryset.filter(kind__in=PETITION_INTAKE_KINDS) if name == "meeting" else queryset

    def _chosen(self, form, name):
        """The instance the URL chose for `name`, read by the form's validation (which runs here, once)."""
        if not self.is_bound or not form.is_valid():
            return None
        return form.cleaned_data.get(name)

    # petition_search's mode: the list sets SEARCH_WORDS_ONLY, then SEARCH_PREFIX when whole words found nothing.
    search_mode = SEARCH_AUTO

    def filter_search(self, queryset, name, value):
        return petition_search(queryset, value, mode=self.search_mode)

    def filter_agency(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(originating_agency=value) | Q(lead_agency=value))

    def filter_awaiting(self, queryset, name, value):
        return queryset.awaiting_answer() if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset

    def filter_due_soon(self, queryset, name, value):
        return queryset.due_soon(self.today, settings.DUE_SOON_DAYS) if value else queryset

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged_for_supervision=True) if value else queryset

    def filter_measure(self, queryset, name, value):
        return queryset.filter(petition_measure_q(value, self.today)) if value in PETITION_MEASURES else queryset

    def filter_place(self, queryset, name, value):
        return queryset.annotate(place=petition_place()).filter(place=value) if value else queryset

    def filter_batch(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Forwarding.objects.filter(petition=OuterRef("pk"), batch_key=value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["received"]))
