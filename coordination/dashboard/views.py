"""The leaders' dashboard and its drill-down list of session documents."""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coordination.choices import choice_search
from coordination.models import Agency
from coordination.permissions import agency_of, ensure_unit_visible, filter_by_unit, visible_unit_ids

from .selectors import (
    AGENCY_COLUMNS,
    COMPARISON_COLUMNS,
    DOCUMENT_BEHIND,
    DOCUMENT_STATES,
    LOCALITY_COLUMNS,
    dashboard_cache_key,
    dashboard_figures,
    dashboard_scope,
    dashboard_units_queryset,
    parse_date,
    parse_int,
    session_documents,
)
from .waiting import KINDS, waiting_for

PAGE_SIZE = 50


def rate_tone(value, good=90, fair=70):
    """Colour cue of a percentage: green when good, amber when fair, red below, grey without data."""
    if value is None:
        return "secondary"
    return "success" if value >= good else "warning" if value >= fair else "danger"


def count_tone(value, bad="danger"):
    """Colour cue of a count of late things: green at zero, `bad` otherwise."""
    return "success" if not value else bad


def headline_cards(data, scope_text=""):
    """The eight figures a leader reads first, each with a colour cue, an icon and a one-line context
    (a count that also appears on a list or in the digest says its scope)."""
    petitions, tasks, meetings, documents = data["petitions"], data["tasks"], data["meetings"], data["documents"]
    days = petitions["average_working_days"]
    return [
        {
            "label": _("Petitions received"),
            "figure": petitions["received"],
            "tone": "primary",
            "icon": "chat-square-text",
            "context": format_html(
                _("{forwarded} forwarded, {answered} answered"),
                forwarded=petitions["forwarded"],
                answered=petitions["answered"],
            ),
        },
        {
            "label": _("Answered on time"),
            "kind": "percent",
            "percent": petitions["on_time_rate"],
            "figure": petitions["answered_on_time"],
            "tone": rate_tone(petitions["on_time_rate"]),
            "icon": "check2-circle",
            "context": format_html(_("on time of {answered} answered"), answered=petitions["answered"]),
        },
        {
            "label": _("Petitions overdue now"),
            "figure": petitions["overdue"],
            "tone": count_tone(petitions["overdue"].value),
            "icon": "exclamation-octagon",
            "context": format_html(_("due date passed, no answer yet · received, {scope}"), scope=scope_text),
        },
        {
            "label": _("Average time to answer"),
            "kind": "text",
            "text": formats.number_format(days, 1) if days is not None else "—",
            "unit": _("working days"),
            "tone": "secondary" if days is None else "primary",
            "icon": "hourglass-split",
            "context": _("from receipt to answer"),
        },
        {
            "label": _("Tasks overdue"),
            "figure": tasks["overdue"],
            "tone": count_tone(tasks["overdue"].value),
            "icon": "list-check",
            "context": format_html(_("{pending} open, not yet due"), pending=tasks["pending"]),
        },
        {
            "label": _("Tasks done on time"),
            "kind": "percent",
            "percent": tasks["on_time_rate"],
            "figure": tasks["done_on_time"],
            "tone": rate_tone(tasks["on_time_rate"]),
            "icon": "calendar-check",
            "context": format_html(_("on time, {late} late"), late=tasks["done_late"]),
        },
        {
            "label": _("Minutes missing"),
            "figure": meetings["minutes_missing"],
            "tone": count_tone(meetings["minutes_missing"].value, "warning"),
            "icon": "journal-x",
            "context": format_html(_("of {held} meetings held"), held=meetings["total"]),
        },
        {
            "label": _("Session documents late"),
            "figure": documents["late"],
            "tone": count_tone(documents["late_or_overdue"]),
            "icon": "file-earmark-excel",
            "context": format_html(_("{overdue} overdue, not delivered"), overdue=documents["overdue"]),
        },
    ]


NO_RATE = format_html('<span class="text-muted">{}</span>', "—")


def _rate_badge(value):
    if value is None:
        return NO_RATE
    tone = "success" if value >= 90 else "warning" if value >= 70 else "danger"
    return format_html('<span class="badge dash-rate text-bg-{}">{}%</span>', tone, value)


def _css(figure, flagged=""):
    return f"text-end {flagged}" if flagged and figure.value else "text-end"


DANGER, WARNING = "text-danger fw-semibold", "text-warning-emphasis fw-semibold"

