"""Pages of voter petitions: thin views that authorize, validate, call one service and redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coordination.choices import choice_search
from coordination.forms import call_service_into_form, form_errors_from
from coordination.permissions import agency_of, ensure, visible_unit_ids
from coordination.query import query_id
from coordination.templatetags.ui import status_tone, vn_date
from meetings.models import Meeting

from . import permissions, services
from .filters import TYPEAHEAD_LABELS, PetitionFilter
from .forms import (
    AnswerForm,
    BatchHeaderForm,
    BatchRowFormSet,
    BulkForwardForm,
    ClassifyForm,
    EvaluateForm,
    ForwardForm,
    GroupForm,
    ImportForm,
    PetitionForm,
    ReturnForm,
    meeting_takes_petitions_yet,
)
from .highlight import highlighted
from .importing import COLUMNS, MAX_ROWS, template_workbook
from .models import AnswerAttachment, Field, Petition, Status
from .pagination import IdsFirstPaginator
from .selectors import (
    SEARCH_AUTO,
    SEARCH_PREFIX,
    SEARCH_WORDS_ONLY,
    batch_duplicates,
    petition_counts,
    petition_detail,
    petition_list,
    petition_rows,
    petition_timeline,
    scope_label,
    search_may_fall_back_to_prefix,
    search_words,
    similar_petitions,
)

PAGE_SIZE = 50
# A search shows "more than 1,000 results" past this many (20 pages), rather than counting them all.
SEARCH_CAP = 1000
# The national list (a site administrator sees every unit) counts up to this many (200 pages): counting a
# million petitions was an index-only scan of the whole table on every page.
NATIONAL_CAP = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request, queryset=None, search_mode=SEARCH_AUTO):
    """The user's petitions filtered and ordered as the URL asks; `queryset` defaults to the export's rows
    (joined and annotated), the list passes the bare visible petitions since it reads only their ids."""
    today = timezone.localdate()
    filterset = PetitionFilter(
        request.GET or None,
        queryset=petition_list(request.user) if queryset is None else queryset,
        user=request.user,
        today=today,
    )
    filterset.search_mode = search_mode
    return filterset, _ordered(request, filterset), today


def _ordered(request, filterset):
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if "sort" not in request.GET:
        queryset = queryset.order_by("-received_on", "-id")
    return queryset


@login_required
@require_GET
def petition_list_view(request):
    # A search tries whole words first (see petition_search): here its own bounded read of the matches tells
    # whether they found anything, instead of an EXISTS query before it.
    filterset, queryset, today = _filtered(
        request, permissions.petitions_visible_to(request.user), search_mode=SEARCH_WORDS_ONLY
    )
    # A search counts its matches up to SEARCH_CAP only ("more than 1,000 results"): a common word's count
    # would read every petition of the scope.
    query = filterset.form.cleaned_data.get("q") if filterset.is_bound and filterset.is_valid() else ""

    def paginate(queryset):
        return IdsFirstPaginator(
            queryset,
            PAGE_SIZE,
            fetch=lambda ids: petition_rows(request.user, ids),
            cap=SEARCH_CAP if query else (NATIONAL_CAP if visible_unit_ids(request.user) is None else None),
            ids_to_cap=bool(query),
        )

    paginator = paginate(queryset)
    if query and paginator.count == 0 and search_may_fall_back_to_prefix(query):
        # The whole words are found nowhere: the last word typed is the beginning of a word ("tiep xu").
        filterset.search_mode = SEARCH_PREFIX
        del filterset._qs  # django-filter's cached result, filtered again with the same validated form
        paginator = paginate(_ordered(request, filterset))
    page = paginator.get_page(request.GET.get("page"))
    scope_queryset, scope_params = _list_scope(filterset, permissions.petitions_visible_to(request.user))
    counts = petition_counts(scope_queryset, today)
    active_filters = any(value for key, value in request.GET.items() if key not in ("page", "sort"))
    # The list's own count is the scope's total when only scope filters are set; no second COUNT.
    narrowed = any(value for key, value in request.GET.items() if key not in ("page", "sort", *SCOPE_FILTERS))
    counts["total"] = None if narrowed or paginator.capped else page.paginator.count
    scope_text = scope_label(
        *(
            filterset.form.cleaned_data.get(name) if filterset.is_bound and filterset.is_valid() else None
            for name in ("received_from", "received_to")
        )
    )
    rows = _list_rows(request.user, page.object_list, today, highlight=search_words(query) if query else ())
    return render(
        request,
        "voters/petition_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "counts": counts,
            "today": today,
            "may_create": permissions.can_create(request.user),
            "active_filters": active_filters,
            "tabs": _list_tabs(request, filterset, counts, scope_params),
            "scope_text": scope_text,
            "query": query,
        },
    )


# The filters that set what the tabs count (a dashboard drill-down keeps them): unit, agency, period.
SCOPE_FILTERS = ("unit", "place", "agency", "lead_agency", "received_from", "received_to")


def _list_scope(filterset, visible):
    """The visible petitions narrowed by the scope filters only: what the tabs count, so a tab's number
    is the dashboard's figure for the same unit, agency and period."""
    if not (filterset.is_bound and filterset.is_valid()):
        return visible, {}
    queryset, params = visible, {}
    for name in SCOPE_FILTERS:
        value = filterset.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        queryset = filterset.filters[name].filter(queryset, value)
        params[name] = filterset.data.get(name)
    return queryset, params


