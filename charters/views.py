"""Pages of charters, their articles and duties, and the work programme (thin: authorize, validate, call a service)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from coordination.audit import audit_events_for
from coordination.choices import Choices, choices_response
from coordination.forms import call_service_into_form, form_errors_from
from coordination.models import PARTY_KINDS, AdministrativeUnit, Term
from coordination.permissions import (
    ensure,
    ensure_unit_visible,
    is_site_admin,
    membership_of,
    pickable_agencies,
    visible_unit_ids,
)
from coordination.query import query_year
from coordination.text import fold

from . import forms, selectors, services
from .importing import COLUMNS as IMPORT_COLUMNS
from .importing import MAX_ROWS as IMPORT_MAX_ROWS
from .importing import template_workbook
from .models import Article, CharterStatus, Obligation, Task, TaskOrigin, TaskStatus
from .permissions import (
    can_change_status,
    can_change_task,
    can_create_charter,
    can_create_task,
    can_edit_charter,
    can_edit_obligations,
    can_generate_tasks,
    can_manage_programmes,
    can_upload_scan,
    charter_for,
    may_write_charter,
    programme_for,
    task_for,
    visible_charters,
)
from .symbols import number_taken_warning, symbol_warnings

PAGE_SIZE = 25
URL_SENTINEL = 987654321987  # reversed once per page, then replaced by each row's id
PARTY_ORDER = ["HDND", "UBND", "MTTQ", "DBQH"]
# Filters carried by the links of the leaders' dashboard (hidden fields of the task filter form).
DRILL_DOWN_FILTERS = ("unit", "responsible_agency", "article", "state", "due_from", "due_to")
ARTICLE_BLANK_ROWS = 3


def _today():
    return timezone.localdate()


def _visible_units(user):
    """Units offered by the list filter: the visible ones that have charters (a province sees its communes)."""
    units = AdministrativeUnit.objects.filter(charters__isnull=False).distinct().order_by("level", "name")
    ids = visible_unit_ids(user)
    return units if ids is None else units.filter(pk__in=ids)


# --- Charters ------------------------------------------------------------------------------------------------


@login_required
def charter_list(request):
    user = request.user
    units = _visible_units(user)
    form = forms.CharterFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.charter_list(
        user=user,
        unit=filters.get("unit").pk if filters.get("unit") else None,
        term=filters.get("term").pk if filters.get("term") else None,
        status=filters.get("status") or None,
        query=filters.get("q") or "",
        today=_today(),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page_obj": page,
        "charters": page.object_list,
        "can_create": can_create_charter(user),
        "filtered": any(filters.values()) if filters else False,
    }
    return render(request, "charters/charter_list.html", context)


def _charter_form_context(request, *, charter=None):
    user = request.user
    admin = is_site_admin(user)
    membership = membership_of(user)
    if charter is not None:
        unit_ids = [charter.unit_id]
    elif admin:
        unit_ids = None
    else:
        unit_ids = [membership.agency.unit_id]
    # The signing bodies of the charter's unit (a new charter: of the member's own unit).
    agencies = pickable_agencies(user, unit=charter.unit_id if charter else None, own_unit=True, kinds=PARTY_KINDS)
    others = visible_charters(user).select_related("unit").order_by("unit__name", "-effective_from")
    if unit_ids is not None:
        others = others.filter(unit_id__in=unit_ids)
    if charter is not None:
        others = others.exclude(pk=charter.pk)
    return {
        "agencies": agencies,
        # An article shares the work between the signing bodies; departments come in through duties and tasks.
        "article_agencies": agencies,
        "others": others,
        "show_unit": admin and charter is None,
        "units": AdministrativeUnit.objects.filter(agencies__kind__in=PARTY_KINDS).distinct(),
        "default_unit": membership.agency.unit if membership else None,
        "charter": charter,
    }


def _build_charter_forms(request, setup, *, initial=None, parties_initial=None, articles_initial=None):
    data = request.POST if request.method == "POST" else None
    if data is not None:
        # Rows equal to their initial values would count as "unchanged" and be skipped: initial is for display only.
        parties_initial = articles_initial = None
    # A new charter offers the agencies of the member's unit, the site administrator's any in the country: past
    # TYPEAHEAD_OVER they are type-ahead fields (`charters:choices`); a charter's edit keeps its unit's few.
    new = setup.get("charter") is None
    party_url = reverse("charters:choices", args=["party"]) if new else None
    form = forms.CharterForm(
        data,
        initial=initial,
        units=setup["units"],
        charters=setup["others"],
        show_unit=setup["show_unit"],
        choices_url=reverse("charters:choices", args=["unit"]) if new else None,
    )
    parties = forms.PartyFormSet(
        data,
        prefix="parties",
        initial=parties_initial,
        form_kwargs={"agencies": setup["agencies"], "choices_cache": {}, "choices_url": party_url},
    )
    articles = forms.ArticleFormSet(
        data,
        prefix="articles",
        initial=articles_initial,
        form_kwargs={
            "agencies": setup["article_agencies"],
            "choices_cache": {},
            "charter": setup.get("charter"),
            "choices_url": party_url,
        },
    )
    if data is None:
        parties.extra = forms.MAX_PARTIES - len(parties_initial or [])
        articles.extra = ARTICLE_BLANK_ROWS
    return form, parties, articles


def _warn_symbol(request, charter):
    for warning in symbol_warnings(charter.number):
        messages.warning(request, _("Number and symbol: %(warning)s") % {"warning": warning})
    taken = number_taken_warning(charter)
    if taken:
        messages.warning(request, taken)


@login_required
def charter_create(request):
    ensure(can_create_charter(request.user))
    setup = _charter_form_context(request)
    membership = membership_of(request.user)
    parties_initial = []
    if membership is not None:
        own = sorted(setup["agencies"].filter(unit=membership.agency.unit), key=lambda a: PARTY_ORDER.index(a.kind))
        parties_initial = [{"agency": agency} for agency in own]
    today = _today()
    current_term = Term.objects.filter(start_date__lte=today, end_date__gte=today).first()
    form, parties, articles = _build_charter_forms(
        request,
        setup,
        initial={"idempotency_token": forms.new_token(), "unit": setup["default_unit"], "term": current_term},
        parties_initial=parties_initial,
        # Seven numbered rows: the size of a typical charter, entered in one sitting (more can be added).
        articles_initial=[{"number": number} for number in range(1, 8)],
    )
    if request.method == "GET":
        articles.extra = 0
    if request.method == "POST" and form.is_valid() and parties.is_valid() and articles.is_valid():
        data = form.cleaned_data
        unit = data.get("unit") or membership.agency.unit
        try:
            charter = services.charter_create(
                actor=request.user,
                unit=unit,
                number=data["number"],
                title=data["title"],
                term=data["term"],
                signed_on=data.get("signed_on"),
                effective_from=data.get("effective_from"),
                supersedes=data.get("supersedes"),
                parties=parties.rows(),
                articles=articles.rows(),
                idempotency_token=data.get("idempotency_token") or None,
                **form.record_kwargs(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Charter %(number)s was saved as a draft.") % {"number": charter.number})
            _warn_symbol(request, charter)
            return redirect("charters:detail", pk=charter.pk)
    return render(
        request,
        "charters/charter_form.html",
        {"form": form, "parties": parties, "articles": articles, "charter": None},
    )


@login_required
def charter_edit(request, pk):
    charter = charter_for(request.user, pk, queryset=selectors.charter_detail_queryset(), action="edit")
    setup = _charter_form_context(request, charter=charter)
    initial = {
        "number": charter.number,
        "title": charter.title,
        "term": charter.term,
        "signed_on": charter.signed_on,
        "effective_from": charter.effective_from,
        "supersedes": charter.supersedes,
        **forms.CharterRecordForm.initial_for(charter),
    }
    parties_initial = [
        {"agency": link.agency, "signer_name": link.signer_name, "signer_position": link.signer_position}
        for link in charter.party_links.all()
    ]
    article_rows = selectors.charter_articles(charter, today=_today())
    articles_initial = [
        {
            "id": article.pk,
            "number": article.number,
            "title": article.title,
            "text": article.text,
            "area": article.area,
            "lead_agency": article.lead_agency,
            "supporting_agencies": list(article.supporting_agencies.all()),
        }
        for article in article_rows
    ]
    form, parties, articles = _build_charter_forms(
        request, setup, initial=initial, parties_initial=parties_initial, articles_initial=articles_initial
    )
    if request.method == "POST" and form.is_valid() and parties.is_valid() and articles.is_valid():
        data = form.cleaned_data
        # After a conflict the user overwrites consciously: the next save compares against the current version.
        if call_service_into_form(
            form,
            services.charter_update,
            conflict_instance=charter,
            actor=request.user,
            charter=charter,
            version=data.get("version"),
            number=data["number"],
            title=data["title"],
            term=data["term"],
            signed_on=data.get("signed_on"),
            effective_from=data.get("effective_from"),
            supersedes=data.get("supersedes"),
            parties=parties.rows(),
            articles=articles.rows(),
            **form.record_kwargs(),
        ):
            messages.success(request, _("The charter was saved."))
            _warn_symbol(request, charter)
            return redirect("charters:detail", pk=charter.pk)
    return render(
        request,
        "charters/charter_form.html",
        {"form": form, "parties": parties, "articles": articles, "charter": charter},
    )


@login_required
def charter_record(request, pk):
    """The signing conference, witnesses, listed areas and dissemination of a charter, at any status."""
    charter = charter_for(request.user, pk, queryset=selectors.charter_detail_queryset(), action="record")
    form = forms.CharterRecordForm(
        request.POST if request.method == "POST" else None, initial=forms.CharterRecordForm.initial_for(charter)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service_into_form(
            form,
            services.charter_record_update,
            conflict_instance=charter,
            actor=request.user,
            charter=charter,
            version=form.cleaned_data.get("version"),
            **form.record_kwargs(),
        )
    ):
        messages.success(request, _("The charter's record was saved."))
        return redirect("charters:detail", pk=charter.pk)
    return render(request, "charters/charter_record_form.html", {"form": form, "charter": charter})


@login_required
def charter_detail(request, pk):
    user = request.user
    charter = charter_for(user, pk, queryset=selectors.charter_detail_queryset())
    today = _today()
    years = selectors.charter_years(charter)
    year = query_year(request.GET.get("year"))  # none, or one no date can have (-1, 99999…): the whole term
    articles = selectors.charter_articles_compliance(charter, today=today, year=year)
    totals = {name: sum(getattr(article, name) for article in articles) for name in selectors.COMPLIANCE_COUNTS}
    context = {
        "charter": charter,
        "parties": charter.party_links.all(),
        "witnesses": charter.witnesses.all(),
        "listed_areas": charter.areas.all(),
        "has_own_areas": any(not area.in_catalogue for area in charter.areas.all()),
        "can_record": may_write_charter(user, charter),
        "articles": articles,
        "totals": totals,
        "year": year,
        "years": years,
        "meetings": selectors.charter_meetings(charter),
        "events": audit_events_for(charter, limit=50),
        "symbol_warnings": symbol_warnings(charter.number),
        "can_edit": can_edit_charter(user, charter),
        "can_edit_obligations": can_edit_obligations(user, charter),
        "can_change_status": can_change_status(user, charter),
        "can_upload_scan": can_upload_scan(user, charter),
        "can_generate": can_generate_tasks(user, charter),
        "scan_form": forms.ScanUploadForm(),
        "generate_form": forms.GenerateTasksForm(initial={"year": today.year}),
        "status_form": forms.StatusActionForm(initial={"on_date": today}),
        "today": today,
    }
    return render(request, "charters/charter_detail.html", context)


STATUS_ACTIONS = {
    "sign": (services.charter_sign, "signed_on", gettext_lazy("The charter was marked as signed.")),
    "in_force": (services.charter_bring_into_force, "effective_from", gettext_lazy("The charter is now in force.")),
    "expire": (services.charter_expire, "expired_on", gettext_lazy("The charter was marked as expired.")),
}


@login_required
@require_POST
def charter_status(request, pk, action):
    if action not in STATUS_ACTIONS:
        raise Http404
    charter = charter_for(request.user, pk, action="status")
    service, date_argument, done = STATUS_ACTIONS[action]
    form = forms.StatusActionForm(request.POST)
    on_date = form.cleaned_data.get("on_date") if form.is_valid() else None
    try:
        service(actor=request.user, charter=charter, **{date_argument: on_date})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("charters:detail", pk=charter.pk)


@login_required
@require_POST
def charter_scan_upload(request, pk):
    charter = charter_for(request.user, pk, action="scan")
    form = forms.ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.charter_scan_attach(actor=request.user, charter=charter, upload=form.cleaned_data["scan"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The signed scan was uploaded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("charters:detail", pk=charter.pk)


def _safe_filename(text, suffix):
    return (re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "document") + suffix


@login_required
def charter_scan_download(request, pk):
    charter = charter_for(request.user, pk)
    if not charter.scan:
        raise Http404
    response = FileResponse(
        charter.scan.open("rb"),
        as_attachment=True,
        filename=_safe_filename(f"quy-che-{charter.number}", ".pdf"),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def charter_generate_tasks(request, pk):
    charter = charter_for(request.user, pk, action="generate")
    form = forms.GenerateTasksForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid year."))
        return redirect("charters:detail", pk=charter.pk)
    year = form.cleaned_data["year"]
    try:
        counts = services.tasks_generate(charter=charter, year=year, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Work programme %(year)s: %(created)s tasks created, %(updated)s updated, %(cancelled)s cancelled.")
            % {"year": year, **counts},
        )
    return redirect(f"{reverse('charters:tasks')}?charter={charter.pk}&year={year}")


# --- Articles and duties ------------------------------------------------------------------------------------


@login_required
def article_detail(request, pk, article_pk):
    user = request.user
    charter = charter_for(user, pk, queryset=selectors.charter_detail_queryset())
    today = _today()
    article = get_object_or_404(selectors.charter_articles(charter, today=today), pk=article_pk)
    can_edit = can_edit_obligations(user, charter)
    agencies = pickable_agencies(user, unit=charter.unit)
    form = forms.ObligationForm(
        request.POST or None, agencies=agencies, initial={"responsible_agency": article.lead_agency}
    )
    if request.method == "POST":
        ensure(can_edit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.obligation_create(
                    actor=user,
                    article=article,
                    description=data["description"],
                    responsible_agency=data["responsible_agency"],
                    cadence=data["cadence"],
                    day_of_period=data.get("day_of_period") or 1,
                    month=data.get("month"),
                    deadline_rule=data.get("deadline_rule"),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The duty was added."))
                return redirect("charters:article", pk=charter.pk, article_pk=article.pk)
    tasks = Task.objects.filter(article=article).select_related("responsible_agency").order_by("-due_date", "-id")[:30]
    context = {
        "charter": charter,
        "article": article,
        "form": form,
        "can_edit": can_edit,
        "tasks": tasks,
        "today": today,
    }
    return render(request, "charters/article_detail.html", context)


@login_required
def obligation_edit(request, pk, obligation_pk):
    user = request.user
    charter = charter_for(user, pk, action="obligations")
    obligation = get_object_or_404(
        Obligation.objects.select_related("article", "article__charter"), pk=obligation_pk, article__charter=charter
    )
    agencies = pickable_agencies(user, unit=charter.unit)
    # The instance is bound only for display: on POST the service compares the stored values with the new ones.
    form = forms.ObligationEditForm(
        request.POST or None,
        instance=obligation if request.method == "GET" else None,
        agencies=agencies,
        initial={"version": obligation.version},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if call_service_into_form(
            form,
            services.obligation_update,
            conflict_instance=obligation,
            actor=user,
            obligation=obligation,
            version=version,
            **data,
        ):
            messages.success(
                request,
                _("The duty was saved. Generate the work programme again to update its open future tasks."),
            )
            return redirect("charters:article", pk=charter.pk, article_pk=obligation.article_id)
    return render(
        request, "charters/obligation_form.html", {"charter": charter, "obligation": obligation, "form": form}
    )


# --- Tasks ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def choices(request, name):
    """The type-ahead of the task list's agency filter: JSON rows of the agencies it would offer the user
    (`selectors.agencies_for_filter`) whose name contains the typed words."""
    user = request.user
    sources = {
        # The task list's agency filter.
        "agency": lambda: Choices(selectors.agencies_for_filter(user).select_related(None)),
        # A new task's responsible and supporting agencies; a new work programme's issuer.
        "task_agency": lambda: Choices(_task_form_choices(user)[0].select_related(None)),
        "issuer": lambda: Choices(_programme_issuers(user).select_related(None)),
        # A new charter's parties and articles' agencies; its unit (the site administrator's form).
        "party": lambda: Choices(_charter_choices(request)["agencies"].select_related(None)),
        "unit": lambda: Choices(_charter_choices(request)["units"].order_by("name")),
    }
    return choices_response(request, sources[name]() if name in sources else None)


def _charter_choices(request):
    """A new charter's choices, to whoever may write one (another user has no membership to scope them by)."""
    ensure(can_create_charter(request.user))
    return _charter_form_context(request)