# One format_html per row (a cell per call cost twice the time): every {} is escaped, Figures render
# themselves (an escaped link), rate badges are format_html already.
COMMUNE_ROW = (
    '<tr><th scope="row" class="fw-normal"><a href="?{}">{}</a></th><td class="text-end">{}</td>'
    '<td class="text-end">{}</td><td class="{}">{}</td><td class="text-end">{}</td><td class="{}">{}</td>'
    '<td class="text-end">{}</td><td class="{}">{}</td><td class="{}">{}</td></tr>'
)
AGENCY_ROW = (
    '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td><td class="text-end">{}{}</td>'
    '<td class="{}">{}</td><td class="text-end">{}{}</td><td class="{}">{}</td><td class="{}">{}</td></tr>'
)


def _commune_row(row):
    return (
        row["dashboard_query"],
        row["name"],
        row["petitions_received"],
        _rate_badge(row["petitions_on_time_rate"]),
        _css(row["petitions_overdue"], DANGER),
        row["petitions_overdue"],
        _rate_badge(row["tasks_on_time_rate"]),
        _css(row["tasks_overdue"], DANGER),
        row["tasks_overdue"],
        row["meetings_held"],
        _css(row["minutes_missing"], WARNING),
        row["minutes_missing"],
        _css(row["documents_late"], WARNING),
        row["documents_late"],
    )


def _agency_row(row, late_text):
    answered = ""
    if row["petitions_answered"].value:
        answered = format_html(
            ' <span class="text-muted small">({}/{})</span>', row["petitions_on_time"], row["petitions_answered"]
        )
    late = ""
    if row["tasks_done_late"].value:
        late = format_html(' <span class="text-muted small">(' + late_text + ")</span>", row["tasks_done_late"])
    return (
        row["name"],
        row["petitions_to_answer"],
        _rate_badge(row["petitions_on_time_rate"]),
        answered,
        _css(row["petitions_overdue"], DANGER),
        row["petitions_overdue"],
        _rate_badge(row["tasks_on_time_rate"]),
        late,
        _css(row["tasks_overdue"], DANGER),
        row["tasks_overdue"],
        _css(row["documents_late"], WARNING),
        row["documents_late"],
    )


def comparison_rows_html(rows, kind):
    """The body rows of a comparison table (partials/dashboard_comparison.html) as HTML. A province's page
    has ~100 communes x 9 cells: the template engine spent ~15 µs a cell, format_html a few. Names are
    escaped by format_html; figures render themselves (escaped links)."""
    if kind == "commune":
        return format_html_join("\n", COMMUNE_ROW, (_commune_row(row) for row in rows))
    # The translated "%(late)s late", its placeholder made a format_html one (the translation is trusted
    # markup, as in {% blocktranslate %}; the figure is escaped).
    late_text = _("%(late)s late").replace("{", "{{").replace("}", "}}").replace("%(late)s", "{}")
    return format_html_join("\n", AGENCY_ROW, (_agency_row(row, late_text) for row in rows))


# The query parameters the dashboard reads: the sort links keep these (and only these), and the cached panels
# of a scope are told apart by them.
SCOPE_PARAMS = ("unit", "agency", "year", "from", "to")
SORT_PARAMS = {"sort": AGENCY_COLUMNS, "csort": COMPARISON_COLUMNS, "lsort": LOCALITY_COLUMNS}


def page_params(request):
    """The page's own parameters from the query string, in a fixed order; a sort by no known column is left
    out (the table's default order applies)."""
    query = QueryDict(mutable=True)
    for name in SCOPE_PARAMS:
        if name in request.GET:
            query[name] = request.GET[name]
    for name, columns in SORT_PARAMS.items():
        value = request.GET.get(name, "")
        if value.lstrip("-") in columns or value.lstrip("-") == "name":
            query[name] = value
    return query