def _list_tabs(request, filterset, counts, scope_params):
    """The quick-filter tabs with their counts over the scope; a tab is active when the list shows exactly
    its filter, whether it came from the tab or from the dashboard's `measure` drill-down."""
    get = request.GET
    measure, status = get.get("measure"), get.get("status")

    def url(**params):
        return "?" + urlencode({**scope_params, **params})

    tabs = [
        (
            "all",
            _("All"),
            counts.get("total"),
            url(),
            "light",
            not any(
                get.get(key)
                for key in ("awaiting", "overdue", "due_soon", "status", "flagged", "measure", "q", "batch")
            ),
        ),
        (
            "awaiting",
            _("Awaiting answer"),
            counts["awaiting"],
            url(awaiting="on", sort="due"),
            "light",
            bool(get.get("awaiting")),
        ),
        (
            "overdue",
            _("Overdue"),
            counts["overdue"],
            url(overdue="on", sort="due"),
            "danger",
            bool(get.get("overdue")) or measure == "overdue",
        ),
        (
            "due_soon",
            _("Due soon"),
            counts["due_soon"],
            url(due_soon="on", sort="due"),
            "warning",
            bool(get.get("due_soon")),
        ),
        (
            "reanswer",
            _("Re-answer requested"),
            counts["reanswer"],
            url(status=Status.REANSWER, sort="due"),
            "warning",
            status == Status.REANSWER or measure == "reanswer_requested",
        ),
        ("returned", _("Returned"), None, url(status=Status.RETURNED), "light", status == Status.RETURNED),
        ("flagged", _("Flagged for supervision"), None, url(flagged="on"), "light", bool(get.get("flagged"))),
    ]
    return [
        {"key": key, "label": label, "count": count, "url": href, "tone": tone, "active": active}
        for key, label, count, href, tone, active in tabs
    ]


def _shorten(text, length):
    """`truncatechars`: its per-character loop runs only for the texts that are longer than `length`."""
    return text if len(text) <= length else Truncator(text).chars(length)


