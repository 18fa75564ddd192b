"""Pages of supervision: the programmes' list and detail, their forms, and the Front's social criticism."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from coordination.audit import audit_events_for
from coordination.choices import choices_response
from coordination.forms import call_service_into_form
from coordination.models import AdministrativeUnit
from coordination.permissions import can_see_unit, ensure
from coordination.query import query_id

from . import forms, permissions, selectors, services

PAGE_SIZE = 25


def _warn_overlaps(request, programme):
    overlaps = selectors.overlaps_of(programme)
    if overlaps:
        messages.warning(
            request,
            ngettext(
                "%(count)d other programme supervises the same subject or bodies in this period: see below.",
                "%(count)d other programmes supervise the same subject or bodies in this period: see below.",
                len(overlaps),
            )
            % {"count": len(overlaps)},
        )


@login_required
@require_GET
def choices(request, name):
    """The type-ahead fields of the supervision pages (`forms.choices_for`), and `supervised?unit=ID`: the bodies a
    programme of a unit the user sees supervises (its report requests and recommendations)."""
    if name == "supervised":
        unit_id = query_id(request.GET.get("unit"))
        if unit_id is None or not can_see_unit(request.user, unit_id):
            raise Http404
        unit = get_object_or_404(AdministrativeUnit, pk=unit_id)
        return choices_response(request, forms.supervised_choices(unit))
    return choices_response(request, forms.choices_for(request.user).get(name))


@login_required
def programme_list(request):
    form = forms.ProgrammeFilterForm(request.GET or None, user=request.user)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    today = timezone.localdate()
    queryset = selectors.programme_list(user=request.user, filters=filters, today=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/programme_list.html",
        {
            "form": form,
            "page": page,
            "programmes": list(page.object_list),
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
            "can_create": permissions.can_create_programme(request.user),
            "can_record_criticism": permissions.can_record_criticism(request.user),
        },
    )


@login_required
def programme_detail(request, pk):
    programme = permissions.programme_for_view(request.user, pk, selectors.programme_detail_queryset())
    today = timezone.localdate()
    can_edit = permissions.can_edit_programme(request.user, programme)
    recommendations = list(programme.recommendations.all())
    for recommendation in recommendations:
        recommendation.overdue = recommendation.is_overdue(today)
        recommendation.may_complete = recommendation.status == "open" and permissions.can_complete_recommendation(
            request.user, recommendation
        )
    reports = list(programme.report_requests.all())
    for report in reports:
        report.overdue = report.is_overdue(today)
    return render(
        request,
        "supervision/programme_detail.html",
        {
            "programme": programme,
            "can_edit": can_edit,
            "reports": reports,
            "recommendations": recommendations,
            "visits": sorted(programme.visits.all(), key=lambda meeting: meeting.starts_at),
            "overlaps": selectors.overlaps_of(programme),
            "events": audit_events_for(programme),
            "today": today,
        },
    )


def _form_page(request, form, *, title, programme=None, submit=None, intro=None):
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": title, "programme": programme, "submit": submit or _("Save"), "intro": intro},
    )


@login_required
def programme_create(request):
    ensure(permissions.can_create_programme(request.user))
    form = forms.ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = {}

        def create(**kwargs):
            result["programme"] = services.programme_create(**kwargs)

        if call_service_into_form(
            form,
            create,
            actor=request.user,
            supervising_agency=form.cleaned_data["supervising_agency"],
            supervised_agencies=list(form.cleaned_data["supervised_agencies"]),
            **form.service_fields(),
        ):
            messages.success(request, _("The supervision programme was saved."))
            _warn_overlaps(request, result["programme"])
            return redirect("supervision:detail", pk=result["programme"].pk)
    return _form_page(request, form, title=_("New supervision programme"))


@login_required
def programme_edit(request, pk):
    programme = permissions.programme_for_edit(request.user, pk)
    form = forms.ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form,
            services.programme_update,
            actor=request.user,
            programme=programme,
            supervised_agencies=list(form.cleaned_data["supervised_agencies"]),
            **form.service_fields(),
        )
    ):
        messages.success(request, _("The supervision programme was saved."))
        _warn_overlaps(request, programme)
        return redirect("supervision:detail", pk=programme.pk)
    return _form_page(request, form, title=_("Edit supervision programme"), programme=programme)


@login_required
def report_request_create(request, pk):
    programme = permissions.programme_for_edit(request.user, pk)
    form = forms.ReportRequestForm(
        request.POST or None, programme=programme, initial={"requested_on": timezone.localdate()}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form, services.report_request_create, actor=request.user, programme=programme, **form.cleaned_data
        )
    ):
        messages.success(request, _("The report was requested; the supervised body is notified."))
        return redirect("supervision:detail", pk=programme.pk)
    return _form_page(request, form, title=_("Request a report"), programme=programme, submit=_("Send the request"))


@login_required
def report_receive(request, pk):
    report = permissions.report_request_for_edit(request.user, pk)
    form = forms.ReportReceiveForm(
        request.POST or None,
        initial={
            "received_on": report.received_on or timezone.localdate(),
            "received_document": report.received_document,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form, services.report_receive, actor=request.user, request=report, **form.cleaned_data
        )
    ):
        messages.success(request, _("The report was recorded as received."))
        return redirect("supervision:detail", pk=report.programme_id)
    intro = _("Report of %(agency)s, due %(due)s.") % {
        "agency": report.agency.name,
        "due": report.due_date.strftime("%d/%m/%Y"),
    }
    return _form_page(request, form, title=_("Record the report received"), programme=report.programme, intro=intro)


@login_required
def visit_create(request, pk):
    programme = permissions.programme_for_edit(request.user, pk, selectors.programme_detail_queryset())
    form = forms.VisitForm(
        request.POST or None,
        initial={"title": (_("Supervision visit: %(subject)s") % {"subject": programme.subject})[:500]},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form,
            services.visit_record,
            actor=request.user,
            programme=programme,
            agencies=list(programme.supervised_agencies.all()),
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The visit was recorded as a meeting."))
        return redirect("supervision:detail", pk=programme.pk)
    return _form_page(request, form, title=_("Record a visit"), programme=programme)


@login_required
def recommendation_create(request, pk):
    programme = permissions.programme_for_edit(request.user, pk)
    form = forms.RecommendationForm(request.POST or None, programme=programme)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form, services.recommendation_create, actor=request.user, programme=programme, **form.cleaned_data
        )
    ):
        messages.success(request, _("The recommendation was added; the responsible body is notified."))
        return redirect("supervision:detail", pk=programme.pk)
    return _form_page(request, form, title=_("Add a post-supervision recommendation"), programme=programme)


@login_required
def recommendation_complete(request, pk):
    recommendation = permissions.recommendation_for_completion(request.user, pk)
    form = forms.RecommendationDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form,
            services.recommendation_complete,
            actor=request.user,
            recommendation=recommendation,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The recommendation was marked done."))
        return redirect("supervision:detail", pk=recommendation.programme_id)
    intro = _("%(text)s — %(agency)s, due %(due)s.") % {
        "text": recommendation.text,
        "agency": recommendation.responsible_agency.name,
        "due": recommendation.due_date.strftime("%d/%m/%Y"),
    }
    return _form_page(
        request, form, title=_("Mark the recommendation done"), programme=recommendation.programme, intro=intro
    )


@login_required
def criticism_list(request):
    page = Paginator(selectors.criticism_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    criticisms = list(page.object_list)
    for criticism in criticisms:
        criticism.may_edit = permissions.can_record_criticism(request.user, criticism.agency)
    return render(
        request,
        "supervision/criticism_list.html",
        {
            "page": page,
            "criticisms": criticisms,
            "query": "",
            "can_record": permissions.can_record_criticism(request.user),
        },
    )


@login_required
def criticism_create(request):
    ensure(permissions.can_record_criticism(request.user))
    form = forms.CriticismForm(request.POST or None, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(form, services.criticism_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The social criticism was recorded."))
        return redirect("supervision:criticism_list")
    return _form_page(request, form, title=_("New social criticism"))


@login_required
def criticism_edit(request, pk):
    criticism = permissions.criticism_for_edit(request.user, pk)
    form = forms.CriticismForm(request.POST or None, user=request.user, instance=criticism)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form, services.criticism_update, actor=request.user, criticism=criticism, **form.cleaned_data
        )
    ):
        messages.success(request, _("The social criticism was saved."))
        return redirect("supervision:criticism_list")
    return _form_page(request, form, title=_("Edit social criticism"))
