"""Figures of the leaders' dashboard: a fixed number of small queries per page, whatever the data size.

Every figure is a `Figure` carrying the URL of the list it counts (petitions, meetings, tasks, session
documents), built from the same scope (unit, period, agency) plus the measure's own filter. The
conditions come from the owning apps (`voters.selectors.petition_measure_q`, `charters.selectors.
task_state_q`, `meetings.selectors.minutes_missing_q`, `meetings.selectors.session_documents_due`): the
dashboard defines no "overdue" or "on time" of its own. It reads the apps only through their selectors
(the rows through `voters.selectors.petitions_received_between`, `charters.selectors.tasks_due_between`,
`meetings.selectors.meetings_starting_between`…), never their models (import contract
"aggregators-read-selectors").

Petitions (totals, by field, the monthly trend, the agency and commune comparisons, the average working
days to answer) are read from the summary when it was computed for today (`summary`: rebuilt by the beat
every 10 minutes, with the same conditions as the petition list), for any period: the monthly rows of its
whole months and the daily rows of the days at its ends (`_summary_grouped`); the page then says when it
was counted. A summary missing or for another day (a refresh is then queued) counts petitions live, on the
indexed (unit, received date) columns, and the page says so. Meetings, tasks and session
documents are always live: a unit's rows of a year are a few thousand at most, read through indexes.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from charters.selectors import TASK_STATES, task_state_q, tasks_due_between
from coordination.cache import figures_version
from coordination.deadlines import is_working_day
from coordination.models import AdministrativeUnit, Agency, PetitionDailySummary, PetitionMonthlySummary, Role
from coordination.permissions import ensure_unit_visible, is_site_admin, membership_of, visible_unit_ids
from coordination.query import query_date, query_int
from meetings.selectors import (
    VOTER_CONTACT_KINDS,
    MeetingKind,
    meetings_starting_between,
    minutes_missing_q,
    session_documents_due,
)
from supervision.selectors import supervision_figures
from voters.selectors import (
    PETITION_MEASURES,
    Field,
    petition_measure_q,
    petition_place,
    petitions_received_between,
    scope_label,
)

from .summary import SUMMED, summary_for_today

DOCUMENT_STATES = ("on_time", "late", "overdue", "pending")
# "Behind": delivered late or overdue (not delivered by the due date) — what the comparison tables rank.
DOCUMENT_BEHIND = ("late", "overdue")
MAX_TREND_MONTHS = 36
# Comparison columns: key → (label, whether a higher value is better). Sorting uses these keys.
COMPARISON_COLUMNS = {
    "petitions_received": _("Petitions received"),
    "petitions_on_time_rate": _("Answered on time (%)"),
    "petitions_overdue": _("Petitions overdue"),
    "tasks_on_time_rate": _("Tasks done on time (%)"),
    "tasks_overdue": _("Tasks overdue"),
    "meetings_held": _("Meetings held"),
    "minutes_missing": _("Minutes missing"),
    "documents_late": _("Documents late or overdue"),
}
# A province whose communes have no agencies of their own: its petitions by the commune they came from.
LOCALITY_COLUMNS = {
    "petitions_received": _("Petitions received"),
    "petitions_on_time_rate": _("Answered on time (%)"),
    "petitions_overdue": _("Petitions overdue"),
    "petitions_unsatisfactory": _("Answers judged unsatisfactory"),
    "petitions_reanswered_on_time": _("Re-answers on time"),
}
# Dashboard measure → the petition list's tab showing the same petitions.
LIST_TABS = {
    "overdue": {"overdue": "on", "sort": "due"},
    "reanswer_requested": {"status": "reanswer", "sort": "due"},
}
AGENCY_COLUMNS = {
    "petitions_to_answer": _("Petitions to answer"),
    "petitions_on_time_rate": _("Answered on time (%)"),
    "petitions_overdue": _("Petitions overdue"),
    "tasks_on_time_rate": _("Tasks done on time (%)"),
    "tasks_overdue": _("Tasks overdue"),
    "documents_late": _("Documents late or overdue"),
}


@dataclass(frozen=True)
class Figure:
    """A count and the URL of the list that shows what it counts; renders itself as a link (zero as plain text)."""

    value: int
    url: str = ""

    def __html__(self):
        # A page shows about a thousand figures: below 1,000 there is no grouping to do.
        value = self.value
        number = str(value) if -1000 < value < 1000 else formats.number_format(value, force_grouping=True)
        if value and self.url:
            return format_html('<a class="figure-link" href="{}">{}</a>', self.url, number)
        return escape(number)

    def __str__(self):
        return self.__html__()


def rate(part, whole):
    """Percentage rounded to a whole number, or None when there is nothing to divide."""
    part = part.value if isinstance(part, Figure) else part
    whole = whole.value if isinstance(whole, Figure) else whole
    return round(100 * part / whole) if whole else None


@dataclass
class Scope:
    """What the dashboard counts: a unit, a period of dates, optionally one agency, as of `today`."""

    unit: AdministrativeUnit
    start: datetime.date
    end: datetime.date
    today: datetime.date
    agency: Agency | None = None
    agency_forced: bool = False
    year: int | None = None
    units: list = field(default_factory=list)
    units_typeahead: bool = False  # the unit is chosen by typing (too many units for a drop-down)
    agencies: list = field(default_factory=list)
    # The `SummaryRefresh` the petition figures are read from; None: counted live (see `dashboard_figures`).
    summary: object = None
    # A date range typed that could not be used (the year is shown instead): why, and the text typed.
    range_error: str = ""
    range_typed: tuple | None = None

    @property
    def whole_months(self):
        """From the first day of a month to the last day of a month: what the petition summary can answer."""
        return self.start.day == 1 and self.end == _month_end(self.end.replace(day=1))

    # --- links to the lists, with the scope's filters and the measure's own ---------------------------
    def _url(self, name, params, keep=()):
        # What urlencode(params) gives, from memoized pieces: the page builds about a thousand links.
        query = "&".join(
            _query_pair(key, value)
            for key, value in params.items()
            if key in keep or not (value is None or value is False or value == "")
        )
        return f"{_path(name, get_script_prefix())}?{query}"

    def petition_url(self, unit=None, **extra):
        params = {
            "unit": (unit or self.unit).pk,
            "received_from": self.start.isoformat(),
            "received_to": self.end.isoformat(),
            "agency": self.agency.pk if self.agency and unit is None else None,
        }
        # The measures that are also a tab of the list land on that tab (same definition), so the tab and
        # its filter control show as active and its count is this figure.
        measure = extra.get("measure")
        if measure in LIST_TABS:
            extra = {**extra, "measure": None, **LIST_TABS[measure]}
        return self._url("voters:list", {**params, **extra})

    @property
    def label(self):
        """The scope as the figures state it: "năm 2026", or the period."""
        return scope_label(self.start, self.end)

    def meeting_url(self, unit=None, **extra):
        params = {
            "unit": (unit or self.unit).pk,
            "date_from": self.start.isoformat(),
            "date_to": self.end.isoformat(),
            "agency": self.agency.pk if self.agency and unit is None else None,
        }
        return self._url("meetings:list", {**params, **extra})

    def task_url(self, unit=None, **extra):
        params = {
            "unit": (unit or self.unit).pk,
            "due_from": self.start.isoformat(),
            "due_to": self.end.isoformat(),
            "agency": self.agency.pk if self.agency and unit is None else None,
        }
        # An empty status: every status (the task list shows only open tasks when no status is given).
        return self._url("charters:tasks", {**params, "status": "", **extra}, keep=("status",))

    def document_url(self, unit=None, **extra):
        params = {
            "unit": (unit or self.unit).pk,
            "due_from": self.start.isoformat(),
            "due_to": self.end.isoformat(),
            "agency": self.agency.pk if self.agency and unit is None else None,
        }
        return self._url("dashboard_documents", {**params, **extra})

    def query(self, **extra):
        """The dashboard's own query string for this scope (for sort links and the commune drill-down)."""
        params = {"unit": self.unit.pk, "agency": self.agency.pk if self.agency and not self.agency_forced else None}
        if self.year:
            params["year"] = self.year
        else:
            params.update({"from": self.start.isoformat(), "to": self.end.isoformat()})
        params.update(extra)
        return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@lru_cache(maxsize=64)
