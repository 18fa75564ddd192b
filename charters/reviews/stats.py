"""Statistics of a review: each figure is one aggregate query over the year's meetings, petitions, tasks, documents.

The result is plain JSON (codes, numbers, agency names as they were), frozen into the review when it is
generated; labels are looked up when the page or the PDF is drawn.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from charters.selectors import TaskOrigin, TaskQuerySet, TaskStatus, charter_successor, tasks_due_between
from coordination.models import Agency
from meetings.selectors import (
    VOTER_CONTACT_KINDS,
    MeetingKind,
    SessionDocumentQuerySet,
    meetings_starting_between,
    session_documents_of,
)
from supervision.selectors import supervision_figures
from voters.selectors import (
    EvaluationResult,
    PetitionQuerySet,
    Source,
    Status,
    petition_answers,
    petition_evaluations,
    petition_forwardings,
    petitions_received_between,
)

from .models import AnnualReview, ReviewKind, ReviewStatus

STATS_SCHEMA = 2
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


def review_period(charter, year, kind, period=None):
    """First and last day the review covers: `period` (start, end) when given (a sơ kết of a chosen span, a
    mid-term review), else the calendar year, or the charter's term for an end-of-term review."""
    if period is not None and period[0] and period[1]:
        return period[0], period[1]
    if kind == ReviewKind.END_OF_TERM:
        return charter.term.start_date, charter.term.end_date
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def charter_validity(charter):
    """First and last day the charter governed coordination: from its effective (or signing) day to the day
    before its successor took effect, or the end of its term."""
    start = charter.effective_from or charter.signed_on or charter.term.start_date
    end = charter.term.end_date

    successor = charter_successor(charter)
    if successor is not None:
        end = min(end, successor.effective_from - datetime.timedelta(days=1))
    return start, end


class Scope:
    """Which records are this charter's, in a period (the rule is written down in the README):

    - a meeting linked to the charter counts; a meeting linked to no charter counts when it was held in the
      charter's unit, hosted by one of its parties, while the charter was valid; a meeting linked to another
      charter never counts;
    - a petition counts when it was raised at a meeting that counts, or — raised elsewhere or at a meeting
      linked to no charter — when a party of the charter took it in, in the charter's unit, while it was valid;
    - a task counts when it belongs to the charter (tasks always carry their charter);
    - a session document counts when its meeting counts.
    Two charters of one unit therefore count different records as soon as their parties, links or periods
    differ."""

    def __init__(self, charter, start, end):
        self.charter = charter
        self.start, self.end = start, end
        self.party_ids = list(charter.party_links.values_list("agency_id", flat=True))
        valid_from, valid_to = charter_validity(charter)
        self.free_start, self.free_end = max(start, valid_from), min(end, valid_to)

    @property
    def has_free_period(self):
        return self.free_start <= self.free_end

    def meetings_q(self, prefix=""):
        linked = Q(**{f"{prefix}charter": self.charter})
        if not self.has_free_period:
            return linked
        free = Q(
            **{
                f"{prefix}charter__isnull": True,
                f"{prefix}unit": self.charter.unit_id,
                f"{prefix}host_agency__in": self.party_ids,
                f"{prefix}starts_at__gte": _day_start(self.free_start),
                f"{prefix}starts_at__lt": _day_start(self.free_end + datetime.timedelta(days=1)),
            }
        )
        return linked | free

    def meetings(self):
        return meetings_starting_between(self.start, self.end, condition=self.meetings_q())

    def petitions_q(self):
        at_meeting = Q(meeting__isnull=False) & self.meetings_q("meeting__")
        if not self.has_free_period:
            return at_meeting
        free = (Q(meeting__isnull=True) | Q(meeting__charter__isnull=True)) & Q(
            unit=self.charter.unit_id,
            originating_agency__in=self.party_ids,
            received_on__gte=self.free_start,
            received_on__lte=self.free_end,
        )
        return at_meeting | free

    def petitions(self):
        return petitions_received_between(self.start, self.end, self.petitions_q())


