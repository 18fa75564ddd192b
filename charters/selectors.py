"""Reads for the charter and task pages, each shaped for its page (related rows and counts loaded up front)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from coordination.models import Agency
from coordination.permissions import is_site_admin
from coordination.text import search_terms

from .models import Article, Charter, CharterParty, Obligation, Task, TaskQuerySet, TaskStatus, WorkProgramme
from .models import CharterStatus as CharterStatus  # re-exported: choice enums the reviews read
from .models import TaskOrigin as TaskOrigin
from .permissions import visible_charters, visible_programmes, visible_tasks


def _compliance_counts(today, prefix="tasks__"):
    """Conditional counts of a charter's or article's tasks, for `annotate`."""
    return {
        "tasks_total": Count("tasks", filter=~Q(**{f"{prefix}status": TaskStatus.CANCELLED}), distinct=True),
        "tasks_done_on_time": Count("tasks", filter=TaskQuerySet.q_done_on_time(prefix), distinct=True),
        "tasks_done_late": Count("tasks", filter=TaskQuerySet.q_done_late(prefix), distinct=True),
        "tasks_open": Count("tasks", filter=TaskQuerySet.q_pending(today, prefix), distinct=True),
        "tasks_overdue": Count("tasks", filter=TaskQuerySet.q_overdue(today, prefix), distinct=True),
    }


def charter_list(*, user, unit=None, term=None, status=None, query="", today):
    queryset = visible_charters(user).select_related("unit", "term", "supersedes")
    if unit:
        queryset = queryset.filter(unit_id=unit)
    if term:
        queryset = queryset.filter(term_id=term)
    if status:
        queryset = queryset.filter(status=status)
    for word in search_terms(query):
        queryset = queryset.filter(search_text__icontains=word)
    parties = Prefetch("party_links", queryset=CharterParty.objects.select_related("agency"))
    return (
        queryset.prefetch_related(parties)
        .annotate(
            article_count=Count("articles", distinct=True),
            tasks_overdue=Count("tasks", filter=TaskQuerySet.q_overdue(today, "tasks__"), distinct=True),
        )
        .order_by("-effective_from", "-signed_on", "-id")
    )


def charter_detail_queryset():
    return Charter.objects.select_related("unit", "term", "supersedes", "created_by").prefetch_related(
        Prefetch("party_links", queryset=CharterParty.objects.select_related("agency")),
        "superseded_by",
        "witnesses",
        "areas",
    )


def charter_articles(charter, *, today, year=None):
    """The articles with their duties and, per article, the compliance so far (in `year` when given)."""
    counts = _compliance_counts(today)
    if year:
        counts = {
            name: Count("tasks", filter=count.filter & Q(tasks__due_date__year=year), distinct=True)
            for name, count in counts.items()
        }
    return (
        Article.objects.filter(charter=charter)
        .select_related("area", "lead_agency")
        .prefetch_related(
            "supporting_agencies",
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("responsible_agency", "deadline_rule").order_by("id"),
            ),
        )
        .annotate(**counts)
        .order_by("number")
    )


COMPLIANCE_COUNTS = ("tasks_total", "tasks_done_on_time", "tasks_done_late", "tasks_open", "tasks_overdue")


def charter_articles_compliance(charter, *, today, year=None):
    """`charter_articles` for the charter page: the same rows and `tasks_*` counts, the counts taken in a
    second query grouped by article over the charter's tasks (index-only), instead of a GROUP BY on the
    articles joined to every task, which sorted the whole article rows once per task."""
    articles = list(
        Article.objects.filter(charter=charter)
        .select_related("area", "lead_agency")
        .prefetch_related(
            "supporting_agencies",
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("responsible_agency", "deadline_rule").order_by("id"),
            ),
        )
        .order_by("number")
    )
    counts = _compliance_counts(today, prefix="")
    tasks = Task.objects.filter(charter=charter, article__isnull=False)
    if year:
        tasks = tasks.filter(due_date__year=year)
    rows = {
        row.pop("article_id"): row
        for row in tasks.order_by()
        .values("article_id")
        .annotate(**{name: Count("article_id", filter=count.filter) for name, count in counts.items()})
    }
    empty = dict.fromkeys(COMPLIANCE_COUNTS, 0)
    for article in articles:
        for name, value in rows.get(article.pk, empty).items():
            setattr(article, name, value)
    return articles


def charter_meetings(charter, *, limit=10):
    """The latest meetings held under the charter, with the voter petitions raised at each (a count per
    meeting shown, not a GROUP BY over every meeting of the charter joined to its petitions)."""
    petitions = charter.meetings.model._meta.get_field("petitions").related_model
    petition_count = (
        petitions.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk"))
    )
    return (
        charter.meetings.defer("minutes_text")
        .annotate(petition_count=Coalesce(Subquery(petition_count.values("n"), output_field=IntegerField()), 0))
        .order_by("-starts_at")[:limit]
    )


# The years that have tasks, by skipping from one year's first task to the next year's (one index probe
# per year on (charter, due_date)) rather than reading every task of the charter.
CHARTER_YEARS_SQL = """
WITH RECURSIVE years(first_due) AS (
    SELECT MIN(due_date) FROM charters_task WHERE charter_id = %(charter)s
    UNION ALL
    SELECT (
        SELECT MIN(due_date) FROM charters_task
        WHERE charter_id = %(charter)s
          AND due_date >= MAKE_DATE(CAST(EXTRACT(YEAR FROM years.first_due) AS integer) + 1, 1, 1)
    )
    FROM years WHERE years.first_due IS NOT NULL
)
SELECT first_due FROM years WHERE first_due IS NOT NULL
"""


def charter_years(charter):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CHARTER_YEARS_SQL, {"charter": charter.pk})
            return sorted({row[0].year for row in cursor.fetchall()}, reverse=True)
    return sorted({day.year for day in charter.tasks.dates("due_date", "year")}, reverse=True)


def task_list(
    *,
    user,
    agency=None,
    area=None,
    status=None,
    overdue=False,
    due_within=None,
    year=None,
    origin=None,
    charter=None,
    today,
    **drill_down,
):
    queryset = task_drill_down(visible_tasks(user), today=today, **drill_down)
    if agency:
        queryset = queryset.filter(Q(responsible_agency_id=agency) | Q(supporting_agencies__id=agency)).distinct()
    if area:
        queryset = queryset.filter(area_id=area)
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.overdue(today)
    if due_within is not None:
        queryset = queryset.due_soon(today, due_within)
    if year:
        queryset = queryset.in_year(year)
    if origin:
        queryset = queryset.filter(origin=origin)
    if charter:
        queryset = queryset.filter(charter_id=charter)
    # Three joins at most: PostgreSQL planned the page's query with five (adding charter and article) in
    # ~3.5 ms for ~1.5 ms of execution; the charters and articles of a page come in two small queries.
    return (
        queryset.select_related("responsible_agency", "area", "unit")
        .prefetch_related("supporting_agencies", "charter", "article")
        .order_by("due_date", "id")
    )


def task_detail_queryset():
    return Task.objects.select_related(
        "responsible_agency", "area", "charter", "article", "unit", "obligation", "created_by", "programme"
    ).prefetch_related("supporting_agencies")


def agencies_for_filter(user):
    # The agency filter matches responsible or supporting agencies, so both kinds are offered (a clerk of an
    # agency that only supports tasks follows the dashboard's link to its own tasks, not to every task).
    # The site administrator: every active agency (the country's are nearly all on some task), without hashing
    # the whole country's 200,000 tasks on every page (~100 ms at 1M); the list is a type-ahead there anyway.
    if is_site_admin(user):
        return Agency.objects.filter(is_active=True).select_related("unit").order_by("unit__name", "kind", "name")
    supporting = Task.supporting_agencies.through.objects.filter(task__in=visible_tasks(user)).values("agency_id")
    return (
        Agency.objects.filter(is_active=True)
        .filter(Q(pk__in=visible_tasks(user).values("responsible_agency")) | Q(pk__in=supporting))
        .select_related("unit")
        .order_by("unit__name", "kind", "name")
    )


# --- Drill-down of the leaders' dashboard --------------------------------------------------------------
# The dashboard counts tasks with these conditions and links to the task list filtered by the same ones.
TASK_STATES = ("active", "done_on_time", "done_late", "pending", "overdue")


def task_state_q(name, today):
    """Dashboard task states: active (not cancelled), done on time, done late, pending (open, not yet
    overdue) and overdue, built on the `TaskQuerySet` definitions."""
    conditions = {
        "active": ~Q(status=TaskStatus.CANCELLED),
        "done_on_time": TaskQuerySet.q_done_on_time(),
        "done_late": TaskQuerySet.q_done_late(),
        "pending": TaskQuerySet.q_pending(today),
        "overdue": TaskQuerySet.q_overdue(today),
    }
    return conditions[name]


def task_drill_down(
    queryset, *, today, unit=None, responsible_agency=None, article=None, state=None, due_from=None, due_to=None
):
    if unit:
        queryset = queryset.filter(unit_id=unit)
    if responsible_agency:
        queryset = queryset.filter(responsible_agency_id=responsible_agency)
    if article is not None:
        # 0 asks for the tasks tied to no article (the dashboard's "not tied to an article" row).
        queryset = queryset.filter(article_id=article) if article else queryset.filter(article__isnull=True)
    if state in TASK_STATES:
        queryset = queryset.filter(task_state_q(state, today))
    if due_from:
        queryset = queryset.filter(due_date__gte=due_from)
    if due_to:
        queryset = queryset.filter(due_date__lte=due_to)
    return queryset


# --- reads for the aggregators (the dashboard, "waiting for you"): unevaluated querysets, grouped and
# counted there.


def tasks_due_between(start, end, *, agency=None, **filters):
    """Tasks due in [start, end], filtered by `filters` (e.g. `unit=`, `unit_id__in=`,
    `responsible_agency_id__in=`); with `agency`, those it is responsible for or supports (the task list's
    agency filter)."""
    queryset = Task.objects.filter(due_date__gte=start, due_date__lte=end, **filters)
    if agency:
        supporting = Task.supporting_agencies.through.objects.filter(agency=agency).values("task_id")
        queryset = queryset.filter(Q(responsible_agency=agency) | Q(pk__in=supporting))
    return queryset


def open_tasks_of(agency):
    """The open tasks `agency` is responsible for."""
    return Task.objects.filter(TaskQuerySet.q_open(), responsible_agency=agency)


def charter_successor(charter):
    """The charter that superseded `charter` and took effect first, or None."""
    return Charter.objects.filter(supersedes=charter, effective_from__isnull=False).order_by("effective_from").first()


def charters_with_unit_and_term():
    """Every charter, with its unit and term loaded (the review pages and services)."""
    return Charter.objects.select_related("unit", "term")


def charters_all():
    return Charter.objects.all()


def charter_parties(**filters):
    """Party links (a charter, an agency, its order) matching `filters`."""
    return CharterParty.objects.filter(**filters)


# --- Work programmes -----------------------------------------------------------------------------------------

PROGRAMME_COMPARED_YEARS = 2  # the Hà Nội 2019 report compares with 2018 and 2017


def programme_list(*, user, unit=None, year=None):
    queryset = visible_programmes(user).select_related("unit", "issuer", "charter")
    if unit:
        queryset = queryset.filter(unit_id=unit)
    if year:
        queryset = queryset.filter(year=year)
    return queryset.annotate(
        planned=Count("tasks", filter=Q(tasks__origin=TaskOrigin.PLANNED) & ~Q(tasks__status=TaskStatus.CANCELLED)),
        arising=Count("tasks", filter=~Q(tasks__origin=TaskOrigin.PLANNED) & ~Q(tasks__status=TaskStatus.CANCELLED)),
    ).order_by("-year", "unit__name", "number")


def _percent_change(current, previous):
    """The change in percent, one decimal rounded half up (273 on 252: 8.3); None without a base."""
    if not previous:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def programme_counts(programmes, *, today):
    """Per programme id: its items counted by origin and state (cancelled items count nowhere but
    `cancelled`). One query for any number of programmes."""
    states = {
        "done_on_time": TaskQuerySet.q_done_on_time(),
        "done_late": TaskQuerySet.q_done_late(),
        "pending": TaskQuerySet.q_pending(today),
        "overdue": TaskQuerySet.q_overdue(today),
    }
    origins = {"planned": Q(origin=TaskOrigin.PLANNED), "arising": ~Q(origin=TaskOrigin.PLANNED)}
    live = ~Q(status=TaskStatus.CANCELLED)
    annotations = {"cancelled": Count("pk", filter=Q(status=TaskStatus.CANCELLED))}
    for origin, origin_q in origins.items():
        annotations[origin] = Count("pk", filter=origin_q & live)
        for state, state_q in states.items():
            annotations[f"{origin}_{state}"] = Count("pk", filter=origin_q & state_q)
    rows = Task.objects.filter(programme__in=programmes).order_by().values("programme_id").annotate(**annotations)
    empty = dict.fromkeys(annotations, 0)
    result = {getattr(programme, "pk", programme): dict(empty) for programme in programmes}
    for row in rows:
        result[row.pop("programme_id")] = row
    return result


def programme_figures(programme, *, today):
    """The figures of a work programme, defined once for its page (and any report): items by origin and
    state, completion on time, and the year-on-year comparison with the same unit's programmes issued by the
    same agency in the years before (planned items and the change in percent, as the Hà Nội 2019 report
    gives them: 273 items, +8.3% on 2018, +56.9% on 2017; 361 arising; all completed on time)."""
    earlier = list(
        WorkProgramme.objects.filter(
            unit_id=programme.unit_id,
            issuer_id=programme.issuer_id,
            year__gte=programme.year - PROGRAMME_COMPARED_YEARS,
            year__lt=programme.year,
        ).order_by("-year", "id")
    )
    counts = programme_counts([programme, *earlier], today=today)
    own = counts[programme.pk]
    total = own["planned"] + own["arising"]
    done_on_time = own["planned_done_on_time"] + own["arising_done_on_time"]
    by_year = {}
    for other in earlier:  # several programmes of one issuer in a year add up
        entry = by_year.setdefault(other.year, {"year": other.year, "planned": 0, "arising": 0, "programmes": []})
        entry["planned"] += counts[other.pk]["planned"]
        entry["arising"] += counts[other.pk]["arising"]
        entry["programmes"].append(other)
    comparisons = []
    for year in range(programme.year - 1, programme.year - PROGRAMME_COMPARED_YEARS - 1, -1):
        entry = by_year.get(year)
        if entry is None:
            comparisons.append({"year": year, "planned": None, "arising": None, "change": None, "programmes": []})
            continue
        comparisons.append({**entry, "change": _percent_change(own["planned"], entry["planned"])})
    return {
        **own,
        "total": total,
        "done_on_time": done_on_time,
        "done_late": own["planned_done_late"] + own["arising_done_late"],
        "pending": own["planned_pending"] + own["arising_pending"],
        "overdue": own["planned_overdue"] + own["arising_overdue"],
        "all_done_on_time": total > 0 and done_on_time == total,
        "comparisons": comparisons,
    }


def programme_items(programme, *, origin=None, state=None, today):
    """The programme's items for its page, filtered by origin and state (a `task_state_q` name)."""
    queryset = (
        Task.objects.filter(programme=programme)
        .select_related("responsible_agency", "article")
        .order_by("due_date", "id")
    )
    if origin == TaskOrigin.PLANNED:
        queryset = queryset.filter(origin=TaskOrigin.PLANNED)
    elif origin == TaskOrigin.ARISING:
        queryset = queryset.exclude(origin=TaskOrigin.PLANNED)
    if state:
        queryset = queryset.filter(task_state_q(state, today))
    return queryset


# --- reads for the read API (coordination.api) ----------------------------------------------------------


def charters_with_articles(user):
    """The charters `user` may see (`visible_charters`), each with its parties and its articles (area, lead and
    supporting agencies) in a fixed number of queries, unordered (the API orders for its cursor)."""
    return (
        visible_charters(user)
        .select_related("unit", "term", "supersedes")
        .prefetch_related(
            Prefetch("party_links", queryset=CharterParty.objects.select_related("agency").order_by("order", "id")),
            Prefetch(
                "articles",
                queryset=Article.objects.select_related("area", "lead_agency")
                .prefetch_related("supporting_agencies")
                .order_by("number", "id"),
            ),
        )
        .defer("search_text")
        .order_by()
    )