def _path(name, prefix):
    return reverse(name)


@lru_cache(maxsize=4096, typed=True)
def _query_pair(key, value):
    return urlencode({key: value})


# --- scope -------------------------------------------------------------------------------------------


def parse_int(value):
    return query_int(value)  # within bigint: a larger id would fail in the query, not match nothing


DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def parse_date(value):
    """A date typed as dd/mm/yyyy (the range fields) or given as yyyy-mm-dd (links), years 1900-2999 (the
    figures step days and months from it); None otherwise."""
    match = DAY_MONTH_YEAR.fullmatch(str(value or ""))
    if match is None:
        return query_date(str(value or "").strip())
    day, month, year = (int(part) for part in match.groups())
    try:
        return query_date(datetime.date(year, month, day).isoformat())
    except ValueError:
        return None


def range_error(params, start, end):
    """What is wrong with the date range typed (the page then shows the year instead), or ""."""
    typed_from, typed_to = (str(params.get(name) or "").strip() for name in ("from", "to"))
    if not (typed_from or typed_to):
        return ""
    if (typed_from and start is None) or (typed_to and end is None):
        return _("Enter the dates as dd/mm/yyyy, for example 15/03/2026.")
    if start is None or end is None:
        return _("Enter both dates of the range.")
    if start > end:
        return _("The first date of the range is after the last one.")
    return ""


def _has_agencies():
    # EXISTS rather than a join + DISTINCT over every agency row.
    return Exists(Agency.objects.filter(unit=OuterRef("pk")))


# Past this many units to choose from (a site administrator: every unit of the country), the dashboard's
# unit drop-down holds only the unit shown and becomes a type-ahead field over `dashboard_unit_choices`.
UNIT_CHOICES_OVER = 100


def dashboard_units_queryset(user):
    """Units the user may choose: those with agencies among the visible ones (every such unit for site admins)."""
    ids = visible_unit_ids(user)
    queryset = AdministrativeUnit.objects.filter(_has_agencies())
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("level", "name")


def dashboard_units(user):
    return list(dashboard_units_queryset(user))


