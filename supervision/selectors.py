"""Reads of supervision: the pages' querysets, the overlap warning, and the figures the dashboard and the
reviews count (`supervision_figures`, the one definition of each figure). The aggregators read this app only
through this module."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from coordination.models import AdministrativeUnit
from coordination.permissions import filter_by_unit
from coordination.text import fold

from .models import (
    ProgrammeStatus,
    Recommendation,
    RecommendationQuerySet,
    RecommendationStatus,
    ReportRequest,
    ReportRequestQuerySet,
    SocialCriticism,
    SupervisionProgramme,
    SupervisionProgrammeQuerySet,
)

__all__ = [
    "ProgrammeStatus",
    "RecommendationQuerySet",
    "RecommendationStatus",
    "ReportRequestQuerySet",
    "SupervisionProgrammeQuerySet",
    "criticism_list",
    "programme_detail_queryset",
    "programme_list",
    "programme_overlaps",
    "subject_key",
    "supervision_figures",
]


def subject_key(subject):
    """The subject as the overlap warning compares it: folded, without punctuation at the ends."""
    return fold(subject).strip(" .,;:-–")


def programme_list(*, user, filters=None, today):
    """The list page: one query for the rows with their counts, whatever the number of programmes."""
    filters = filters or {}
    queryset = filter_by_unit(SupervisionProgramme.objects.all(), user).select_related("unit", "supervising_agency")
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("agency"):
        queryset = queryset.filter(supervising_agency=filters["agency"])
    if filters.get("year"):
        queryset = queryset.filter(period_start__year__lte=filters["year"], period_end__year__gte=filters["year"])
    if filters.get("q"):
        queryset = queryset.filter(subject_key__contains=subject_key(filters["q"]))
    return queryset.annotate(
        reports_total=Count("report_requests", distinct=True),
        reports_outstanding=Count(
            "report_requests", filter=ReportRequestQuerySet.q_outstanding("report_requests__"), distinct=True
        ),
        reports_late=Count(
            "report_requests",
            filter=ReportRequestQuerySet.q_received_late("report_requests__")
            | ReportRequestQuerySet.q_overdue(today, "report_requests__"),
            distinct=True,
        ),
        recommendations_open=Count(
            "recommendations", filter=RecommendationQuerySet.q_open("recommendations__"), distinct=True
        ),
        recommendations_overdue=Count(
            "recommendations", filter=RecommendationQuerySet.q_overdue(today, "recommendations__"), distinct=True
        ),
    ).order_by("-period_start", "-id")


def programme_detail_queryset():
    return SupervisionProgramme.objects.select_related("unit", "supervising_agency", "created_by").prefetch_related(
        "supervised_agencies",
        Prefetch("report_requests", queryset=ReportRequest.objects.select_related("agency")),
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("responsible_agency")),
        "visits",
    )


@dataclass
class Overlap:
    programme: SupervisionProgramme
    same_subject: bool
    shared_agencies: list


def _neighbour_unit_ids(unit):
    """The unit, its parent (the province) and its children: where another body may supervise the same."""
    ids = {unit.pk}
    if unit.parent_id:
        ids.add(unit.parent_id)
    ids.update(AdministrativeUnit.objects.filter(parent=unit).values_list("pk", flat=True))
    return ids


def programme_overlaps(
    *, unit, supervising_agency, subject, period_start, period_end, supervised_agency_ids, exclude_pk=None
):
    """Programmes of other bodies, in the same unit or its province or communes, whose period overlaps and which
    supervise the same subject (folded equality or containment) or one of the same bodies. A warning for
    coordination, never a block. Two queries."""
    key = subject_key(subject)
    supervised = set(supervised_agency_ids or ())
    candidates = (
        SupervisionProgramme.objects.filter(unit_id__in=_neighbour_unit_ids(unit))
        .filter(SupervisionProgrammeQuerySet.q_overlapping(period_start, period_end))
        .exclude(status=ProgrammeStatus.CANCELLED)
        .exclude(supervising_agency=supervising_agency)
        .select_related("supervising_agency", "unit")
        .prefetch_related("supervised_agencies")
        .order_by("period_start", "id")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for other in candidates:
        same_subject = bool(key and other.subject_key and (key in other.subject_key or other.subject_key in key))
        shared = [agency for agency in other.supervised_agencies.all() if agency.pk in supervised]
        if same_subject or shared:
            found.append(Overlap(programme=other, same_subject=same_subject, shared_agencies=shared))
    return found


def overlaps_of(programme):
    return programme_overlaps(
        unit=programme.unit,
        supervising_agency=programme.supervising_agency,
        subject=programme.subject,
        period_start=programme.period_start,
        period_end=programme.period_end,
        supervised_agency_ids=[agency.pk for agency in programme.supervised_agencies.all()],
        exclude_pk=programme.pk,
    )


def criticism_list(*, user):
    return (
        filter_by_unit(SocialCriticism.objects.all(), user).select_related("unit", "agency").order_by("-held_on", "-id")
    )


def supervision_figures(*, unit_ids, start, end, today, agency_ids=None):
    """The figures of supervision in `unit_ids` over [start, end], as of `today`: one query per kind of record.

    - programmes held: not cancelled, started in the period;
    - reports due or received in the period: received on time, received late, outstanding (not yet
      received), of which overdue;
    - recommendations due or done in the period (done early counts in the year it was done): done (of which
      late), overdue (open, due before today), open (not yet due);
    - social criticism records held in the period.
    `agency_ids`: only programmes of these supervising bodies (a charter's parties)."""
    programmes = SupervisionProgramme.objects.filter(unit_id__in=list(unit_ids))
    if agency_ids is not None:
        programmes = programmes.filter(supervising_agency_id__in=list(agency_ids))
    held = programmes.filter(SupervisionProgrammeQuerySet.q_held(start, end)).count()
    in_scope = Q(programme__in=programmes.exclude(status=ProgrammeStatus.CANCELLED).values("pk"))
    due_or_received = Q(due_date__gte=start, due_date__lte=end) | Q(received_on__gte=start, received_on__lte=end)
    reports = ReportRequest.objects.filter(in_scope, due_or_received).aggregate(
        requested=Count("pk"),
        on_time=Count("pk", filter=ReportRequestQuerySet.q_received_on_time()),
        late=Count("pk", filter=ReportRequestQuerySet.q_received_late()),
        outstanding=Count("pk", filter=ReportRequestQuerySet.q_outstanding()),
        overdue=Count("pk", filter=ReportRequestQuerySet.q_overdue(today)),
    )
    due_or_done = Q(due_date__gte=start, due_date__lte=end) | Q(done_on__gte=start, done_on__lte=end)
    recommendations = Recommendation.objects.filter(in_scope, due_or_done).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=RecommendationQuerySet.q_done()),
        done_late=Count("pk", filter=RecommendationQuerySet.q_done_late()),
        overdue=Count("pk", filter=RecommendationQuerySet.q_overdue(today)),
        open=Count("pk", filter=RecommendationQuerySet.q_pending(today)),
    )
    criticisms = SocialCriticism.objects.filter(unit_id__in=list(unit_ids), held_on__gte=start, held_on__lte=end)
    if agency_ids is not None:
        criticisms = criticisms.filter(agency_id__in=list(agency_ids))
    return {
        "programmes_held": held,
        "reports_requested": reports["requested"],
        "reports_on_time": reports["on_time"],
        "reports_late": reports["late"],
        "reports_outstanding": reports["outstanding"],
        "reports_overdue": reports["overdue"],
        "recommendations_total": recommendations["total"],
        "recommendations_done": recommendations["done"],
        "recommendations_done_late": recommendations["done_late"],
        "recommendations_overdue": recommendations["overdue"],
        "recommendations_open": recommendations["open"],
        "social_criticisms": criticisms.count(),
    }