def _list_rows(user, petitions, today, highlight=()):
    """What each row of the list shows, worked out here once per row (labels, badge colour, link, dates,
    shortened texts, flags): the template only prints dictionary entries, where an included template per
    badge, two URL reversals, lazy choice labels, date filters, `truncatechars` loops and model attribute
    lookups per row used to be most of the page's CPU."""
    status_labels = {code: str(label) for code, label in Status.choices}
    field_labels = {code: str(label) for code, label in Field.choices}
    agency = agency_of(user)
    may_bulk_forward = permissions.can_create(user) and agency is not None
    rows = []
    for petition in petitions:
        reference = petition.reference
        status = petition.status
        due_date = petition.due_date
        selectable = may_bulk_forward and permissions.can_forward(user, petition)
        lead = petition.lead_agency
        rows.append(
            {
                "pk": petition.pk,
                "reference": reference,
                "select_label": _("Select %(ref)s") % {"ref": reference} if selectable else "",
                "url": reverse("voters:detail", args=[petition.pk]),
                "primary": Petition.reference_for(petition.primary_id) if petition.primary_id else "",
                "received": vn_date(petition.received_on),
                "content": highlighted(_shorten(petition.content, 160), highlight),
                "voter": petition.voter_name if permissions.can_see_personal_data(user, petition) else "",
                "place": petition.locality or (petition.commune.name if petition.commune_id else ""),
                "meeting": _shorten(petition.meeting.title, 60) if petition.meeting_id else "",
                "status": status_labels.get(status, status),
                "tone": status_tone(status),
                "field": field_labels.get(petition.field, petition.field),
                "lead": (lead.short_name or lead.name) if lead is not None else "",
                "due": vn_date(due_date),
                "overdue": petition.is_overdue(today),
                "flagged": petition.flagged_for_supervision,
                "selectable": selectable,
            }
        )
    return rows


@login_required
@require_GET
def petition_filter_choices(request, name):
    """The type-ahead of the list's unit, agency and meeting filters: JSON `{"results": [{"id", "text"}],
    "more"}`, the choices of the same querysets the filter validates against (the user's visible units,
    pickable agencies, visible intake meetings) whose name contains the typed words."""
    if name not in TYPEAHEAD_LABELS:
        raise Http404
    filterset = PetitionFilter(None, queryset=Petition.objects.none(), user=request.user)
    queryset = filterset.choice_queryset(name)
    extra = ("starts_at",) if name == "meeting" else ()
    rows, more = choice_search(queryset, TYPEAHEAD_LABELS[name], request.GET.get("q", ""), extra=extra)
    results = []
    for pk, label, *details in rows:
        text = f"{label} · {vn_date(details[0])}" if details and details[0] else label
        results.append({"id": pk, "text": text})
    return JsonResponse({"results": results, "more": more})


@login_required
@require_GET
def petition_detail_view(request, pk):
    petition = petition_detail(request.user, pk)
    today = timezone.localdate()
    forwardings = list(petition.forwardings.all())
    return render(
        request,
        "voters/petition_detail.html",
        {
            "petition": petition,
            "personal": permissions.can_see_personal_data(request.user, petition),
            "actions": permissions.actions_for(request.user, petition),
            "forwardings": forwardings,
            "current_forwarding": next((item for item in reversed(forwardings) if item.returned_at is None), None),
            "answers": list(petition.answers.all()),
            "evaluations": list(petition.evaluations.all()),
            "duplicates": list(petition.duplicates.all()),
            "events": petition_timeline(petition),
            "overdue": petition.is_overdue(today),
            "due_soon": petition.is_due_soon(today),
            "today": today,
        },
    )