def dashboard_scope(user, params, today=None):
    """The scope asked for in `params` (GET), checked against what `user` may see.

    A unit outside the user's visible units answers 404; a clerk always sees their own agency in their
    own unit (the agency filter is forced); leaders, the secretariat and site admins may pick an agency.
    None when the user has no unit to look at (not a member of any agency)."""
    today = today or timezone.localdate()
    membership = membership_of(user)
    unit_id = parse_int(params.get("unit"))
    if unit_id is not None:
        ensure_unit_visible(user, unit_id)
    forced = membership is not None and membership.role == Role.CLERK and not is_site_admin(user)
    # At most UNIT_CHOICES_OVER + 1 units are read: a longer list is a type-ahead field, not 3,000 <option>s.
    # A clerk sees their own unit only: nothing to choose from, nothing read.
    units = [] if forced else list(dashboard_units_queryset(user)[: UNIT_CHOICES_OVER + 1])
    units_typeahead = len(units) > UNIT_CHOICES_OVER
    by_id = {unit.pk: unit for unit in units}
    if forced:
        unit = membership.agency.unit
    elif unit_id is not None:
        unit = by_id.get(unit_id) or AdministrativeUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
    elif membership is not None:
        unit = membership.agency.unit
    elif units:
        unit = units[0]
    else:
        return None
    agencies = list(Agency.objects.filter(unit=unit, is_active=True).order_by("kind", "name"))
    agency = None
    if forced:
        agency = membership.agency
    elif parse_int(params.get("agency")) is not None:
        agency = next((item for item in agencies if item.pk == parse_int(params.get("agency"))), None)
        if agency is None:
            raise Http404
    start, end = parse_date(params.get("from")), parse_date(params.get("to"))
    error = range_error(params, start, end)
    year = None
    if error or not (start and end):
        year = parse_int(params.get("year")) or today.year
        if not 2000 <= year <= today.year + 1:
            year = today.year
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Scope(
        unit=unit,
        start=start,
        end=end,
        today=today,
        agency=agency,
        agency_forced=forced,
        year=year,
        units=[unit] if forced or units_typeahead else units,
        units_typeahead=units_typeahead and not forced,
        agencies=agencies,
        range_error=error,
        range_typed=(params.get("from") or "", params.get("to") or "") if error else None,
    )


# --- petitions ---------------------------------------------------------------------------------------


def _petitions(scope):
    return petitions_received_between(scope.start, scope.end, unit=scope.unit, agency=scope.agency)


def _whole_months(start, end):
    """(first, last): the first days of the first and last whole months inside [start, end]; None if none."""
    first = start if start.day == 1 else _month_end(start.replace(day=1)) + datetime.timedelta(days=1)
    last = end.replace(day=1)
    if end != _month_end(last):
        last = (last - datetime.timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def _summary_grouped(scope, keys, sums, unit_filter=None, condition=None):
    """Summary rows of the scope (or of `unit_filter`'s units, without the agency condition), grouped by
    `keys` with `sums`: the monthly rows of the period's whole months and the daily rows of the days at its
    ends, in one query (UNION ALL). A key may come out twice (once per table): merge with `_merged`."""
    months = _whole_months(scope.start, scope.end)
    monthly = PetitionMonthlySummary.objects.order_by()
    daily = PetitionDailySummary.objects.order_by().filter(day__gte=scope.start, day__lte=scope.end)
    if months is None:
        monthly = monthly.none()
    else:
        monthly = monthly.filter(month__gte=months[0], month__lte=months[1])
        daily = daily.exclude(day__gte=months[0], day__lte=_month_end(months[1]))
    if unit_filter is not None:
        monthly, daily = monthly.filter(unit_filter), daily.filter(unit_filter)
    else:
        monthly, daily = monthly.filter(unit=scope.unit), daily.filter(unit=scope.unit)
        if scope.agency:
            either = Q(originating_agency=scope.agency) | Q(lead_agency=scope.agency)
            monthly, daily = monthly.filter(either), daily.filter(either)
    if condition is not None:
        monthly, daily = monthly.filter(condition), daily.filter(condition)
    if "month" in keys:
        daily = daily.annotate(month=TruncMonth("day"))
    monthly = monthly.values(*keys).annotate(**sums)
    daily = daily.values(*keys).annotate(**sums)
    if months is None:
        return list(daily)
    return list(monthly.union(daily, all=True))


def _merged(rows, *keys):
    """Rows with the same `keys` (a month's figures from both summary tables) summed into one."""
    merged = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        target = merged.get(key)
        if target is None:
            merged[key] = dict(row)
        else:
            for name, value in row.items():
                if name not in keys:
                    target[name] = (target[name] or 0) + (value or 0)
    return list(merged.values())


def _summary_sums(names=SUMMED):
    return {name: Sum(name) for name in names}


def _petition_counts(today):
    return {
        "received": Count("pk"),
        **{name: Count("pk", filter=petition_measure_q(name, today)) for name in PETITION_MEASURES},
    }


def petition_grid(scope):
    """The scope's petitions counted by field and month received, every measure at once: the one scan of
    the petitions that the totals, the by-field table and the monthly trend are all summed from."""
    if scope.summary is not None:
        rows = _summary_grouped(
            scope, ("field", "month"), {**_summary_sums(), "working_days": Sum("answered_working_days")}
        )
        return _merged(({**row, "month": _as_month(row["month"])} for row in rows), "field", "month")
    rows = (
        _petitions(scope)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values("field", "month")
        .annotate(**_petition_counts(scope.today))
    )
    return [{**row, "month": _as_month(row["month"])} for row in rows]


def _summed(rows, key):
    """{key value: {measure: sum}} over grid rows."""
    sums = {}
    for row in rows:
        target = sums.setdefault(row[key], dict.fromkeys(("received", *PETITION_MEASURES), 0))
        for name in target:
            target[name] += row[name]
    return sums


def petition_figures(scope, grid=None):
    """Totals, by field and the average working days to answer: from the grid alone when it comes from the
    summary, the grid plus two small grouped queries when counted live."""
    grid = petition_grid(scope) if grid is None else grid
    totals = dict.fromkeys(("received", *PETITION_MEASURES), 0)
    for row in grid:
        for name in totals:
            totals[name] += row[name]
    figures = {
        name: Figure(value, scope.petition_url(measure=None if name == "received" else name))
        for name, value in totals.items()
    }
    figures["on_time_rate"] = rate(totals["answered_on_time"], totals["answered"])
    if scope.summary is not None:
        days = sum(row["working_days"] for row in grid)
        figures["average_working_days"] = round(days / totals["answered"], 1) if totals["answered"] else None
    else:
        answered = _petitions(scope).filter(petition_measure_q("answered", scope.today))
        figures["average_working_days"] = average_working_days(answered)
    labels = dict(Field.choices)
    by_field = []
    fields = _summed(grid, "field")
    for code, row in sorted(fields.items(), key=lambda item: (-item[1]["received"], item[0])):
        cells = {
            name: Figure(value, scope.petition_url(field=code, measure=None if name == "received" else name))
            for name, value in row.items()
        }
        by_field.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "on_time_rate": rate(row["answered_on_time"], row["answered"]),
                **cells,
            }
        )
    figures["by_field"] = by_field
    return figures


