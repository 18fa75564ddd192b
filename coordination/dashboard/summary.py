"""The petition summary behind the leaders' dashboard: live petitions counted once, read many times.

At a million petitions, counting a province's petitions of a year per request (every measure, by field
and month, by lead agency, by commune) cost ~180 ms of SQL. `petition_summary_refresh` counts every
petition once, grouped by (unit, day received, field, receiving office, lead agency, place), with exactly the
conditions of the petition list's `measure` filter (`voters.selectors.petition_measure_q`), into
`PetitionDailySummary`, and sums those rows by month into `PetitionMonthlySummary`. The dashboard reads any
period as the monthly rows of its whole months plus the daily rows of the days left at its ends (a custom
range "05/03 – 20/11": March 5–31 and November 1–20 from the daily rows, April–October from the monthly
ones), in one query per block; so is "by agency" (the clerk's "receiving office or lead agency" condition
holds row by row, since each row has one of each), whatever the scope: a commune, a province, or any unit
the site administrator picks.

Why a whole rebuild by a periodic job, and not rows kept current by each write or filled in day by day:
- What the dashboard counts are today's states of the petitions received on a day, not events of that day:
  an answer in November changes a March row; "overdue" changes at midnight with no write at all; returns,
  evaluations and re-answers live in other tables, written by several services, the batch and Excel imports
  and COPY (the load generator). Keeping rows current from every write would put an aggregator's table in
  every voters service (the apps never import an aggregator) and still need a midnight pass.
- A rebuild is a function of the petitions and the day only, never of the previous runs: a missed run, a
  dead worker or a day without a beat leaves nothing to fill in: the next run (any run) counts everything
  once, and a second run for the same day replaces the rows with the same rows. Nothing is ever added to
  what is there, so nothing can be counted twice.
- Rebuilt set-based (DELETE + INSERT … SELECT … GROUP BY) in one transaction: readers see the old tables
  until the new ones are committed, never half of one; a run that dies rolls back and leaves the previous
  summary, still labelled with its own day. Two refreshes queue on the state row.
- "Overdue" depends on the day, so the refresh records the day it counted for (`SummaryRefresh`); the
  dashboard reads the summary only when it was computed for today, and otherwise asks for a refresh and
  counts live for that request (`summary_for_today`): the page is never wrong, only slower for a moment.
- Average working days to answer: `WorkingDayOrdinal` holds, for each day of the petitions' span, the
  working days counted up to it (`deadlines.is_working_day`), so the refresh sums ordinal(answered_on) -
  ordinal(received_on) in SQL, exactly `deadlines.working_days_between` per petition.
- Kept current by the beat every 10 minutes (`coordination/dashboard/tasks.py`, which also
  runs just after midnight for the new day's "overdue"), `manage.py refresh_dashboard`, and at the end of
  `seed_demo` and `generate_load_data` (after its COPY). The page states when the petition figures were
  counted.
"""

import datetime
import logging
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Func, IntegerField, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from coordination.deadlines import is_working_day
from coordination.models import PetitionDailySummary, PetitionMonthlySummary, SummaryRefresh, WorkingDayOrdinal
from coordination.queueing import enqueue
from voters.selectors import PETITION_MEASURES, petition_measure_q, petition_place, petitions_all

logger = logging.getLogger(__name__)

STATE_PK = 1
# Set while a refresh asked for by a stale page is queued, so a burst of requests queues one.
QUEUED_KEY = "dashboard:summary-refresh-queued"
QUEUED_SECONDS = 300
# The refresh task (coordination/dashboard/tasks.py), queued by name: the task imports this module.
REFRESH_TASK = "coordination.tasks.dashboard_summary_refresh"
SUMMED = ("received", *PETITION_MEASURES)
SUMMARY_WORK_MEM = "64MB"
GROUP = ("field", "originating_agency", "lead_agency", "place")
KEY = ("unit", "month", *GROUP)  # a monthly row
DAILY_KEY = ("unit", "day", *GROUP)  # a daily row


def working_day_ordinals_rebuild(first, last):
    """Rewrite the calendar of working-day ordinals over [first, last] (a few thousand rows)."""
    WorkingDayOrdinal.objects.all().delete()
    rows, running, day = [], 0, first
    while day <= last:
        running += is_working_day(day)
        rows.append(WorkingDayOrdinal(day=day, ordinal=running))
        day += datetime.timedelta(days=1)
    WorkingDayOrdinal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


class OrdinalAt(Func):
    """PostgreSQL: a date column's working-day ordinal read from the calendar passed as one int[] parameter
    (array[(day - first) + 1]): a subscript per row instead of two index probes (~1.8 s less at a million)."""

    output_field = IntegerField()

    def __init__(self, field, first, ordinals):
        super().__init__(F(field))
        self.first, self.ordinals = first, ordinals

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(%s::int[])[({sql} - %s::date) + 1]", [self.ordinals, *params, self.first]


def _ordinal(field, calendar=None):
    if calendar is not None:
        return OrdinalAt(field, *calendar)
    return Subquery(
        WorkingDayOrdinal.objects.filter(day=OuterRef(field)).values("ordinal")[:1], output_field=IntegerField()
    )