@login_required
def petition_create_view(request):
    ensure(permissions.can_create(request.user))
    agency = agency_of(request.user)
    initial = {}
    if request.method == "GET" and request.GET.get("meeting"):
        initial["meeting"] = request.GET["meeting"]
    form = PetitionForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        suggestion = form.pop_suggestion(data)
        try:
            petition = services.petition_create(
                actor=request.user, originating_agency=agency, suggestion=suggestion, **data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Petition %(ref)s recorded.") % {"ref": petition.reference})
            if _receipts_keep(request, [petition]):
                return redirect("voters:receipt", pk=petition.pk)
            return redirect("voters:detail", pk=petition.pk)
    return render(request, "voters/petition_form.html", {"form": form})


@login_required
@require_GET
def petition_similar(request):
    """htmx fragment: existing petitions resembling the text being typed."""
    agency = agency_of(request.user)
    if agency is None:
        return HttpResponse("")
    exclude = request.GET.get("exclude")
    if len(request.GET.get("content", "").strip()) < 8:
        return render(request, "voters/_similar.html", {"too_short": True})
    rows = similar_petitions(unit=agency.unit, text=request.GET.get("content", ""), exclude_pk=query_id(exclude))
    return render(request, "voters/_similar.html", {"similar": rows})


def _batch_rows(formset):
    return [
        {name: value for name, value in row.items() if name != "DELETE"}
        for row in (form.cleaned_data for form in formset.forms)
        if row and (row.get("content") or "").strip()
    ]


@login_required
def petition_batch_intake(request):
    ensure(permissions.can_create(request.user))
    agency = agency_of(request.user)
    meeting_id = request.GET.get("meeting")
    initial = {}
    meeting_not_yet = None
    if meeting_id and meeting_id.isdigit():
        meeting = get_object_or_404(Meeting.objects.filter(unit=agency.unit), pk=meeting_id)
        if meeting_takes_petitions_yet(meeting):
            initial = {
                "meeting": meeting.pk,
                "received_on": timezone.localtime(meeting.starts_at).date(),
                "source": "reception" if meeting.kind == "citizen_reception" else "meeting",
            }
        else:
            # Not offered in the meeting list before the day it is held: say so rather than drop it silently.
            day = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y")
            meeting_not_yet = {"title": meeting.title, "day": day}
    if request.method == "POST":
        header = BatchHeaderForm(request.POST, agency=agency, prefix="batch")
        formset = BatchRowFormSet(request.POST, prefix="rows")
        if header.is_valid() and formset.is_valid():
            rows = _batch_rows(formset)
            # Rows that repeat another row or a petition of the unit are shown first and saved only when asked;
            # a batch sent again (a double click) was checked the first time and finds its own rows.
            batch_key = header.cleaned_data["batch_key"]
            keys = [services.batch_row_key(batch_key, 0)] + [row["client_key"] for row in rows if row.get("client_key")]
            resent = Petition.objects.filter(idempotency_key__in=keys).exists()
            if not request.POST.get("confirm_duplicates") and not resent:
                duplicates = batch_duplicates(
                    unit=agency.unit,
                    rows=[
                        (index, form.cleaned_data["content"])
                        for index, form in enumerate(formset.forms)
                        if (form.cleaned_data.get("content") or "").strip()
                    ],
                )
                if duplicates:
                    for index, form in enumerate(formset.forms):
                        form.duplicates = duplicates.get(index)
                    context = {"header": header, "formset": formset, "duplicate_count": len(duplicates)}
                    return render(request, "voters/batch_intake.html", context)
            try:
                created = services.petition_batch_create(
                    actor=request.user,
                    rows=rows,
                    received_on=header.cleaned_data["received_on"],
                    source=header.cleaned_data["source"],
                    meeting=header.cleaned_data["meeting"],
                    batch_key=header.cleaned_data["batch_key"],
                )
            except ValidationError as error:
                form_errors_from(header, error)
            else:
                messages.success(request, _("%(count)s petitions recorded.") % {"count": len(created)})
                query = f"?meeting={header.cleaned_data['meeting'].pk}" if header.cleaned_data["meeting"] else ""
                if _receipts_keep(request, created, back=f"{_list_url()}{query}"):
                    return redirect("voters:intake_receipts")
                return redirect(f"{_list_url()}{query}")
    else:
        header = BatchHeaderForm(agency=agency, prefix="batch", initial=initial)
        formset = BatchRowFormSet(prefix="rows")
    context = {"header": header, "formset": formset, "meeting_not_yet": meeting_not_yet}
    return render(request, "voters/batch_intake.html", context)


def _list_url():
    from django.urls import reverse

    return reverse("voters:list")


# The lookup codes issued at intake wait in the clerk's session for the one page that shows them (the receipt, or
# the list of a batch's or an import's receipts), which takes them out: shown once, never stored in clear anywhere
# else, never logged. A code not printed then is lost: the petition page's "Receipt" button issues a new one.
INTAKE_RECEIPTS = "voters.intake_receipts"


def _receipts_keep(request, petitions, back=None):
    """Keep the codes of the petitions just created for the next page; False when none has one (all resent)."""
    codes = [[petition.pk, petition.receipt_code] for petition in petitions if getattr(petition, "receipt_code", None)]
    if not codes:
        request.session.pop(INTAKE_RECEIPTS, None)
        return False
    request.session[INTAKE_RECEIPTS] = {"codes": codes, "back": back or _list_url()}
    return True


def _receipts_take(request):
    return request.session.pop(INTAKE_RECEIPTS, None) or {"codes": [], "back": _list_url()}


@login_required
@require_GET
def petition_intake_receipts(request):
    """The receipts of the petitions just recorded by a batch or an import: references and lookup codes, printable,
    shown once (taken out of the session by this page)."""
    kept = _receipts_take(request)
    rows = [(Petition.reference_for(pk), code) for pk, code in kept["codes"]]
    response = render(
        request,
        "voters/intake_receipts.html",
        {
            "rows": rows,
            "back": kept["back"],
            "lookup_url": request.build_absolute_uri(reverse("public:lookup")),
            "agency": agency_of(request.user),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _action(request, pk, allowed, form_class, service, template, form_kwargs=None, success=None, initial=None):
    """One action page: fetch and authorize, validate, call the service, redirect; a conflict or a
    rule violation re-renders the form with the user's input kept."""
    petition = petition_detail(request.user, pk)
    ensure(allowed(request.user, petition))
    form_kwargs = form_kwargs(petition) if form_kwargs else {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        # After a conflict the form's version moves on: the next submit is a deliberate choice.
        if form.is_valid() and call_service_into_form(
            form, service, conflict_instance=petition, petition=petition, data=form.cleaned_data
        ):
            if success:
                messages.success(request, success)
            return redirect("voters:detail", pk=petition.pk)
    else:
        form = form_class(initial=initial(petition) if initial else {"version": petition.version}, **form_kwargs)
    return render(
        request,
        template,
        {
            "petition": petition,
            "form": form,
            "personal": permissions.can_see_personal_data(request.user, petition),
            "answers": list(petition.answers.all()),
            "duplicates": list(petition.duplicates.all()),
        },
    )


@login_required
def petition_classify_view(request, pk):
    def service(petition, data):
        services.petition_classify(
            actor=request.user,
            petition=petition,
            field=data["field"],
            kind=data["kind"],
            competence_level=data["competence_level"],
            version=data["version"],
        )

    return _action(
        request,
        pk,
        permissions.can_classify,
        ClassifyForm,
        service,
        "voters/action_classify.html",
        initial=lambda petition: {
            "version": petition.version,
            "field": petition.field,
            "kind": petition.kind,
            "competence_level": petition.competence_level,
        },
        success=_("Petition classified."),
    )


def _forward_view(request, pk, allowed, service_function, template, success):
    def service(petition, data):
        service_function(
            actor=request.user,
            petition=petition,
            agency=data["agency"],
            supporting_agencies=list(data["supporting_agencies"]),
            dispatch_number=data["dispatch_number"],
            dispatch_date=data["dispatch_date"],
            due_date=data.get("due_date"),
            version=data["version"],
        )

    def kwargs(petition):
        return {"petition": petition, "may_set_due_date": permissions.can_set_due_date(request.user, petition)}

    return _action(request, pk, allowed, ForwardForm, service, template, form_kwargs=kwargs, success=success)


@login_required
def petition_forward_view(request, pk):
    return _forward_view(
        request,
        pk,
        permissions.can_forward,
        services.petition_forward,
        "voters/action_forward.html",
        _("Petition forwarded."),
    )


@login_required
def petition_reforward_view(request, pk):
    return _forward_view(
        request,
        pk,
        permissions.can_reforward,
        services.petition_reforward,
        "voters/action_forward.html",
        _("Petition forwarded again; the due date restarts."),
    )


@login_required
def petition_return_view(request, pk):
    def service(petition, data):
        services.petition_return(actor=request.user, petition=petition, reason=data["reason"], version=data["version"])

    return _action(
        request,
        pk,
        permissions.can_return,
        ReturnForm,
        service,
        "voters/action_return.html",
        success=_("Petition returned to the office that forwarded it."),
    )


@login_required
def petition_answer_view(request, pk):
    def service(petition, data):
        services.petition_answer(
            actor=request.user,
            petition=petition,
            version=data["version"],
            text=data["text"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            outcome=data["outcome"],
            plan=data["plan"],
            target_date=data["target_date"],
            attachments=data["attachments"],
        )

    return _action(
        request,
        pk,
        permissions.can_answer,
        AnswerForm,
        service,
        "voters/action_answer.html",
        form_kwargs=lambda petition: {"petition": petition},
        success=_("Answer recorded."),
    )


@login_required
def petition_evaluate_view(request, pk):
    def service(petition, data):
        services.petition_evaluate(
            actor=request.user,
            petition=petition,
            result=data["result"],
            comment=data["comment"],
            version=data["version"],
        )

    return _action(
        request,
        pk,
        permissions.can_evaluate,
        EvaluateForm,
        service,
        "voters/action_evaluate.html",
        success=_("Evaluation recorded."),
    )


def _selected_ids(request):
    values = request.GET.getlist("ids") + request.POST.get("ids", "").split(",")
    return sorted({int(value) for value in values if value.strip().isdigit()})


@login_required
def petition_bulk_forward_view(request):
    """Forward the petitions ticked on the list (typically one meeting's) under one dispatch."""
    ids = _selected_ids(request)
    petitions = list(
        permissions.petitions_visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("unit__parent", "originating_agency", "meeting")
        .order_by("received_on", "id")
    )
    petitions = [petition for petition in petitions if permissions.can_forward(request.user, petition)]
    if not petitions:
        messages.warning(request, _("None of the selected petitions can be forwarded by you."))
        return redirect("voters:list")
    first = petitions[0]
    may_set_due_date = permissions.can_set_due_date(request.user, first)
    initial = {"ids": ",".join(str(petition.pk) for petition in petitions)}
    form = BulkForwardForm(request.POST or None, petition=first, may_set_due_date=may_set_due_date, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form,
            services.petition_bulk_forward,
            actor=request.user,
            petitions=petitions,
            agency=form.cleaned_data["agency"],
            supporting_agencies=list(form.cleaned_data["supporting_agencies"]),
            dispatch_number=form.cleaned_data["dispatch_number"],
            dispatch_date=form.cleaned_data["dispatch_date"],
            due_date=form.cleaned_data.get("due_date"),
        )
    ):
        messages.success(request, _("%(count)s petitions forwarded.") % {"count": len(petitions)})
        return redirect("voters:list")
    return render(request, "voters/bulk_forward.html", {"form": form, "petitions": petitions})


@login_required
@require_POST
def petition_acknowledge_view(request, pk):
    petition = petition_detail(request.user, pk)
    ensure(permissions.can_acknowledge(request.user, petition))
    services.petition_acknowledge(actor=request.user, petition=petition)
    messages.success(request, _("Receipt acknowledged."))
    return redirect("voters:detail", pk=petition.pk)


@login_required
@require_POST
def petition_close_view(request, pk):
    petition = petition_detail(request.user, pk)
    ensure(permissions.can_close(request.user, petition))
    try:
        services.petition_close(actor=request.user, petition=petition, version=request.POST.get("version"))
    except services.PetitionConflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("Petition closed."))
    return redirect("voters:detail", pk=petition.pk)


@login_required
@require_POST
def petition_publish_view(request, pk, action):
    """Publish the answer on the citizens' pages, or withdraw it (`action`: "publish" or "unpublish")."""
    if action not in ("publish", "unpublish"):
        raise Http404
    petition = petition_detail(request.user, pk)
    ensure(permissions.can_publish(request.user, petition))
    service = services.petition_answer_publish if action == "publish" else services.petition_answer_unpublish
    try:
        service(actor=request.user, petition=petition, version=request.POST.get("version"))
    except services.PetitionConflict as conflict:
        messages.error(request, str(conflict))
    else:
        if action == "publish":
            messages.success(request, _("The answer is published on the public pages, with personal data masked."))
        else:
            messages.success(request, _("The answer was withdrawn from the public pages."))
    return redirect("voters:detail", pk=petition.pk)


@login_required
def petition_receipt_view(request, pk):
    """The receipt (phiếu tiếp nhận): issuing it makes a new lookup code, shown on this printable page only once."""
    petition = petition_detail(request.user, pk)
    ensure(permissions.can_issue_receipt(request.user, petition))
    code = None
    if request.method == "POST":
        code = services.petition_receipt_issue(actor=request.user, petition=petition)
    elif INTAKE_RECEIPTS in request.session:
        # Right after the single form: the code issued at intake, shown here once.
        kept = _receipts_take(request)
        code = next((item for pk, item in kept["codes"] if pk == petition.pk), None)
    response = render(
        request,
        "voters/receipt.html",
        {"petition": petition, "code": code, "lookup_url": request.build_absolute_uri(reverse("public:lookup"))},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def petition_group_view(request, pk):
    petition = petition_detail(request.user, pk)
    ensure(permissions.can_group(request.user, petition))
    similar = similar_petitions(unit=petition.unit, text=petition.content, exclude_pk=petition.pk, limit=10)
    suggestions = [row for row, _score in similar if row.primary_id != petition.pk]
    scores = {row.pk: score for row, score in similar}
    form = GroupForm(request.POST or None, petition=petition, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.petition_group_duplicates(
                actor=request.user, primary=petition, members=form.cleaned_data["all_members"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may group only petitions your office received and that are not answered."))
        else:
            messages.success(request, _("%(count)s petition(s) grouped.") % {"count": len(result.members)})
            return redirect("voters:detail", pk=petition.pk)
    return render(request, "voters/action_group.html", {"petition": petition, "form": form, "scores": scores})


@login_required
@require_POST
def petition_ungroup_view(request, pk):
    petition = petition_detail(request.user, pk)
    ensure(petition.primary_id is not None and permissions.can_group(request.user, petition))
    services.petition_ungroup(actor=request.user, petition=petition)
    messages.success(request, _("Petition taken out of its group."))
    return redirect("voters:detail", pk=petition.pk)


@login_required
def petition_import_view(request):
    ensure(permissions.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.petition_import_xlsx(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if report.ok:
                messages.success(request, _("%(count)s petitions imported.") % {"count": len(report.created)})
                if _receipts_keep(request, report.created):
                    return redirect("voters:intake_receipts")
                return redirect("voters:list")
    return render(
        request,
        "voters/import.html",
        {"form": form, "report": report, "columns": COLUMNS, "max_rows": MAX_ROWS},
    )


@login_required
@require_GET
def petition_import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-kien-nghi-cu-tri.xlsx"'
    return response


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(AnswerAttachment.objects.select_related("answer__petition"), pk=pk)
    petition = permissions.petition_get_for(request.user, attachment.answer.petition_id)
    ensure(permissions.can_see_personal_data(request.user, petition))
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