def _programme_issuers(user):
    return pickable_agencies(user, own_unit=True)


@login_required
def task_list(request):
    user = request.user
    today = _today()
    years = list(range(today.year + 1, today.year - 4, -1))
    # Without filters the page is a work queue: the open tasks, the most urgent first.
    data = request.GET.copy()
    if not any(key != "page" for key in data):
        data["status"] = TaskStatus.OPEN
    form = forms.TaskFilterForm(data, agencies=selectors.agencies_for_filter(user), years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.task_list(
        user=user,
        agency=filters.get("agency").pk if filters.get("agency") else None,
        area=filters.get("area").pk if filters.get("area") else None,
        status=filters.get("status") or None,
        overdue=filters.get("overdue") or False,
        due_within=filters.get("due_within"),
        year=filters.get("year"),
        origin=filters.get("origin") or None,
        charter=filters.get("charter"),
        today=today,
        **{name: filters.get(name) for name in DRILL_DOWN_FILTERS},
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    detail_url = reverse("charters:task", args=[URL_SENTINEL])
    for task in tasks:  # one reverse() per page, not per row
        task.detail_url = detail_url.replace(str(URL_SENTINEL), str(task.pk))
    charter = None
    if filters.get("charter"):
        charter = visible_charters(user).filter(pk=filters["charter"]).first()
    context = {
        "filter_form": form,
        "drill_down": any(filters.get(name) not in (None, "") for name in DRILL_DOWN_FILTERS),
        "page_obj": page,
        "tasks": tasks,
        "today": today,
        "can_create": can_create_task(user),
        "filtered": any(key != "page" for key in request.GET),
        "charter": charter,
    }
    return render(request, "charters/task_list.html", context)


def _task_form_choices(user, unit=None):
    # A task's agencies: those of its unit (a new task: of the member's own unit).
    agencies = pickable_agencies(user, unit=unit, own_unit=True)
    articles = (
        Article.objects.filter(charter__status__in=[CharterStatus.IN_FORCE, CharterStatus.SIGNED])
        .select_related("charter")
        .order_by("charter__number", "number")
    )
    ids = visible_unit_ids(user)
    if unit is not None:
        articles = articles.filter(charter__unit=unit)
    elif ids is not None:
        membership = membership_of(user)
        articles = articles.filter(charter__unit_id=membership.agency.unit_id if membership else None)
    return agencies, articles


@login_required
def task_create(request):
    user = request.user
    ensure(can_create_task(user))
    agencies, articles = _task_form_choices(user)
    form = forms.TaskForm(
        request.POST or None,
        agencies=agencies,
        articles=articles,
        choices_url=reverse("charters:choices", args=["task_agency"]),
        initial={
            "idempotency_token": forms.new_token(),
            "responsible_agency": getattr(membership_of(user), "agency", None),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = membership_of(user)
        unit = membership.agency.unit if membership else data["responsible_agency"].unit
        try:
            task = services.task_create(
                actor=user,
                unit=unit,
                title=data["title"],
                responsible_agency=data["responsible_agency"],
                supporting_agencies=list(data.get("supporting_agencies") or ()),
                due_date=data["due_date"],
                origin=data["origin"],
                area=data.get("area"),
                article=data.get("article"),
                idempotency_token=data.get("idempotency_token") or None,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The task was created."))
            return redirect("charters:task", pk=task.pk)
    return render(request, "charters/task_form.html", {"form": form, "task": None})


@login_required
def task_edit(request, pk):
    user = request.user
    task = task_for(user, pk, queryset=selectors.task_detail_queryset(), action="change")
    agencies, articles = _task_form_choices(user, unit=task.unit)
    initial = {
        "title": task.title,
        "responsible_agency": task.responsible_agency,
        "supporting_agencies": list(task.supporting_agencies.all()),
        "due_date": task.due_date,
        "area": task.area,
        "article": task.article,
        "version": task.version,
    }
    form = forms.TaskForm(request.POST or None, agencies=agencies, articles=articles, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if call_service_into_form(
            form,
            services.task_update,
            conflict_instance=task,
            actor=user,
            task=task,
            version=data.pop("version"),
            supporting_agencies=list(data.pop("supporting_agencies") or ()),
            **{name: data[name] for name in services.TASK_FIELDS if name in data},
        ):
            messages.success(request, _("The task was saved."))
            return redirect("charters:task", pk=task.pk)
    return render(request, "charters/task_form.html", {"form": form, "task": task})


@login_required
def task_detail(request, pk):
    user = request.user
    task = task_for(user, pk, queryset=selectors.task_detail_queryset())
    today = _today()
    can_change = can_change_task(user, task)
    complete_form = forms.TaskCompleteForm(initial={"completed_on": today, "version": task.version})
    cancel_form = forms.TaskCancelForm(initial={"version": task.version})
    if request.method == "POST":
        ensure(can_change)
        action = request.POST.get("action")
        if action == "complete":
            complete_form = forms.TaskCompleteForm(request.POST, request.FILES)
            form, call = complete_form, services.task_complete
        elif action == "cancel":
            cancel_form = forms.TaskCancelForm(request.POST)
            form, call = cancel_form, services.task_cancel
        else:
            raise Http404
        if form.is_valid() and call_service_into_form(form, call, actor=user, task=task, **form.cleaned_data):
            if action == "complete":
                on_time = task.completed_on <= task.due_date
                messages.success(request, _("Marked as done on time.") if on_time else _("Marked as done (late)."))
            else:
                messages.success(request, _("The task was cancelled."))
            return redirect("charters:task", pk=task.pk)
    context = {
        "task": task,
        "today": today,
        "can_change": can_change,
        "complete_form": complete_form,
        "cancel_form": cancel_form,
        "events": audit_events_for(task, limit=50),
        "is_open": task.status == TaskStatus.OPEN,
    }
    return render(request, "charters/task_detail.html", context)


@login_required
def task_evidence_download(request, pk):
    task = task_for(request.user, pk)
    if not task.evidence_file:
        raise Http404
    ensure_unit_visible(request.user, task.unit_id)
    response = FileResponse(
        task.evidence_file.open("rb"),
        as_attachment=True,
        filename=_safe_filename(f"minh-chung-{task.pk}", ".pdf"),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Work programmes -----------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAMME_ITEM_STATES = ("done_on_time", "done_late", "pending", "overdue")


@login_required
def programme_list(request):
    user = request.user
    programmes = list(selectors.programme_list(user=user))
    membership = membership_of(user)
    can_create = is_site_admin(user) or bool(membership and can_manage_programmes(user, membership.agency.unit_id))
    return render(request, "charters/programme_list.html", {"programmes": programmes, "can_create": can_create})


@login_required
def programme_create(request):
    user = request.user
    membership = membership_of(user)
    ensure(is_site_admin(user) or bool(membership and can_manage_programmes(user, membership.agency.unit_id)))
    agencies = _programme_issuers(user)
    charters = visible_charters(user).exclude(status=CharterStatus.DRAFT).select_related("unit").order_by("-signed_on")
    if membership is not None and not is_site_admin(user):
        charters = charters.filter(unit_id=membership.agency.unit_id)
    form = forms.WorkProgrammeForm(
        request.POST or None,
        agencies=agencies,
        charters=charters,
        initial={"year": _today().year},
        choices_url=reverse("charters:choices", args=["issuer"]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.work_programme_create(
                actor=user,
                unit=data["issuer"].unit,
                year=data["year"],
                number=data["number"],
                issued_on=data["issued_on"],
                issuer=data["issuer"],
                title=data["title"],
                theme=data["theme"],
                charter=data["charter"],
                idempotency_token=data["idempotency_token"] or None,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Work programme recorded. Import its items from Excel."))
            return redirect("charters:programme_import", pk=programme.pk)
    return render(request, "charters/programme_form.html", {"form": form})


@login_required
def programme_detail(request, pk):
    user = request.user
    programme = programme_for(user, pk)
    today = _today()
    origin, state = request.GET.get("origin"), request.GET.get("state")
    origin = origin if origin in (TaskOrigin.PLANNED, TaskOrigin.ARISING) else None
    state = state if state in PROGRAMME_ITEM_STATES else None
    items = selectors.programme_items(programme, origin=origin, state=state, today=today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "charters/programme_detail.html",
        {
            "programme": programme,
            "figures": selectors.programme_figures(programme, today=today),
            "page_obj": page,
            "today": today,
            "origin": origin,
            "state": state,
            "can_import": can_manage_programmes(user, programme.unit_id),
        },
    )


@login_required
def programme_import(request, pk):
    user = request.user
    programme = programme_for(user, pk, action="import")
    form = forms.WorkProgrammeImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.work_programme_import_xlsx(
                actor=user, programme=programme, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if report.ok:
                messages.success(request, _("%(count)s items imported.") % {"count": len(report.created)})
                return redirect("charters:programme", pk=programme.pk)
    return render(
        request,
        "charters/programme_import.html",
        {
            "programme": programme,
            "form": form,
            "report": report,
            "columns": IMPORT_COLUMNS,
            "max_rows": IMPORT_MAX_ROWS,
        },
    )


@login_required
@require_GET
def programme_import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-chuong-trinh-cong-tac.xlsx"'
    return response
