"""Every write service of the reviews checks its actor, whoever calls it (a view, a Celery task, a command):
a clerk of another unit, a member of a non-party agency, or no one at all, is refused with PermissionDenied
and nothing is written. The worker's own operations (render, requeue) take no user."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from charters.reviews import services
from charters.reviews.models import AnnualReview, ReportFile, ReviewApproval, ReviewKind, ReviewVersion
from coordination.models import AuditEvent
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY

CALLS = {
    "review_create": lambda actor, w: services.review_create(
        actor=actor, charter=w["review"].charter, year=2025, kind=ReviewKind.END_OF_TERM, today=TODAY
    ),
    "review_update": lambda actor, w: services.review_update(
        actor=actor, review=w["review"], version=w["review"].version, results="Đã sửa"
    ),
    "review_stats_refresh": lambda actor, w: services.review_stats_refresh(
        actor=actor, review=w["review"], version=w["review"].version, today=TODAY
    ),
    "review_submit": lambda actor, w: services.review_submit(
        actor=actor, review=w["review"], version=w["review"].version
    ),
    "review_approve": lambda actor, w: services.review_approve(
        actor=actor, review=w["review"], agency=w["agencies"].hdnd
    ),
    "review_return": lambda actor, w: services.review_return(
        actor=actor, review=w["review"], version=w["review"].version, reason="Sửa số liệu"
    ),
    "review_approval_record": lambda actor, w: services.review_approval_record(
        actor=actor,
        review=w["review"],
        agency=w["agencies"].ubnd,
        signed_copy=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed copy", content_type="application/pdf"),
    ),
    "review_reopen": lambda actor, w: services.review_reopen(
        actor=actor, review=w["review"], version=w["review"].version, reason="Sửa số liệu"
    ),
    "report_request": lambda actor, w: services.report_request(actor=actor, review=w["review"]),
    "report_request_sync": lambda actor, w: services.report_request_sync(review=w["review"], actor=actor),
}

# The worker's and the commands' own operations: no user acts (report_request_sync only with actor=None).
SYSTEM_OPERATIONS = {"report_request_sync", "reports_requeue", "report_claim", "report_render"}
NOT_WRITES = {"party_agency_ids", "report_is_stuck"}


@pytest.fixture
def world(review, agencies):
    return {"review": review, "agencies": agencies}


def _stored():
    return (
        AuditEvent.objects.count(),
        list(AnnualReview.objects.order_by("pk").values_list("pk", "version", "status", "results")),
        ReviewVersion.objects.count(),
        ReviewApproval.objects.count(),
        ReportFile.objects.count(),
    )


def test_every_write_service_is_listed():
    public = {
        name
        for name, value in vars(services).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", None) == services.__name__
        and not isinstance(value, type)
    }
    assert public - NOT_WRITES == set(CALLS) | SYSTEM_OPERATIONS


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_outsider_is_refused_and_nothing_is_written(name, world, outsider):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](outsider, world)
    assert _stored() == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_member_of_a_non_party_agency_is_refused(name, world, department_clerk):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](department_clerk, world)
    assert _stored() == before


@pytest.mark.parametrize("name", sorted(set(CALLS) - SYSTEM_OPERATIONS))
def test_no_actor_is_refused_outside_the_system_operations(name, world):
    before = _stored()
    with pytest.raises(PermissionDenied):
        CALLS[name](None, world)
    assert _stored() == before


def test_a_leader_approves_only_for_their_own_agency(world, leader, secretariat):
    review = services.review_submit(actor=secretariat, review=world["review"], version=world["review"].version)
    before = _stored()
    with pytest.raises(PermissionDenied):
        services.review_approve(actor=leader, review=review, agency=world["agencies"].ubnd)
    assert _stored() == before
    services.review_approve(actor=leader, review=review, agency=world["agencies"].hdnd)
    assert ReviewApproval.objects.filter(review=review, agency=world["agencies"].hdnd).exists()