def average_working_days(answered):
    """Average working days from receipt to answer over the `answered` petitions, exactly as
    `coordination.deadlines.working_days_between` counts them, in two grouped queries.

    working_days_between(a, b) = W(b) - W(a) where W(d) counts working days up to d, so the sum over
    petitions is Σ n·W(answered_on) - Σ n·W(received_on), grouped by date: the rows are distinct dates
    (a few hundred per year), never petitions, and W is computed once per day of the span."""
    answered_on = dict(answered.order_by().values_list("answered_on").annotate(n=Count("pk")))
    received_on = dict(answered.order_by().values_list("received_on").annotate(n=Count("pk")))
    count = sum(answered_on.values())
    if not count:
        return None
    days = sorted(set(answered_on) | set(received_on))
    cumulative, running, day = {}, 0, days[0]
    wanted = set(days)
    while day <= days[-1]:
        if is_working_day(day):
            running += 1
        if day in wanted:
            cumulative[day] = running
        day += datetime.timedelta(days=1)
    total = sum(n * cumulative[day] for day, n in answered_on.items()) - sum(
        n * cumulative[day] for day, n in received_on.items()
    )
    return round(total / count, 1)


# --- meetings ----------------------------------------------------------------------------------------


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _meetings(scope, unit_filter=None):
    if unit_filter is not None:
        return meetings_starting_between(scope.start, scope.end, condition=unit_filter)
    return meetings_starting_between(scope.start, scope.end, condition=Q(unit=scope.unit), agency=scope.agency)


def _quarters_ended(scope):
    count = 0
    for year in range(scope.start.year, scope.end.year + 1):
        for quarter in range(4):
            first = datetime.date(year, 3 * quarter + 1, 1)
            following = datetime.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)
            last = following - datetime.timedelta(days=1)
            if first >= scope.start and last <= scope.end and last < scope.today:
                count += 1
    return count


def _januaries_ended(scope):
    return sum(
        1
        for year in range(scope.start.year, scope.end.year + 1)
        if scope.start <= datetime.date(year, 1, 1)
        and datetime.date(year, 1, 31) <= scope.end
        and datetime.date(year, 1, 31) < scope.today
    )


def meeting_grid(scope, minutes_missing=None):
    """The scope's meetings by month held, every count at once: the one query that the meeting figures and
    the trend's meetings are both summed from."""
    rows = (
        _meetings(scope)
        .order_by()
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            minutes_missing=Count(
                "pk", filter=minutes_missing_q(scope.today) if minutes_missing is None else minutes_missing
            ),
            sessions_opened=Count("pk", filter=Q(kind=MeetingKind.COUNCIL_SESSION)),
            sessions_closed=Count(
                "pk", filter=Q(kind=MeetingKind.COUNCIL_SESSION, starts_at__lt=_day_start(scope.today))
            ),
            **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in MeetingKind},
        )
    )
    return [{**row, "month": _as_month(row["month"])} for row in rows]


def _totals(rows, names):
    totals = dict.fromkeys(names, 0)
    for row in rows:
        for name in names:
            totals[name] += row[name]
    return totals


def meeting_figures(scope, grid=None):
    """Meetings held by kind against what the charter calls for, and minutes missing (from the grid)."""
    grid = meeting_grid(scope) if grid is None else grid
    names = ("total", "minutes_missing", "sessions_opened", "sessions_closed", *(kind.value for kind in MeetingKind))
    totals = _totals(grid, names)
    # What the charters call for: voter contact before every session and after every session held,
    # a joint briefing each quarter, the review conference every January.
    expected = {
        MeetingKind.VOTER_CONTACT_BEFORE.value: totals["sessions_opened"],
        MeetingKind.VOTER_CONTACT_AFTER.value: totals["sessions_closed"],
        MeetingKind.JOINT_BRIEFING.value: _quarters_ended(scope),
        MeetingKind.REVIEW_CONFERENCE.value: _januaries_ended(scope),
    }
    rows = []
    for kind in MeetingKind:
        held = totals[kind.value]
        wanted = expected.get(kind.value)
        if not held and not wanted:
            continue
        rows.append(
            {
                "code": kind.value,
                "label": kind.label,
                "held": Figure(held, scope.meeting_url(kind=kind.value)),
                "expected": wanted,
                "short": wanted is not None and held < wanted,
                "voter_contact": kind in VOTER_CONTACT_KINDS,
            }
        )
    return {
        "total": Figure(totals["total"], scope.meeting_url()),
        "minutes_missing": Figure(totals["minutes_missing"], scope.meeting_url(minutes_missing="on")),
        "rows": rows,
        "short": sum(1 for row in rows if row["short"]),
    }


