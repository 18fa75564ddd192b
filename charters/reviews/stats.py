"""Statistics of a review: each figure is one aggregate query over the year's meetings, petitions, tasks, documents.

The result is plain JSON (codes, numbers, agency names as they were), frozen into the review when it is
generated; labels are looked up when the page or the PDF is drawn.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from charters.models import Task, TaskOrigin, TaskQuerySet, TaskStatus
from coordination.models import Agency
from meetings.models import VOTER_CONTACT_KINDS, Meeting, MeetingKind, SessionDocument, SessionDocumentQuerySet
from voters.models import Evaluation, EvaluationResult, Forwarding, Petition, PetitionQuerySet, Source, Status

from .models import AnnualReview, ReviewKind, ReviewStatus

STATS_SCHEMA = 1
# Figures compared with the previous years, in the order the report lists them.
HEADLINE_KEYS = (
    "meetings_total",
    "council_sessions",
    "voter_contact",
    "supervision",
    "petitions_received",
    "petitions_forwarded",
    "petitions_answered",
    "petitions_answered_on_time",
    "petitions_overdue",
    "tasks_planned",
    "tasks_arising",
    "tasks_done",
    "documents_late",
)
COMPARED_YEARS = 2
NOT_AWAITING = (Status.RECEIVED, Status.CLASSIFIED, Status.RETURNED)


def review_period(charter, year, kind):
    """First and last day the review covers: the calendar year, or the charter's term for an end-of-term review."""
    if kind == ReviewKind.END_OF_TERM:
        return charter.term.start_date, charter.term.end_date
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _meeting_counts(unit, start, end):
    counts = Meeting.objects.filter(
        unit=unit, starts_at__gte=_day_start(start), starts_at__lt=_day_start(end + datetime.timedelta(days=1))
    ).aggregate(
        total=Count("pk"),
        **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in MeetingKind},
    )
    total = counts.pop("total")
    return {
        "total": total,
        "by_kind": counts,
        "voter_contact": sum(counts[kind.value] for kind in VOTER_CONTACT_KINDS),
    }


def _petition_conditions(as_of):
    """The per-petition conditions, shared by the totals and the grouped tables.

    A petition counts as answered if its answer is dated on or before `as_of`; overdue if it was
    forwarded, its due date passed before `as_of`, it had no answer by then and it is not back with the
    receiving office (returned for the wrong authority: the clock restarts when it is forwarded again)."""
    answered = Q(answered_on__isnull=False, answered_on__lte=as_of)
    return {
        "received": Q(),
        "forwarded": Q(was_forwarded=True),
        "answered": answered,
        # On time and late: the petitions' own conditions, among those answered by `as_of`.
        "answered_on_time": answered & PetitionQuerySet.q_answered_on_time(),
        "answered_late": answered & PetitionQuerySet.q_answered_late(),
        "overdue": Q(was_forwarded=True, due_date__lt=as_of)
        & ~Q(status__in=NOT_AWAITING)
        & (Q(answered_on__isnull=True) | Q(answered_on__gt=as_of)),
        "returned": Q(was_returned=True),
        "unsatisfactory": Q(was_unsatisfactory=True),
    }


def _petitions_base(unit, start, end, as_of):
    as_of_end = _day_start(as_of + datetime.timedelta(days=1))
    return Petition.objects.filter(unit=unit, received_on__gte=start, received_on__lte=end).annotate(
        was_forwarded=Exists(Forwarding.objects.filter(petition=OuterRef("pk"), dispatch_date__lte=as_of)),
        was_returned=Exists(Forwarding.objects.filter(petition=OuterRef("pk"), returned_at__lt=as_of_end)),
        # Answers are often judged at the year-end session or later: every judgement known when the
        # review is generated counts.
        was_unsatisfactory=Exists(
            Evaluation.objects.filter(petition=OuterRef("pk"), result=EvaluationResult.UNSATISFACTORY)
        ),
    )


def _petition_counts(unit, start, end, as_of):
    base = _petitions_base(unit, start, end, as_of)
    conditions = _petition_conditions(as_of)
    totals = base.aggregate(
        **{name: Count("pk", filter=condition) if condition else Count("pk") for name, condition in conditions.items()},
        from_voter_contact=Count("pk", filter=Q(source=Source.MEETING)),
    )
    by_field = list(
        base.order_by()
        .values("field")
        .annotate(**{name: Count("pk", filter=c) if c else Count("pk") for name, c in conditions.items()})
        .order_by("-received", "field")
    )
    agency_conditions = {
        name: conditions[name] for name in ("answered", "answered_on_time", "answered_late", "overdue")
    }
    by_agency = list(
        base.filter(lead_agency__isnull=False)
        .order_by()
        .values("lead_agency_id", name=F("lead_agency__name"))
        .annotate(forwarded=Count("pk"), **{name: Count("pk", filter=c) for name, c in agency_conditions.items()})
        .order_by("-forwarded", "name")
    )
    # A return belongs to the agency that sent the petition back, not to the current lead agency.
    returned_by_agency = dict(
        Forwarding.objects.filter(
            petition__in=base.values("pk"), returned_at__lt=_day_start(as_of + datetime.timedelta(days=1))
        )
        .order_by()
        .values("agency_id")
        .annotate(n=Count("petition", distinct=True))
        .values_list("agency_id", "n")
    )
    rows = []
    for row in by_agency:
        row["agency_id"] = row.pop("lead_agency_id")
        row["returned"] = returned_by_agency.pop(row["agency_id"], 0)
        rows.append(row)
    if returned_by_agency:
        names = dict(Agency.objects.filter(pk__in=returned_by_agency).values_list("pk", "name"))
        for agency_id, count in returned_by_agency.items():
            zero = dict.fromkeys(("forwarded", *agency_conditions), 0)
            rows.append({"agency_id": agency_id, "name": names.get(agency_id, ""), **zero, "returned": count})
    totals["by_field"] = by_field
    totals["by_agency"] = rows
    return totals