def _meeting_counts(scope):
    counts = scope.meetings().aggregate(
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


def _petitions_base(scope, as_of):
    as_of_end = _day_start(as_of + datetime.timedelta(days=1))
    return scope.petitions().annotate(
        was_forwarded=Exists(petition_forwardings(petition=OuterRef("pk"), dispatch_date__lte=as_of)),
        was_returned=Exists(petition_forwardings(petition=OuterRef("pk"), returned_at__lt=as_of_end)),
        # Answers are often judged at the year-end session or later: every judgement known when the
        # review is generated counts.
        was_unsatisfactory=Exists(
            petition_evaluations(petition=OuterRef("pk"), result=EvaluationResult.UNSATISFACTORY)
        ),
    )


def _reanswer_cycle(base, as_of):
    """The re-answer cycle of the period's petitions, in one query over their answers: how many answers
    were judged unsatisfactory (every judgement counts, a petition may go round twice), how many re-answers
    came in by `as_of`, and how many of those on time (on or before the due date the judgement set)."""
    reanswer = Q(is_reanswer=True, document_date__lte=as_of)
    return petition_answers(petition__in=base.values("pk")).aggregate(
        answers_judged_unsatisfactory=Count(
            "evaluations", filter=Q(evaluations__result=EvaluationResult.UNSATISFACTORY), distinct=True
        ),
        reanswered=Count("pk", filter=reanswer, distinct=True),
        reanswered_on_time=Count(
            "pk", filter=reanswer & (Q(due_date__isnull=True) | Q(document_date__lte=F("due_date"))), distinct=True
        ),
    )


def _petition_counts(scope, as_of):
    base = _petitions_base(scope, as_of)
    conditions = _petition_conditions(as_of)
    totals = base.aggregate(
        **{name: Count("pk", filter=condition) if condition else Count("pk") for name, condition in conditions.items()},
        from_voter_contact=Count("pk", filter=Q(source=Source.MEETING)),
    )
    totals.update(_reanswer_cycle(base, as_of))
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
        petition_forwardings(
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
    base = tasks_due_between(start, end, charter=charter)
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


def _document_counts(scope, as_of):
    base = session_documents_of(scope.meetings().values("pk"))
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


def _measured(value, base):
    """A figure is recorded only when what it counts exists: no session documents at all means "late
    documents" has no data (None, printed "—" or left out), not zero."""
    return value if base else None


def headline_of(stats):
    """The figures compared year on year, from a full statistics dict; None where nothing was recorded."""
    meetings, petitions, tasks = stats["meetings"], stats["petitions"], stats["tasks"]
    documents = stats["documents"]
    tasks_all = tasks["total"]["total"]
    return {
        "meetings_total": meetings["total"] or None,
        "council_sessions": meetings["by_kind"].get(MeetingKind.COUNCIL_SESSION.value, 0) or None,
        "voter_contact": meetings["voter_contact"] or None,
        "supervision": meetings["by_kind"].get(MeetingKind.SUPERVISION.value, 0) or None,
        "petitions_received": petitions["received"] or None,
        "petitions_forwarded": _measured(petitions["forwarded"], petitions["received"]),
        "petitions_answered": _measured(petitions["answered"], petitions["forwarded"]),
        "petitions_answered_on_time": _measured(petitions["answered_on_time"], petitions["answered"]),
        "petitions_overdue": _measured(petitions["overdue"], petitions["forwarded"]),
        "tasks_planned": tasks["planned"]["total"] or None,
        "tasks_arising": tasks["arising"]["total"] or None,
        "tasks_done": _measured(tasks["total"]["done_on_time"] + tasks["total"]["done_late"], tasks_all),
        "documents_late": _measured(documents["late"], documents["total"]),
    }


def statistics_compute(charter, year, *, kind=ReviewKind.ANNUAL, today=None, with_previous=True, period=None):
    """All figures of `charter` (see `Scope`) for `year` or the given `period` (start, end), as JSON-ready data."""
    today = today or timezone.localdate()
    start, end = review_period(charter, year, kind, period)
    as_of = min(today, end)
    scope = Scope(charter, start, end)
    stats = {
        "schema": STATS_SCHEMA,
        "year": year,
        "kind": kind,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "as_of": as_of.isoformat(),
        "computed_at": timezone.now().isoformat(),
        "cut_off": today.isoformat(),
        "charter": {"number": charter.number, "title": charter.title},
        # Earlier years are only compared: their header is not printed.
        "issuers": issuers_of(charter) if with_previous else [],
        "meetings": _meeting_counts(scope),
        "petitions": _petition_counts(scope, as_of),
        "tasks": _task_counts(charter, start, end, as_of),
        "documents": _document_counts(scope, as_of),
        # Supervision programmes and social criticism in the charter's unit (supervision.selectors).
        "supervision": supervision_figures(unit_ids=[charter.unit_id], start=start, end=end, today=as_of),
    }
    stats["headline"] = headline_of(stats)
    if with_previous and kind == ReviewKind.ANNUAL and (start, end) == review_period(charter, year, kind):
        stats["previous"] = previous_headlines(charter, year, today=today)
    return stats


def previous_headlines(charter, year, *, today=None):
    """The headline figures of the years before `year`: from an earlier review's frozen statistics when there
    is one (approved first), otherwise computed now from the data."""
    previous = []
    frozen = {}
    reviews = (
        AnnualReview.objects.filter(
            charter=charter,
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
        empty = not any(figures.values())
        # A year with no records at all prints "—" in every cell, never 0.
        figures = {key: (None if empty or value is None else value) for key, value in figures.items()}
        previous.append({"year": earlier, "source": source, "figures": figures, "empty": empty})
    return previous


ISSUER_BODY_VI = {
    "HDND": "THƯỜNG TRỰC HĐND",
    "UBND": "ỦY BAN NHÂN DÂN",
    "MTTQ": "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM",
    "DBQH": "ĐOÀN ĐẠI BIỂU QUỐC HỘI",
}


UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Đặc khu ")


def unit_full_name(unit):
    """ "Tỉnh Bắc Kạn" also for a unit stored as "Bắc Kạn" with its division type "tỉnh"."""
    if unit.name.startswith(UNIT_PREFIXES) or not unit.division_type:
        return unit.name
    division = unit.division_type.strip()
    if division.lower().startswith("thành phố"):
        division = "thành phố"
    return f"{division[:1].upper()}{division[1:]} {unit.name}"


def unit_upper(unit):
    """ "TỈNH BẮC KẠN", with non-breaking spaces so the header never breaks inside a unit's name."""
    return unit_full_name(unit).upper().replace(" ", "\u00a0")


def issuers_of(charter):
    """The issuing agencies as the header names them, frozen with the figures: each in full with its unit
    ("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN"), never "UBND TỈNH"."""
    unit = charter.unit
    issuers = []
    for link in charter.party_links.select_related("agency").order_by("order", "id"):
        agency = link.agency
        body = ISSUER_BODY_VI.get(agency.kind)
        if body is None:
            name = agency.name.upper()
            full = unit_full_name(unit).upper()
            body = name[: -len(full) - 1] if name.endswith(" " + full) else name
        issuers.append({"kind": agency.kind, "agency": agency.name, "line": f"{body} {unit_upper(unit)}"})
    return issuers