# --- tasks -------------------------------------------------------------------------------------------


def _tasks(scope):
    # The task list's agency filter: responsible or supporting.
    return tasks_due_between(scope.start, scope.end, unit=scope.unit, agency=scope.agency)


def _task_counts(today):
    return {name: Count("pk", filter=task_state_q(name, today)) for name in TASK_STATES}


def task_grid(scope):
    """The scope's tasks by charter article and month due, every state at once: the one query that the
    totals, the by-article table and the trend's tasks are all summed from."""
    rows = (
        _tasks(scope)
        .order_by()
        .annotate(month=TruncMonth("due_date"))
        .values(
            "article_id",
            "month",
            article_number=F("article__number"),
            article_title=F("article__title"),
            charter_number=F("article__charter__number"),
        )
        .annotate(**_task_counts(scope.today))
    )
    return [{**row, "month": _as_month(row["month"])} for row in rows]


def task_figures(scope, grid=None):
    """Tasks done on time, done late, pending and overdue: totals and by article (from the grid)."""
    grid = task_grid(scope) if grid is None else grid
    totals = _totals(grid, TASK_STATES)
    figures = {name: Figure(value, scope.task_url(state=name)) for name, value in totals.items()}
    figures["on_time_rate"] = rate(totals["done_on_time"], totals["done_on_time"] + totals["done_late"])
    articles = {}
    for row in grid:
        article = articles.setdefault(
            row["article_id"],
            {
                "info": {
                    "number": row["article_number"],
                    "title": row["article_title"],
                    "charter": row["charter_number"],
                },
                "counts": dict.fromkeys(TASK_STATES, 0),
            },
        )
        for name in TASK_STATES:
            article["counts"][name] += row[name]

    def order(item):
        # Charter number, then article number, those without last (as the charter reads).
        article_id, article = item
        charter, number = article["info"]["charter"], article["info"]["number"]
        return (charter is None, charter or "", number is None, number or 0, article_id or 0)

    rows = []
    for article_id, article in sorted(articles.items(), key=order):
        info, row = article["info"], article["counts"]
        cells = {
            name: Figure(value, scope.task_url(state=name, article=article_id or 0)) for name, value in row.items()
        }
        rows.append(
            {
                "article_id": article_id,
                **info,
                **cells,
                "on_time_rate": rate(row["done_on_time"], row["done_on_time"] + row["done_late"]),
            }
        )
    figures["by_article"] = rows
    return figures


# --- session documents -------------------------------------------------------------------------------


# The owning app's read, under the name the dashboard's pages have used.
session_documents = session_documents_due


def _document_counts():
    return {"total": Count("pk"), **{name: Count("pk", filter=Q(db_state=name)) for name in DOCUMENT_STATES}}


def document_rows(scope):
    """The scope's session documents counted by responsible agency (every state): one query."""
    base = session_documents(
        unit_ids=[scope.unit.pk], start=scope.start, end=scope.end, today=scope.today, agency=scope.agency
    )
    return list(
        base.order_by()
        .values("responsible_agency", agency_name=F("responsible_agency__name"))
        .annotate(**_document_counts())
        .order_by("-late", "-overdue", "agency_name")
    )


def document_figures(scope, by_agency=None):
    """Documents due in the scope by state: by responsible agency, and the totals summed from those rows."""
    by_agency = document_rows(scope) if by_agency is None else by_agency
    totals = _totals(by_agency, ("total", *DOCUMENT_STATES))
    figures = {
        name: Figure(value, scope.document_url(state=None if name == "total" else name))
        for name, value in totals.items()
    }
    figures["on_time_rate"] = rate(totals["on_time"], totals["on_time"] + totals["late"])
    figures["late_or_overdue"] = totals["late"] + totals["overdue"]
    rows = []
    for row in by_agency:
        agency_id, name = row["responsible_agency"], row["agency_name"]
        cells = {
            state: Figure(row[state], scope.document_url(agency=agency_id, state=None if state == "total" else state))
            for state in ("total", *DOCUMENT_STATES)
        }
        rows.append({"agency_id": agency_id, "name": name, **cells})
    figures["by_agency"] = rows
    return figures


# --- comparisons -------------------------------------------------------------------------------------


def _sorted(rows, sort, columns, default):
    key = (sort or "").lstrip("-")
    if key not in columns and key != "name":
        sort, key = default, default.lstrip("-")
    descending = sort.startswith("-")

    def value(row):
        cell = row[key]
        cell = cell.value if isinstance(cell, Figure) else cell
        if key == "name":
            return (0, str(cell))
        # Empty rates sort last whatever the direction.
        return (0, cell) if cell is not None else (1, 0)

    present = [row for row in rows if value(row)[0] == 0]
    absent = [row for row in rows if value(row)[0] == 1]
    present.sort(key=lambda row: value(row)[1], reverse=descending)
    return present + absent, sort


