"""Pages of annual reviews and their PDF reports (thin: authorize, validate, call a service, redirect)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from charters.selectors import CharterStatus, charters_with_unit_and_term
from coordination.audit import audit_events_for
from coordination.forms import call_service_into_form
from coordination.locking import ConflictError
from coordination.models import AdministrativeUnit
from coordination.permissions import agency_of, ensure, visible_unit_ids
from coordination.units import units_sorted
from meetings.selectors import MeetingKind
from voters.selectors import Field

from . import selectors, services
from .forms import (
    ReportRequestForm,
    ReviewCreateForm,
    ReviewEditForm,
    ReviewReopenForm,
    ReviewReturnForm,
    SignedCopyForm,
)
from .models import AnnualReview, ReportFormat, ReportStatus, ReviewKind
from .permissions import (
    can_approve_review,
    can_draft_review,
    can_edit_review,
    can_record_signed_copy,
    can_render_review,
    can_reopen_review,
    can_return_review,
    charter_reviews_for,
    report_file_for,
    review_for,
)
from .text import change_ratio

# Labels of the year-on-year figures on the page (the PDF has its own Vietnamese document wording).
HEADLINE_LABELS = {
    "meetings_total": gettext_lazy("Meetings and joint activities"),
    "council_sessions": gettext_lazy("Council sessions"),
    "voter_contact": gettext_lazy("Voter-contact meetings"),
    "supervision": gettext_lazy("Supervision visits"),
    "petitions_received": gettext_lazy("Voter petitions received"),
    "petitions_forwarded": gettext_lazy("Petitions forwarded to the competent agency"),
    "petitions_answered": gettext_lazy("Petitions answered"),
    "petitions_answered_on_time": gettext_lazy("Petitions answered on time"),
    "petitions_overdue": gettext_lazy("Petitions overdue without an answer"),
    "tasks_planned": gettext_lazy("Planned tasks (work programme)"),
    "tasks_arising": gettext_lazy("Newly arising tasks"),
    "tasks_done": gettext_lazy("Tasks done"),
    "documents_late": gettext_lazy("Session documents delivered late"),
}


def _label(choices, code):
    try:
        return choices(code).label
    except ValueError:
        return code


def figures_table(stats):
    """This year's headline figures beside the previous years', with the change in percent."""
    previous = list(stats.get("previous", []))
    if previous and all(entry.get("empty") for entry in previous):
        previous = []
    rows = []
    for key, label in HEADLINE_LABELS.items():
        current = stats["headline"].get(key)
        cells = []
        for entry in previous:
            value = entry["figures"].get(key)
            cells.append({"value": value, "change": change_ratio(current, value)})
        if current is None and all(cell["value"] is None for cell in cells):
            continue  # nothing recorded for this figure in any year
        rows.append({"label": label, "current": current, "previous": cells})
    return {"years": [entry["year"] for entry in previous], "rows": rows}


def _messages_from(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _back_to_review(request, review, *errors):
    """The review's page, with `errors` (texts) shown on it."""
    for message in errors:
        messages.error(request, message)
    return redirect("charters:review_detail", pk=review.pk)


def _act(request, review, service, done, **arguments):
    """Call a workflow `service` on `review` as the user, then back to the review's page: what the service refuses
    (its ValidationError, or a conflict with another user's change) as error messages, else `done`."""
    try:
        service(actor=request.user, review=review, **arguments)
    except (ValidationError, ConflictError) as error:
        _messages_from(request, error)
    else:
        messages.success(request, done)
    return _back_to_review(request, review)


@login_required
def review_list(request):
    user = request.user
    try:
        unit = int(request.GET.get("unit") or 0) or None
    except ValueError:
        unit = None
    ids = visible_unit_ids(user)
    units = AdministrativeUnit.objects.filter(charters__reviews__isnull=False).distinct()
    if ids is not None:
        units = units.filter(pk__in=ids)
    units = units_sorted(units)  # Vietnamese alphabetical order
    try:
        charter = int(request.GET.get("charter") or 0) or None
    except ValueError:
        charter = None
    charters = [
        item
        for item in selectors.reviewable_charters(user).filter(status=CharterStatus.IN_FORCE)
        if can_draft_review(user, item) and (charter is None or item.pk == charter)
    ]
    for item in charters:
        item.next_review_year = _next_year(item)
    try:
        year = int(request.GET.get("year") or 0) or _default_year()
    except ValueError:
        year = _default_year()
    year = min(max(year, 2000), 2100)
    return render(
        request,
        "charters/reviews/review_list.html",
        {
            "reviews": selectors.review_list(user=user, unit=unit, charter=charter),
            "units": units,
            "unit": unit,
            "charters": charters,
            "default_year": _default_year(),
            "year": year,
            "years": list(range(_default_year() + 1, _default_year() - 5, -1)),
            "states": selectors.charter_review_states(user, year),
            "can_draft": {item.pk for item in charters},
        },
    )