def sort_headers(params, param, columns, current, anchor):
    """Column headers of a sortable table: the link sorts by the column (descending first, then ascending)."""
    headers = []
    for key, label in [("name", None), *columns.items()]:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        target = key if (active and descending) or (not active and key == "name") else f"-{key}"
        query = params.copy()
        query[param] = target
        headers.append(
            {
                "key": key,
                "label": label,
                "url": f"?{query.urlencode()}#{anchor}",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    return headers


def panels_context(params, scope, data):
    """What partials/dashboard_panels.html shows of `data` (`dashboard_figures`)."""
    chart_labels = {
        "petitions_received": _("Received"),
        "petitions_on_time": _("Answered on time"),
        "petitions_late": _("Answered late"),
        "petitions_overdue": _("Overdue"),
        "tasks_done_on_time": _("Tasks done on time"),
        "tasks_done_late": _("Tasks done late"),
        "tasks_overdue": _("Tasks overdue"),
        "meetings_held": _("Meetings held"),
    }
    return {
        "scope": scope,
        "cards": headline_cards(data, scope.label),
        "agency_headers": sort_headers(params, "sort", AGENCY_COLUMNS, data["agency_sort"], "agencies"),
        "commune_headers": sort_headers(params, "csort", COMPARISON_COLUMNS, data["commune_sort"] or "", "communes"),
        "locality_headers": sort_headers(
            params, "lsort", LOCALITY_COLUMNS, data.get("locality_sort") or "", "localities"
        ),
        "chart": {**data["trend"]["chart"], "names": chart_labels},
        "agency_rows_html": comparison_rows_html(data["agencies"], "agency"),
        "commune_rows_html": comparison_rows_html(data["communes"] or [], "commune"),
        **data,
    }


@login_required
@require_GET
def dashboard(request):
    """The figures of the scope asked for. With the figures' cache on (`dashboard_cache_key`), the rendered
    panels are kept beside the figures under the same versioned key (a write, a summary refresh or a new day
    leaves both behind), one entry per language and sort order: a repeated view renders only the page around
    them. Without the cache (tests' default) the page is computed whole and its context holds every figure."""
    scope = dashboard_scope(request.user, request.GET)
    if scope is None:
        return render(request, "coordination/dashboard.html", {"scope": None})
    params = page_params(request)
    key = dashboard_cache_key(scope)
    panels_key = cached = None
    if key is not None:
        variant = (get_language(), get_script_prefix(), params.urlencode())
        panels_key = f"{key}:panels:" + hashlib.sha256(repr(variant).encode()).hexdigest()
        cached = cache.get(panels_key)
    context = {}
    if cached is None:
        data = dashboard_figures(
            scope,
            sort=params.get("sort"),
            commune_sort=params.get("csort"),
            locality_sort=params.get("lsort"),
            key=key,
        )
        context = panels_context(params, scope, data)
        cached = {
            # The template's own output (a SafeString, kept as one through the cache's pickling): every value in
            # it was escaped as it was rendered.
            "panels_html": get_template("partials/dashboard_panels.html").render(context),
            "computed_at": data["computed_at"],
            "petitions_as_of": data["petitions_as_of"],
        }
        if panels_key is not None:
            cache.set(panels_key, cached, settings.DASHBOARD_CACHE_SECONDS)
    # The years to choose: this year and the five before it (next year, which has no data yet, only when asked
    # for by the address).
    years = list(range(max(scope.today.year, scope.year or 0), scope.today.year - 6, -1))
    return render(request, "coordination/dashboard.html", {**context, **cached, "scope": scope, "years": years})


@login_required
@require_GET
def dashboard_unit_choices(request):
    """The type-ahead of the dashboard's unit: JSON `{"results": [{"id", "text"}], "more"}`, the units the user
    may choose (`dashboard_units_queryset`) whose name contains the typed words."""
    rows, more = choice_search(dashboard_units_queryset(request.user), "name", request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in rows], "more": more})


@login_required
@require_GET
def dashboard_documents(request):
    """Documents due before council sessions, filtered as the dashboard counts them (unit, due dates,
    responsible agency, state) — the list behind the dashboard's document figures."""
    today = timezone.localdate()
    unit_id = parse_int(request.GET.get("unit"))
    if unit_id is not None:
        ensure_unit_visible(request.user, unit_id)
        unit_ids = [unit_id]
    else:
        ids = visible_unit_ids(request.user)
        unit_ids = None if ids is None else list(ids)
    start, end = parse_date(request.GET.get("due_from")), parse_date(request.GET.get("due_to"))
    agency = None
    if parse_int(request.GET.get("agency")) is not None:
        agency = filter_by_unit(Agency.objects.all(), request.user).filter(pk=parse_int(request.GET["agency"])).first()
    queryset = session_documents(unit_ids=unit_ids, start=start, end=end, today=today, agency=agency)
    state = request.GET.get("state")
    if state in DOCUMENT_STATES:
        queryset = queryset.filter(db_state=state)
    elif state == "behind":
        queryset = queryset.filter(db_state__in=DOCUMENT_BEHIND)
    queryset = queryset.select_related("meeting", "meeting__unit", "responsible_agency").order_by("due_date", "id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/dashboard_documents.html",
        {"page": page, "documents": page.object_list, "state": state, "agency": agency, "start": start, "end": end},
    )


@login_required
def home(request):
    today = timezone.localdate()
    agency = agency_of(request.user) if request.user.is_authenticated else None
    items, counts, links = waiting_for(agency, today)
    kinds = [
        {"kind": kind, "label": label, "icon": icon, "count": counts[kind], "url": links[kind]}
        for kind, (label, icon, _tone) in KINDS.items()
        if counts.get(kind)
    ]
    return render(
        request,
        "coordination/home.html",
        {"waiting_items": items, "waiting_kinds": kinds, "waiting_agency": agency},
    )