def agency_comparison(scope, sort=None, documents_by_agency=None):
    """Per agency of the unit: petitions it must answer (as lead agency), its tasks (as responsible agency)
    and its session documents. Three grouped queries; two when the unit's documents by responsible agency
    (`document_rows` of a scope without an agency) are given."""
    agencies = [scope.agency] if scope.agency else scope.agencies
    ids = [agency.pk for agency in agencies]
    measures = ("answered", "answered_on_time", "overdue")
    if scope.summary is not None:
        sums = {"total": Sum("received"), **_summary_sums(measures)}
        rows = _summary_grouped(scope, ("lead_agency",), sums, Q(unit=scope.unit, lead_agency_id__in=ids))
        by_lead = _merged(rows, "lead_agency")
    else:
        by_lead = (
            petitions_received_between(scope.start, scope.end, unit=scope.unit, lead_agency_id__in=ids)
            .order_by()
            .values("lead_agency")
            .annotate(
                total=Count("pk"),
                **{name: Count("pk", filter=petition_measure_q(name, scope.today)) for name in measures},
            )
        )
    petitions = {row.pop("lead_agency"): row for row in by_lead}
    tasks = {
        row.pop("responsible_agency"): row
        for row in tasks_due_between(scope.start, scope.end, unit=scope.unit, responsible_agency_id__in=ids)
        .order_by()
        .values("responsible_agency")
        .annotate(**_task_counts(scope.today))
    }
    if documents_by_agency is not None and scope.agency is None:
        documents = {row["responsible_agency"]: row for row in documents_by_agency}
    else:
        documents = {
            row.pop("responsible_agency"): row
            for row in session_documents(unit_ids=[scope.unit.pk], start=scope.start, end=scope.end, today=scope.today)
            .filter(responsible_agency_id__in=ids)
            .order_by()
            .values("responsible_agency")
            .annotate(**_document_counts())
        }
    rows = []
    for agency in agencies:
        petition = petitions.get(agency.pk, {})
        task = tasks.get(agency.pk, {})
        document = documents.get(agency.pk, {})
        done = task.get("done_on_time", 0) + task.get("done_late", 0)
        late_documents = document.get("late", 0) + document.get("overdue", 0)
        row = {
            "agency": agency,
            "name": agency.name,
            "petitions_to_answer": Figure(petition.get("total", 0), scope.petition_url(lead_agency=agency.pk)),
            "petitions_answered": Figure(
                petition.get("answered", 0), scope.petition_url(lead_agency=agency.pk, measure="answered")
            ),
            "petitions_on_time": Figure(
                petition.get("answered_on_time", 0),
                scope.petition_url(lead_agency=agency.pk, measure="answered_on_time"),
            ),
            "petitions_on_time_rate": rate(petition.get("answered_on_time", 0), petition.get("answered", 0)),
            "petitions_overdue": Figure(
                petition.get("overdue", 0), scope.petition_url(lead_agency=agency.pk, measure="overdue")
            ),
            "tasks_done_on_time": Figure(
                task.get("done_on_time", 0), scope.task_url(responsible_agency=agency.pk, state="done_on_time")
            ),
            "tasks_done_late": Figure(
                task.get("done_late", 0), scope.task_url(responsible_agency=agency.pk, state="done_late")
            ),
            "tasks_on_time_rate": rate(task.get("done_on_time", 0), done),
            "tasks_overdue": Figure(
                task.get("overdue", 0), scope.task_url(responsible_agency=agency.pk, state="overdue")
            ),
            "documents_late": Figure(late_documents, scope.document_url(agency=agency.pk, state="behind")),
        }
        rows.append(row)
    return _sorted(rows, sort, AGENCY_COLUMNS, "-petitions_to_answer")


def commune_comparison(scope, sort=None, minutes_missing=None):
    """The communes of a province (those with agencies) on the same measures, for the year-end emulation
    ranking: four grouped queries whatever the number of communes. None for a unit without such communes
    or when one agency is chosen (an agency of the province has no work in the communes)."""
    if scope.agency is not None:
        return None, sort
    communes = list(AdministrativeUnit.objects.filter(_has_agencies(), parent=scope.unit).order_by("name"))
    if not communes:
        return None, sort
    ids = [unit.pk for unit in communes]
    if scope.summary is not None:
        by_unit = _merged(_summary_grouped(scope, ("unit",), _summary_sums(), Q(unit_id__in=ids)), "unit")
    else:
        by_unit = (
            petitions_received_between(scope.start, scope.end, unit_id__in=ids)
            .order_by()
            .values("unit")
            .annotate(**_petition_counts(scope.today))
        )
    petitions = {row.pop("unit"): row for row in by_unit}
    tasks = {
        row.pop("unit"): row
        for row in tasks_due_between(scope.start, scope.end, unit_id__in=ids)
        .order_by()
        .values("unit")
        .annotate(**_task_counts(scope.today))
    }
    missing = minutes_missing_q(scope.today) if minutes_missing is None else minutes_missing
    meetings = {
        row.pop("unit"): row
        for row in _meetings(scope, unit_filter=Q(unit_id__in=ids))
        .order_by()
        .values("unit")
        .annotate(total=Count("pk"), minutes_missing=Count("pk", filter=missing))
    }
    documents = {
        row.pop("meeting__unit"): row
        for row in session_documents(unit_ids=ids, start=scope.start, end=scope.end, today=scope.today)
        .order_by()
        .values("meeting__unit")
        .annotate(**_document_counts())
    }
    rows = []
    for unit in communes:
        petition, task = petitions.get(unit.pk, {}), tasks.get(unit.pk, {})
        meeting, document = meetings.get(unit.pk, {}), documents.get(unit.pk, {})
        done = task.get("done_on_time", 0) + task.get("done_late", 0)
        rows.append(
            {
                "unit": unit,
                "name": unit.name,
                "dashboard_query": scope.query(unit=unit.pk, agency=None),
                "petitions_received": Figure(petition.get("received", 0), scope.petition_url(unit=unit)),
                "petitions_on_time_rate": rate(petition.get("answered_on_time", 0), petition.get("answered", 0)),
                "petitions_overdue": Figure(
                    petition.get("overdue", 0), scope.petition_url(unit=unit, measure="overdue")
                ),
                "tasks_on_time_rate": rate(task.get("done_on_time", 0), done),
                "tasks_overdue": Figure(task.get("overdue", 0), scope.task_url(unit=unit, state="overdue")),
                "meetings_held": Figure(meeting.get("total", 0), scope.meeting_url(unit=unit)),
                "minutes_missing": Figure(
                    meeting.get("minutes_missing", 0), scope.meeting_url(unit=unit, minutes_missing="on")
                ),
                "documents_late": Figure(
                    document.get("late", 0) + document.get("overdue", 0), scope.document_url(unit=unit, state="behind")
                ),
            }
        )
    return _sorted(rows, sort, COMPARISON_COLUMNS, "-petitions_on_time_rate")