def _task_conditions(as_of):
    return {
        "total": ~Q(status=TaskStatus.CANCELLED),
        "done_on_time": TaskQuerySet.q_done_on_time(),
        "done_late": TaskQuerySet.q_done_late(),
        "open": TaskQuerySet.q_open(),
        "overdue": TaskQuerySet.q_overdue(as_of),
        "cancelled": Q(status=TaskStatus.CANCELLED),
    }


def _task_counts(charter, start, end, as_of):
    base = Task.objects.filter(charter=charter, due_date__gte=start, due_date__lte=end)
    conditions = _task_conditions(as_of)
    origins = {"planned": Q(origin=TaskOrigin.PLANNED), "arising": ~Q(origin=TaskOrigin.PLANNED)}
    flat = base.aggregate(
        **{
            f"{origin}__{name}": Count("pk", filter=origin_q & condition)
            for origin, origin_q in origins.items()
            for name, condition in conditions.items()
        }
    )
    result = {origin: {name: flat[f"{origin}__{name}"] for name in conditions} for origin in origins}
    result["total"] = {name: result["planned"][name] + result["arising"][name] for name in conditions}
    result["by_article"] = list(
        base.order_by()
        .values("article_id", article_number=F("article__number"), article_title=F("article__title"))
        .annotate(**{name: Count("pk", filter=c) for name, c in conditions.items()})
        .order_by(F("article__number").asc(nulls_last=True))
    )
    return result


def _document_counts(unit, start, end, as_of):
    base = SessionDocument.objects.filter(
        meeting__unit=unit,
        meeting__starts_at__gte=_day_start(start),
        meeting__starts_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    conditions = {
        "total": Q(),
        "on_time": SessionDocumentQuerySet.q_on_time(),
        "late": SessionDocumentQuerySet.q_late(),
        "undelivered": SessionDocumentQuerySet.q_overdue(as_of),
    }
    counted = {name: Count("pk", filter=c) if c else Count("pk") for name, c in conditions.items()}
    totals = base.aggregate(**counted)
    totals["by_agency"] = list(
        base.order_by()
        .values("responsible_agency_id", name=F("responsible_agency__name"))
        .annotate(**counted)
        .order_by("-late", "-total", "name")
    )
    return totals


def headline_of(stats):
    """The figures compared year on year, from a full statistics dict."""
    meetings, petitions, tasks = stats["meetings"], stats["petitions"], stats["tasks"]
    return {
        "meetings_total": meetings["total"],
        "council_sessions": meetings["by_kind"].get(MeetingKind.COUNCIL_SESSION.value, 0),
        "voter_contact": meetings["voter_contact"],
        "supervision": meetings["by_kind"].get(MeetingKind.SUPERVISION.value, 0),
        "petitions_received": petitions["received"],
        "petitions_forwarded": petitions["forwarded"],
        "petitions_answered": petitions["answered"],
        "petitions_answered_on_time": petitions["answered_on_time"],
        "petitions_overdue": petitions["overdue"],
        "tasks_planned": tasks["planned"]["total"],
        "tasks_arising": tasks["arising"]["total"],
        "tasks_done": tasks["total"]["done_on_time"] + tasks["total"]["done_late"],
        "documents_late": stats["documents"]["late"],
    }


def statistics_compute(charter, year, *, kind=ReviewKind.ANNUAL, today=None, with_previous=True):
    """All figures of `charter`'s unit and parties for `year`, as JSON-ready data."""
    today = today or timezone.localdate()
    start, end = review_period(charter, year, kind)
    as_of = min(today, end)
    unit = charter.unit
    stats = {
        "schema": STATS_SCHEMA,
        "year": year,
        "kind": kind,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "as_of": as_of.isoformat(),
        "computed_at": timezone.now().isoformat(),
        "meetings": _meeting_counts(unit, start, end),
        "petitions": _petition_counts(unit, start, end, as_of),
        "tasks": _task_counts(charter, start, end, as_of),
        "documents": _document_counts(unit, start, end, as_of),
    }
    stats["headline"] = headline_of(stats)
    if with_previous and kind == ReviewKind.ANNUAL:
        stats["previous"] = previous_headlines(charter, year, today=today)
    return stats


def previous_headlines(charter, year, *, today=None):
    """The headline figures of the years before `year`: from an earlier review's frozen statistics when there
    is one (approved first), otherwise computed now from the data."""
    previous = []
    frozen = {}
    reviews = (
        AnnualReview.objects.filter(
            charter__unit=charter.unit,
            kind=ReviewKind.ANNUAL,
            year__gte=year - COMPARED_YEARS,
            year__lt=year,
        )
        .exclude(stats={})
        .order_by("year", F("approved_at").desc(nulls_last=True), "-status", "-id")
        .values("year", "status", "stats")
    )
    for row in reviews:
        if row["year"] not in frozen or (
            row["status"] == ReviewStatus.APPROVED and frozen[row["year"]]["status"] != ReviewStatus.APPROVED
        ):
            frozen[row["year"]] = row
    for earlier in range(year - 1, year - COMPARED_YEARS - 1, -1):
        if earlier in frozen and "headline" in frozen[earlier]["stats"]:
            figures, source = frozen[earlier]["stats"]["headline"], "review"
        else:
            computed = statistics_compute(charter, earlier, today=today, with_previous=False)
            figures, source = computed["headline"], "computed"
        previous.append({"year": earlier, "source": source, "figures": figures, "empty": not any(figures.values())})
    return previous
