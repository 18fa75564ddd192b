"""Reads for the review pages, each shaped for its page (related rows loaded up front)."""

from django.db.models import Count, Min, Q

from charters.selectors import CharterStatus, charters_all
from coordination.permissions import agency_of, is_site_admin, visible_unit_ids

from .models import AnnualReview, ReportFile, ReportStatus, ReviewKind, ReviewVersion


def visible_reviews(user):
    """Reviews of charters the user's agency is a party to (all for site administrators)."""
    queryset = AnnualReview.objects.all()
    if is_site_admin(user):
        return queryset
    agency = agency_of(user)
    if agency is None:
        return queryset.none()
    return queryset.filter(charter__unit_id__in=visible_unit_ids(user), charter__party_links__agency=agency)


def review_list(*, user, unit=None, charter=None):
    queryset = visible_reviews(user).select_related("charter__unit", "charter__term")
    if unit:
        queryset = queryset.filter(charter__unit_id=unit)
    if charter:
        queryset = queryset.filter(charter_id=charter)
    return queryset.annotate(
        approvals_count=Count("approvals", distinct=True),
        ready_reports=Count("report_files", filter=Q(report_files__status="ready"), distinct=True),
    ).order_by("-year", "charter__unit__name", "-id")


def reviewable_charters(user):
    """Charters (signed, in force or ended) the user's agency is a party to, for the "new review" links."""
    queryset = charters_all().exclude(status=CharterStatus.DRAFT).select_related("unit", "term")
    if is_site_admin(user):
        return queryset.order_by("unit__name", "-effective_from")
    agency = agency_of(user)
    if agency is None:
        return queryset.none()
    return queryset.filter(party_links__agency=agency).order_by("-effective_from")


def charter_review_states(user, year):
    """Each charter the user's agency is a party to (every charter for site administrators) that was valid in
    `year`, with its annual review of that year (or None) and the approvals counted: the list's "state of
    every charter's review"."""
    import datetime

    charters = list(
        reviewable_charters(user).filter(
            term__start_date__lte=datetime.date(year, 12, 31), term__end_date__gte=datetime.date(year, 1, 1)
        )
    )
    reviews = {
        review.charter_id: review
        for review in AnnualReview.objects.filter(charter__in=charters, year=year, kind=ReviewKind.ANNUAL).annotate(
            approvals_count=Count("approvals", distinct=True),
            parties_count=Count("charter__party_links", distinct=True),
        )
    }
    return [{"charter": charter, "review": reviews.get(charter.pk)} for charter in charters]


def review_versions(review):
    return ReviewVersion.objects.filter(review=review).select_related("created_by").defer("data").order_by("-number")


def review_report_files(review):
    return (
        ReportFile.objects.filter(review=review)
        .select_related("source_version", "requested_by")
        .defer("source_version__data")
    )


def oldest_queued_render_age(now):
    """Seconds since the oldest report render still waiting or running was requested (None: none is), for
    /healthz."""
    oldest = ReportFile.objects.filter(status__in=(ReportStatus.QUEUED, ReportStatus.RENDERING)).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return None if oldest is None else max(0, int((now - oldest).total_seconds()))