def locality_comparison(scope, sort=None):
    """The scope's petitions by the commune they were raised in (the commune chosen, else the locality
    typed: `voters.selectors.petition_place`), for a unit whose communes have no agencies in the system
    (otherwise `commune_comparison` ranks them on every measure): one grouped query, of the summary's rows
    when it is fresh (the place is one of its keys). None when no petition
    names where it came from."""
    if scope.summary is not None:
        rows = _merged(_summary_grouped(scope, ("place",), _summary_sums(), condition=Q(place__isnull=False)), "place")
    else:
        rows = (
            _petitions(scope)
            .annotate(place=petition_place())
            .filter(place__isnull=False)
            .order_by()
            .values("place")
            .annotate(**_petition_counts(scope.today))
        )
    result = []
    for row in sorted(rows, key=lambda row: row["place"]):  # ties of the ranking in the order of the names
        place = row["place"]
        result.append(
            {
                "name": place,
                "petitions_received": Figure(row["received"], scope.petition_url(place=place)),
                "petitions_on_time_rate": rate(row["answered_on_time"], row["answered"]),
                "petitions_overdue": Figure(row["overdue"], scope.petition_url(place=place, measure="overdue")),
                "petitions_unsatisfactory": Figure(
                    row["unsatisfactory"], scope.petition_url(place=place, measure="unsatisfactory")
                ),
                "petitions_reanswered_on_time": Figure(
                    row["reanswered_on_time"], scope.petition_url(place=place, measure="reanswered_on_time")
                ),
            }
        )
    if not result:
        return None, sort
    return _sorted(result, sort, LOCALITY_COLUMNS, "-petitions_on_time_rate")


# --- trends ------------------------------------------------------------------------------------------