def _default_year():
    """Reviews are written in January for the year that ended: the default is last year."""
    return timezone.localdate().year - 1


def _next_year(charter):
    """Last year, unless its review exists already (then this year's, to prepare it ahead)."""
    year = _default_year()
    taken = AnnualReview.objects.filter(charter=charter, kind=ReviewKind.ANNUAL, year=year).exists()
    return year + 1 if taken else year


@login_required
def review_create(request, charter_pk):
    user = request.user
    charter = get_object_or_404(charters_with_unit_and_term(), pk=charter_pk)
    charter_reviews_for(user, charter)
    ensure(can_draft_review(user, charter))
    form = ReviewCreateForm(request.POST or None, initial={"year": request.GET.get("year") or _default_year()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                actor=user,
                charter=charter,
                year=form.cleaned_data["year"],
                kind=form.cleaned_data["kind"],
                period_start=form.cleaned_data.get("period_start"),
                period_end=form.cleaned_data.get("period_end"),
                idempotency_token=form.cleaned_data["idempotency_token"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The review was generated with this year's figures. Check and edit the text."))
            return redirect("charters:review_detail", pk=review.pk)
    existing = AnnualReview.objects.filter(charter=charter).order_by("-year")
    return render(
        request, "charters/reviews/review_create.html", {"charter": charter, "form": form, "existing": existing}
    )


def _detail_context(request, review, *, edit_form=None):
    user = request.user
    stats = review.stats or {}
    agency = agency_of(user)
    parties = list(review.charter.party_links.select_related("agency").order_by("order", "id"))
    approvals = {approval.agency_id: approval for approval in review.approvals.select_related("approved_by")}
    can_edit = can_edit_review(user, review)
    if edit_form is None and can_edit:
        edit_form = ReviewEditForm(instance=review)
    petitions = stats.get("petitions", {})
    return {
        "review": review,
        "charter": review.charter,
        "stats": stats,
        "comparison": figures_table(stats) if stats.get("headline") else None,
        "meetings": [
            {"label": _label(MeetingKind, kind), "count": count}
            for kind, count in stats.get("meetings", {}).get("by_kind", {}).items()
            if count
        ],
        "by_field": [{**row, "label": _label(Field, row["field"])} for row in petitions.get("by_field", [])],
        "party_rows": [{"party": party, "approval": approvals.get(party.agency_id)} for party in parties],
        "edit_form": edit_form,
        "return_form": ReviewReturnForm(initial={"version": review.version}),
        "reopen_form": ReviewReopenForm(initial={"version": review.version}),
        "signed_copy_form": SignedCopyForm(agencies=[row.agency for row in parties if row.agency_id not in approvals])
        if can_record_signed_copy(user, review)
        else None,
        "can_reopen": can_reopen_review(user, review),
        "report_form": ReportRequestForm(),
        "versions": selectors.review_versions(review),
        **_report_files_context(review),
        "events": audit_events_for(review, limit=50),
        "can_edit": can_edit,
        "can_render": can_render_review(user, review),
        "can_approve": can_approve_review(user, review),
        "can_return": can_return_review(user, review),
        "user_agency": agency,
    }


@login_required
def review_detail(request, pk):
    review = review_for(request.user, pk)
    return render(request, "charters/reviews/review_detail.html", _detail_context(request, review))


@login_required
@require_POST
def review_edit(request, pk):
    review = review_for(request.user, pk, action="edit")
    form = ReviewEditForm(request.POST, instance=AnnualReview.objects.get(pk=review.pk))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if call_service_into_form(
            form, services.review_update, actor=request.user, review=review, version=version, **data
        ):
            messages.success(request, _("The review was saved (a new version is kept)."))
            return redirect("charters:review_detail", pk=review.pk)
    review.refresh_from_db()
    context = _detail_context(request, review, edit_form=form)
    return render(request, "charters/reviews/review_detail.html", context)


def _version_from(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


WORKFLOW = {
    "refresh": (
        "edit",
        services.review_stats_refresh,
        gettext_lazy("The figures were recomputed from the current data."),
    ),
    "submit": (
        "edit",
        services.review_submit,
        gettext_lazy("The review was submitted to the parties' leaders for approval."),
    ),
}


@login_required
@require_POST
def review_action(request, pk, action):
    if action not in WORKFLOW:
        raise Http404
    permission, service, done = WORKFLOW[action]
    review = review_for(request.user, pk, action=permission)
    return _act(request, review, service, done, version=_version_from(request))


@login_required
@require_POST
def review_approve(request, pk):
    review = review_for(request.user, pk, action="approve")
    done = _("Your agency's approval was recorded.")
    return _act(
        request,
        review,
        services.review_approve,
        done,
        agency=agency_of(request.user),
        comment=request.POST.get("comment", ""),
    )


@login_required
@require_POST
def review_return(request, pk):
    review = review_for(request.user, pk, action="return")
    form = ReviewReturnForm(request.POST)
    if not form.is_valid():
        return _back_to_review(request, review, _("Say what needs correcting."))
    done = _("The review was returned to the secretariat for corrections.")
    return _act(request, review, services.review_return, done, **form.cleaned_data)


@login_required
@require_POST
def review_approval_record(request, pk):
    review = review_for(request.user, pk, action="record_signed_copy")
    parties = list(review.charter.party_links.select_related("agency"))
    form = SignedCopyForm(request.POST, request.FILES, agencies=[party.agency for party in parties])
    if not form.is_valid():
        return _back_to_review(request, review, *(message for errors in form.errors.values() for message in errors))
    agency = next(party.agency for party in parties if party.agency_id == form.cleaned_data["agency"])
    done = _("The signed copy was recorded as %(agency)s's approval.") % {"agency": agency.name}
    return _act(
        request,
        review,
        services.review_approval_record,
        done,
        agency=agency,
        signed_copy=form.cleaned_data["signed_copy"],
        signed_on=form.cleaned_data["signed_on"],
        comment=form.cleaned_data["comment"],
    )


@login_required
@require_POST
def review_reopen(request, pk):
    review = review_for(request.user, pk, action="reopen")
    form = ReviewReopenForm(request.POST)
    if not form.is_valid():
        return _back_to_review(request, review, _("Say why the approved review is reopened."))
    done = _("The review was reopened as a new draft; the approved version is kept.")
    return _act(request, review, services.review_reopen, done, **form.cleaned_data)


@login_required
@require_POST
def report_request(request, pk):
    review = review_for(request.user, pk, action="render")
    form = ReportRequestForm(request.POST)
    valid = form.is_valid()
    with_appendix = valid and form.cleaned_data["with_appendix"]
    report_format = form.cleaned_data["format"] if valid else ReportFormat.PDF
    report = services.report_request(
        actor=request.user, review=review, with_appendix=with_appendix, format=report_format
    )
    if report.status == ReportStatus.READY:
        messages.info(request, _("This version was already printed: its file is in the list below."))
    else:
        messages.info(request, _("The file is being prepared; this page shows when it is ready."))
    return redirect("charters:review_detail", pk=review.pk)


@login_required
def report_files(request, pk):
    """The report files fragment; htmx polls it every 2 s while a file is queued or rendering."""
    review = review_for(request.user, pk)
    return render(request, "charters/reviews/_report_files.html", {"review": review, **_report_files_context(review)})


def _report_files_context(review):
    files = list(selectors.review_report_files(review))
    return {"report_files": files, "any_pending": any(f.is_pending for f in files)}


@login_required
def report_download(request, pk, file_pk, format=ReportFormat.PDF):
    report = report_file_for(request.user, pk, file_pk)
    if report.status != ReportStatus.READY or not report.file or report.format != format:
        raise Http404
    response = FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.download_name, content_type=report.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_version(request, pk, number):
    review = review_for(request.user, pk)
    version = get_object_or_404(review.versions.select_related("created_by"), number=number)
    return render(
        request,
        "charters/reviews/review_version.html",
        {"review": review, "version": version, "data": version.data, "kind_end_of_term": ReviewKind.END_OF_TERM},
    )