def _calendar():
    """(first day, [ordinal of each day from it]) for PostgreSQL's `OrdinalAt`; None elsewhere (subqueries)."""
    if connection.vendor != "postgresql":
        return None
    days = list(WorkingDayOrdinal.objects.order_by("day").values_list("day", "ordinal"))
    if not days or (days[-1][0] - days[0][0]).days + 1 != len(days):
        return None
    return days[0][0], [ordinal for _day, ordinal in days]


def petition_summary_queryset(today, calendar=None):
    """Live petitions grouped as the daily summary stores them (unit, day received, field, receiving office,
    lead agency), every measure as the petition list counts it. `calendar`: see `_calendar` (None: the
    working-day ordinals are read from their table per row)."""
    answered = petition_measure_q("answered", today)
    return (
        petitions_all()
        .annotate(day=F("received_on"), place=petition_place())
        .values(*DAILY_KEY)
        .annotate(
            received=Count("pk"),
            **{name: Count("pk", filter=petition_measure_q(name, today)) for name in PETITION_MEASURES},
            answered_working_days=Coalesce(
                Sum(_ordinal("answered_on", calendar) - _ordinal("received_on", calendar), filter=answered), 0
            ),
        )
    )


def monthly_from_daily_queryset():
    """The daily rows summed by month: the monthly summary, exactly (a sum of the same petitions' counts)."""
    return (
        PetitionDailySummary.objects.order_by()
        .annotate(month=TruncMonth("day"))
        .values(*KEY)
        .annotate(**{name: Sum(name) for name in (*SUMMED, "answered_working_days")})
    )


def _insert_select(cursor, model, keys, queryset, order):
    """INSERT INTO model's table the rows of `queryset` (aliases `keys` + the sums), stored in `order`."""
    quote = connection.ops.quote_name
    names = [*keys, *SUMMED, "answered_working_days"]
    columns = [model._meta.get_field(name).column for name in names]
    sql, params = queryset.query.sql_with_params()
    cursor.execute(
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "  # noqa: S608
        f"SELECT {', '.join(quote(name) for name in names)} FROM ({sql}) grid "
        # Rows of a unit stored together: a page reads a few heap pages, not a row per page.
        f"ORDER BY {', '.join(quote(name) for name in order)}",
        params,
    )
    return cursor.rowcount


def summary_state():
    return SummaryRefresh.objects.filter(pk=STATE_PK).first()


@transaction.atomic
def petition_summary_refresh(today=None, *, if_stale=False):
    """Rebuild the summary from the live petitions as of `today` (default: today). Idempotent.

    With `if_stale`, do nothing when it is already for `today` (a page asked; another run got there first).
    Returns the `SummaryRefresh` row."""
    today = today or timezone.localdate()
    started = time.monotonic()
    state = SummaryRefresh.objects.select_for_update().filter(pk=STATE_PK).first()
    if state is None:
        state = SummaryRefresh.objects.create(pk=STATE_PK, computed_for=datetime.date.min, refreshed_at=timezone.now())
        state = SummaryRefresh.objects.select_for_update().get(pk=STATE_PK)
    elif if_stale and state.computed_for == today:
        return state
    bounds = petitions_all().aggregate(
        first=Min("received_on"),
        first_answered=Min("answered_on"),
        last_received=Max("received_on"),
        last_answered=Max("answered_on"),
    )
    if bounds["first"] is not None:
        # Every date a petition carries, even an answer dated before its receipt, has its ordinal.
        first = min(bounds["first"], bounds["first_answered"] or today, today)
        last = max(today, bounds["last_received"], bounds["last_answered"] or today)
        working_day_ordinals_rebuild(first, last)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One pass over the petitions hashed by group beats walking an index in group order (~4 s
            # against ~9 s at a million petitions); this transaction only.
            cursor.execute(f"SET LOCAL work_mem = '{SUMMARY_WORK_MEM}'")
        # Raw DELETEs: a model delete() may fetch every row first when delete signals are connected. Readers
        # keep seeing the previous rows (their snapshot) until this transaction commits.
        for model in (PetitionDailySummary, PetitionMonthlySummary):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 (our own quoted table name)
        daily = _insert_select(
            cursor, PetitionDailySummary, DAILY_KEY, petition_summary_queryset(today, _calendar()), ("unit", "day")
        )
        rows = _insert_select(cursor, PetitionMonthlySummary, KEY, monthly_from_daily_queryset(), ("unit", "month"))
    state.computed_for = today
    state.refreshed_at = timezone.now()
    state.rows = rows
    state.duration_ms = round((time.monotonic() - started) * 1000)
    state.save()
    logger.info("Petition summary for %s: %s monthly rows (%s daily) in %s ms", today, rows, daily, state.duration_ms)
    return state


def summary_refresh_request():
    """Queue one refresh for a page that found the summary stale (a burst of pages queues one). In
    development without a broker the task runs at once, in this request."""
    if not cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        return False
    if not enqueue(REFRESH_TASK, if_stale=True):
        cache.delete(QUEUED_KEY)
        return False
    return True


def summary_for_today(today):
    """The `SummaryRefresh` to read petitions from, or None when the summary is missing or for another day:
    then a refresh is queued (run at once without a broker, in which case the new summary is read) and the
    caller counts live for this request, so the page is never wrong, only slower for a moment."""
    state = summary_state()
    if state is not None and state.computed_for == today:
        return state
    if not summary_refresh_request():
        return None
    state = summary_state()
    return state if state is not None and state.computed_for == today else None