def _months(scope):
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end and len(months) < MAX_TREND_MONTHS:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month_end(month):
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _as_month(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _by_month(rows, names):
    sums = {}
    for row in rows:
        target = sums.setdefault(row["month"], dict.fromkeys(names, 0))
        for name in names:
            target[name] += row[name]
    return sums


def trend_figures(scope, grid=None, task_rows=None, meeting_rows=None):
    """Month by month: petitions received / answered on time / overdue (by month received), tasks done on
    time / late / overdue (by month due), meetings held: summed from the petition, task and meeting grids."""
    months = _months(scope)
    grid = petition_grid(scope) if grid is None else grid
    petitions = _summed(grid, "month")
    tasks = _by_month(task_grid(scope) if task_rows is None else task_rows, ("done_on_time", "done_late", "overdue"))
    meetings = _by_month(meeting_grid(scope) if meeting_rows is None else meeting_rows, ("total",))
    rows = []
    for month in months:
        first, last = max(month, scope.start), min(_month_end(month), scope.end)
        monthly = Scope(unit=scope.unit, start=first, end=last, today=scope.today, agency=scope.agency)
        petition, task, meeting = petitions.get(month, {}), tasks.get(month, {}), meetings.get(month, {})
        rows.append(
            {
                "month": month,
                "label": month.strftime("%m/%Y"),
                "petitions_received": Figure(petition.get("received", 0), monthly.petition_url()),
                "petitions_on_time": Figure(
                    petition.get("answered_on_time", 0), monthly.petition_url(measure="answered_on_time")
                ),
                "petitions_late": Figure(
                    petition.get("answered_late", 0), monthly.petition_url(measure="answered_late")
                ),
                "petitions_overdue": Figure(petition.get("overdue", 0), monthly.petition_url(measure="overdue")),
                "tasks_done_on_time": Figure(task.get("done_on_time", 0), monthly.task_url(state="done_on_time")),
                "tasks_done_late": Figure(task.get("done_late", 0), monthly.task_url(state="done_late")),
                "tasks_overdue": Figure(task.get("overdue", 0), monthly.task_url(state="overdue")),
                "meetings_held": Figure(meeting.get("total", 0), monthly.meeting_url()),
            }
        )
    chart = {
        "labels": [row["label"] for row in rows],
        "series": {
            key: [row[key].value for row in rows]
            for key in (
                "petitions_received",
                "petitions_on_time",
                "petitions_late",
                "petitions_overdue",
                "tasks_done_on_time",
                "tasks_done_late",
                "tasks_overdue",
                "meetings_held",
            )
        },
    }
    return {"rows": rows, "chart": chart}


def dashboard_cache_key(scope):
    """The cache key of `scope`'s figures, or None when they are computed on every request (no
    `DASHBOARD_CACHE_SECONDS`, or the cache is down). Sets `scope.summary` (see `dashboard_figures`)."""
    scope.summary = summary_for_today(scope.today)
    version = figures_version() if settings.DASHBOARD_CACHE_SECONDS else None
    if version is None:
        return None
    refreshed = scope.summary.refreshed_at if scope.summary is not None else None
    parts = (scope.unit.pk, scope.agency.pk if scope.agency else 0, scope.start, scope.end, scope.today, refreshed)
    return f"dashboard:{version}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


_UNSET = object()


def dashboard_figures(scope, *, sort=None, commune_sort=None, locality_sort=None, key=_UNSET):
    """`dashboard_compute`, reused for up to `DASHBOARD_CACHE_SECONDS` when set (the page shows `computed_at`).

    Petitions come from the summary when it was computed for today, for any period (whole months from the
    monthly rows, the days at the ends from the daily rows); otherwise they are counted live. The cache holds
    the figures of one scope (unit, agency, dates, today, summary refresh) at one version of the data
    (`coordination.cache.figures_version`, renewed by every committed write): a write, a summary refresh or a
    new day makes the next view compute again, so a cached figure is never older than the last write. Sorting
    is applied to the cached rows, so every ordering of the comparison tables is served from one computation.
    `key`: `dashboard_cache_key(scope)` when the caller has it already."""
    if key is _UNSET:
        key = dashboard_cache_key(scope)
    if key is None:  # no cache, or the cache is down: computed for this request
        return dashboard_compute(scope, sort=sort, commune_sort=commune_sort, locality_sort=locality_sort)
    data = cache.get(key)
    if data is None:
        data = dashboard_compute(scope)
        cache.set(key, data, settings.DASHBOARD_CACHE_SECONDS)
    data = dict(data)
    data["agencies"], data["agency_sort"] = _sorted(data["agencies"], sort, AGENCY_COLUMNS, "-petitions_to_answer")
    if data["communes"] is not None:
        data["communes"], data["commune_sort"] = _sorted(
            data["communes"], commune_sort, COMPARISON_COLUMNS, "-petitions_on_time_rate"
        )
    if data.get("localities") is not None:
        data["localities"], data["locality_sort"] = _sorted(
            data["localities"], locality_sort, LOCALITY_COLUMNS, "-petitions_on_time_rate"
        )
    return data


def suggestion_rates(scope):
    """How often the clerks kept the suggested field and agency, for the petitions the dashboard counts (the
    scope's unit, received in the period); None when nothing was suggested."""
    from voters.selectors import suggestion_acceptance

    rates = suggestion_acceptance(unit_ids=[scope.unit.pk], since=scope.start, until=scope.end)
    rows = []
    for name, label in (("field", _("Field")), ("agency", _("Lead agency"))):
        kept, total = rates[name]
        rows.append(
            {"label": label, "kept": kept, "total": total, "percent": round(100 * kept / total) if total else None}
        )
    return rows if any(row["total"] for row in rows) else None


def supervision_panel(scope):
    """Supervision in the scope's unit (of the chosen agency when it is the supervising body): the figures
    defined by `supervision.selectors.supervision_figures`, with the link to the programmes."""
    figures = supervision_figures(
        unit_ids=[scope.unit.pk],
        start=scope.start,
        end=scope.end,
        today=scope.today,
        agency_ids=[scope.agency.pk] if scope.agency else None,
    )
    return {**figures, "url": _path("supervision:list", get_script_prefix())}


def dashboard_compute(scope, *, sort=None, commune_sort=None, locality_sort=None):
    """Every block of the page for `scope`; a fixed number of queries whatever the data size."""
    # Shared between blocks: the minutes-missing condition (it reads the deadline rules) and the documents
    # by responsible agency (the agency comparison's, when no agency is chosen).
    missing = minutes_missing_q(scope.today)
    documents = document_rows(scope)
    agencies, agency_sort = agency_comparison(scope, sort, documents)
    communes, commune_sort = commune_comparison(scope, commune_sort, missing)
    localities, locality_sort = (None, None) if communes else locality_comparison(scope, locality_sort)
    grid, tasks, meetings = petition_grid(scope), task_grid(scope), meeting_grid(scope, missing)
    return {
        "petitions": petition_figures(scope, grid),
        "meetings": meeting_figures(scope, meetings),
        "tasks": task_figures(scope, tasks),
        "documents": document_figures(scope, documents),
        "supervision": supervision_panel(scope),
        "suggestion_rates": suggestion_rates(scope),
        "agencies": agencies,
        "agency_sort": agency_sort,
        "communes": communes,
        "commune_sort": commune_sort,
        "localities": localities,
        "locality_sort": locality_sort,
        "trend": trend_figures(scope, grid, tasks, meetings),
        "computed_at": timezone.now(),
        # When the petition figures were counted: the summary's refresh, or None when counted live now.
        "petitions_as_of": scope.summary.refreshed_at if scope.summary is not None else None,
    }
