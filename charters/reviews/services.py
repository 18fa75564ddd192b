"""Every write to annual reviews and their PDF reports: one transaction each, with an audit entry.

Each service checks that `actor` may act (`charters.reviews.permissions`) and raises PermissionDenied
otherwise, whoever calls it (a view, a Celery task, a command). System operations take no user: the
worker's `report_render` and `reports_requeue`, and `report_request_sync` with `actor=None` (the
`render_report` command); every other write needs an actor who may act."""

import datetime
import logging
import os
import secrets
import tempfile
from functools import partial
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charters.selectors import CharterStatus, charters_with_unit_and_term
from charters.uploads import validate_pdf_upload
from coordination.audit import audit_record, diff, snapshot
from coordination.claims import ClaimHeartbeat
from coordination.locking import ConflictError, versioned_update
from coordination.permissions import agency_of, ensure
from coordination.queueing import enqueue, enqueue_on_commit

from . import permissions
from .docx import report_docx
from .models import (
    KINDS_WITH_GIVEN_PERIOD,
    VERSIONED_FIELDS,
    AnnualReview,
    ApprovalMethod,
    ReportFile,
    ReportFormat,
    ReportStatus,
    ReviewApproval,
    ReviewKind,
    ReviewSnapshot,
    ReviewStatus,
    ReviewVersion,
    report_storage,
)
from .report import appendix_rows_compute, report_pdf
from .stats import review_period, statistics_compute
from .text import (
    introduction_default,
    narrative_prefill,
    recipients_default,
    signers_default,
    summary_default,
    symbol_default,
)

# The render task (charters/reviews/tasks.py), queued by name: the task imports this module.
RENDER_TASK = "charters.tasks.review_report_render"

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = list(VERSIONED_FIELDS)
REPORT_DIR = "charters/reports"


class ReviewConflict(ConflictError):
    """Someone else saved the review since the form was opened (the core's conflict, worded for reviews)."""

    message = gettext_lazy(
        "Someone else changed this review after you opened it. Your text is kept below: "
        "check the current version and save again."
    )


def _version_data(review):
    data = snapshot(review, EDITABLE_FIELDS)
    data["status"] = review.status
    data["stats"] = review.stats
    data["_version"] = review.version
    return data


def _figures_freeze(review, *, today=None):
    """Compute the figures and freeze the appendix's petitions with them (one snapshot per computation)."""

    period = (review.period_start, review.period_end)
    stats = statistics_compute(review.charter, review.year, kind=review.kind, today=today, period=period)
    as_of = datetime.date.fromisoformat(stats["as_of"])
    frozen = ReviewSnapshot.objects.create(
        review=review,
        as_of=as_of,
        rows=appendix_rows_compute(review.charter, review.year, review.kind, as_of, period),
    )
    stats["snapshot"] = frozen.pk
    return stats


def _version_save(review, *, actor, action):
    return ReviewVersion.objects.create(
        review=review, number=review.version, action=action, data=_version_data(review), created_by=actor
    )


def _bump(review, *, expected_version, fields):
    """Write `fields` only if nobody saved in between; raises ReviewConflict otherwise."""
    versioned_update(review, expected_version=expected_version, fields=fields, conflict=ReviewConflict)


def _parties(charter):
    return list(charter.party_links.select_related("agency").order_by("order", "id"))


@transaction.atomic
def review_create(
    *,
    actor,
    charter,
    year=None,
    kind=ReviewKind.ANNUAL,
    period_start=None,
    period_end=None,
    idempotency_token=None,
    today=None,
):
    """Generate a review: freeze the statistics, pre-fill the narrative, save version 1.

    The period is the calendar `year` (an annual review), the charter's term (end of term), or the given
    `period_start`–`period_end` (a sơ kết of a chosen span, a mid-term review; `year` defaults to the
    period's first year). The same idempotency token (a double-submitted form) returns the review created
    the first time."""
    ensure(permissions.can_draft_review(actor, charter))
    if idempotency_token:
        existing = AnnualReview.objects.filter(idempotency_token=idempotency_token).first()
        if existing:
            return existing
    charter = charters_with_unit_and_term().get(pk=charter.pk)
    if charter.status == CharterStatus.DRAFT:
        raise ValidationError(_("A charter that is not signed yet has nothing to review."))
    if kind in KINDS_WITH_GIVEN_PERIOD:
        if not period_start or not period_end:
            raise ValidationError({"period_start": _("Give the first and last day of the period under review.")})
        if period_start > period_end:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        year = year or period_start.year
    elif year is None:
        raise ValidationError({"year": _("Give the year under review.")})
    period_start, period_end = review_period(charter, year, kind, (period_start, period_end))
    if AnnualReview.objects.filter(
        charter=charter, kind=kind, period_start=period_start, period_end=period_end
    ).exists():
        raise ValidationError(
            _("A review of this charter for %(period)s already exists.")
            % {"period": f"{period_start:%d/%m/%Y} – {period_end:%d/%m/%Y}"}
        )
    period = (period_start, period_end)
    parties = _parties(charter)
    stats = statistics_compute(charter, year, kind=kind, today=today, period=period)
    review = AnnualReview(
        charter=charter,
        year=year,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        symbol=symbol_default(parties),
        place=charter.unit.place_name,
        summary=summary_default(year, kind, period),
        introduction=introduction_default(charter, year, parties, period, kind),
        recipients=recipients_default(charter, parties),
        signers=signers_default(charter),
        stats=stats,
        stats_computed_at=timezone.now(),
        idempotency_token=idempotency_token or None,
        created_by=actor,
        **narrative_prefill(charter, stats),
    )
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        if idempotency_token:
            return AnnualReview.objects.get(idempotency_token=idempotency_token)
        raise
    as_of = datetime.date.fromisoformat(stats["as_of"])

    frozen = ReviewSnapshot.objects.create(
        review=review, as_of=as_of, rows=appendix_rows_compute(charter, year, kind, as_of, period)
    )
    review.stats["snapshot"] = frozen.pk
    review.save(update_fields=["stats"])
    _version_save(review, actor=actor, action="create")
    audit_record(
        actor=actor,
        obj=review,
        action="create",
        changes={"year": year, "kind": kind, "period_start": period_start, "period_end": period_end},
        summary=_("Review of %(year)s generated") % {"year": year},
    )
    return review


@transaction.atomic
def review_update(*, actor, review, version, **fields):
    """Save the header and narrative of a draft review; a new version is kept."""
    ensure(permissions.can_draft_review(actor, review.charter))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    if review.version != version:
        raise ReviewConflict
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(_("Only a draft review can be edited."))
    before = snapshot(review, EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(review, name, value)
    review.full_clean(exclude=["charter"])
    changes = diff(before, snapshot(review, EDITABLE_FIELDS))
    if not changes:
        return review
    _bump(review, expected_version=version, fields=list(fields))
    _version_save(review, actor=actor, action="update")
    audit_record(actor=actor, obj=review, action="update", changes=changes)
    return review


@transaction.atomic
def review_stats_refresh(*, actor, review, version, today=None):
    """Recompute the frozen statistics of a draft (the narrative is left as the secretariat wrote it)."""
    ensure(permissions.can_draft_review(actor, review.charter))
    review = AnnualReview.objects.select_for_update().select_related("charter__unit", "charter__term").get(pk=review.pk)
    if review.version != version:
        raise ReviewConflict
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(_("The figures of a submitted review are frozen."))
    review.stats = _figures_freeze(review, today=today)
    review.stats_computed_at = timezone.now()
    _bump(review, expected_version=version, fields=["stats", "stats_computed_at"])
    _version_save(review, actor=actor, action="stats_refresh")
    audit_record(actor=actor, obj=review, action="stats_refresh", summary=_("Figures recomputed"))
    return review


@transaction.atomic
def review_submit(*, actor, review, version):
    """Draft → submitted: the parties' leaders are asked to approve this version."""
    ensure(permissions.can_draft_review(actor, review.charter))
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    if review.version != version:
        raise ReviewConflict
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(_("Only a draft review can be submitted."))
    missing = [name for name in ("results", "shortcomings", "next_tasks") if not getattr(review, name).strip()]
    if missing:
        raise ValidationError(_("Write the results, shortcomings and next year's tasks before submitting."))
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    _bump(review, expected_version=version, fields=["status", "submitted_at"])
    _version_save(review, actor=actor, action="submit")
    audit_record(actor=actor, obj=review, action="submit", changes={"status": ["draft", "submitted"]})
    return review


def party_agency_ids(review):
    return set(review.charter.party_links.values_list("agency_id", flat=True))


@transaction.atomic
def review_approve(*, actor, review, agency, comment=""):
    """Record `agency`'s approval (by its leader); the review is approved when every party has approved."""
    ensure(permissions.is_party_leader(actor, review.charter))
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be approved."))
    parties = party_agency_ids(review)
    if agency.pk not in parties:
        raise ValidationError(_("Only the charter's parties approve its review."))
    # A leader approves for their own agency only (a site administrator does not approve for a party).
    ensure(agency_of(actor) == agency)
    if ReviewApproval.objects.filter(review=review, agency=agency).exists():
        raise ValidationError(_("Your agency has already approved this review."))
    approval = ReviewApproval(
        review=review, agency=agency, approved_by=actor, review_version=review.version, comment=comment
    )
    approval.full_clean()
    approval.save()
    audit_record(
        actor=actor,
        obj=review,
        action="approve",
        changes={"agency": agency.name},
        summary=_("Approved by %(agency)s") % {"agency": agency.name},
    )
    return _approved_if_complete(review, parties=parties, actor=actor)


def _approved_if_complete(review, *, parties, actor):
    approved = set(ReviewApproval.objects.filter(review=review).values_list("agency_id", flat=True))
    if parties <= approved:
        version = review.version
        review.status = ReviewStatus.APPROVED
        review.approved_at = timezone.now()
        _bump(review, expected_version=version, fields=["status", "approved_at"])
        _version_save(review, actor=actor, action="approve")
        audit_record(actor=actor, obj=review, action="status_change", changes={"status": ["submitted", "approved"]})
    return review


@transaction.atomic
def review_approval_record(*, actor, review, agency, signed_copy, signed_on=None, comment=""):
    """Record a party's approval given on paper: the secretariat uploads the copy its leader signed.

    A party whose leader has no account (or is away) approves this way, so the approval never deadlocks.
    The file is checked by content (a PDF, within the size limit); who recorded it, when, and the file's
    SHA-256 are kept on the approval and in the audit log."""
    import hashlib

    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    ensure(permissions.can_draft_review(actor, review.charter))  # a party's secretariat records it
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be approved."))
    parties = party_agency_ids(review)
    if agency.pk not in parties:
        raise ValidationError(_("Only the charter's parties approve its review."))
    if ReviewApproval.objects.filter(review=review, agency=agency).exists():
        raise ValidationError(_("This agency has already approved this review."))
    validate_pdf_upload(signed_copy)
    digest = hashlib.sha256()
    for chunk in signed_copy.chunks():
        digest.update(chunk)
    signed_copy.seek(0)
    approval = ReviewApproval(
        review=review,
        agency=agency,
        approved_by=None,
        recorded_by=actor,
        method=ApprovalMethod.SIGNED_COPY,
        review_version=review.version,
        signed_on=signed_on,
        comment=comment,
        signed_copy_sha256=digest.hexdigest(),
    )
    approval.signed_copy.save("signed.pdf", signed_copy, save=False)
    approval.full_clean(exclude=["approved_by"])  # no leader account approved: the copy stands for it
    approval.save()
    audit_record(
        actor=actor,
        obj=review,
        action="approve_signed_copy",
        changes={
            "agency": agency.name,
            "file": approval.signed_copy.name,
            "sha256": approval.signed_copy_sha256,
            "signed_on": signed_on.isoformat() if signed_on else None,
            "version": review.version,
        },
        summary=_("Signed copy of %(agency)s recorded") % {"agency": agency.name},
    )
    return _approved_if_complete(review, parties=parties, actor=actor)


@transaction.atomic
def review_reopen(*, actor, review, version, reason):
    """Approved → draft, to issue a corrected report: the approved version and its files are kept (versions are
    never deleted), the approvals are withdrawn (kept in the audit log) and the reason is recorded."""
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    ensure(permissions.can_draft_review(actor, review.charter))  # a party's secretariat reopens it
    if review.version != version:
        raise ReviewConflict
    if review.status != ReviewStatus.APPROVED:
        raise ValidationError(_("Only an approved review can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the approved review is reopened."))
    approved_version = review.version
    withdrawn = list(ReviewApproval.objects.filter(review=review).values_list("agency__name", flat=True))
    ReviewApproval.objects.filter(review=review).delete()
    review.status = ReviewStatus.DRAFT
    review.submitted_at = None
    review.approved_at = None
    _bump(review, expected_version=version, fields=["status", "submitted_at", "approved_at"])
    _version_save(review, actor=actor, action="reopen")
    audit_record(
        actor=actor,
        obj=review,
        action="reopen",
        changes={
            "status": ["approved", "draft"],
            "approved_version": approved_version,
            "approvals_withdrawn": withdrawn,
            "reason": reason[:500],
        },
        summary=reason[:500],
    )
    return review


@transaction.atomic
def review_return(*, actor, review, version, reason):
    """Submitted → draft for corrections; the approvals given so far are withdrawn (kept in the audit log)."""
    ensure(permissions.is_party_leader(actor, review.charter))
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    if review.version != version:
        raise ReviewConflict
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be returned for corrections."))
    if not (reason or "").strip():
        raise ValidationError(_("Say what needs correcting."))
    withdrawn = list(ReviewApproval.objects.filter(review=review).values_list("agency__name", flat=True))
    ReviewApproval.objects.filter(review=review).delete()
    review.status = ReviewStatus.DRAFT
    review.submitted_at = None
    _bump(review, expected_version=version, fields=["status", "submitted_at"])
    _version_save(review, actor=actor, action="return")
    audit_record(
        actor=actor,
        obj=review,
        action="return",
        changes={"status": ["submitted", "draft"], "approvals_withdrawn": withdrawn},
        summary=reason.strip()[:500],
    )
    return review


# --- PDF reports -------------------------------------------------------------------------------


def _report_create(*, actor, review, with_appendix, format=ReportFormat.PDF):
    review = AnnualReview.objects.select_related("charter__unit").get(pk=review.pk)
    source = ReviewVersion.objects.filter(review=review, number=review.version).first()
    if source is None:  # a review saved without a version row (e.g. loaded by hand)
        source = _version_save(review, actor=actor, action="snapshot")
    report = ReportFile.objects.create(
        review=review, source_version=source, with_appendix=with_appendix, format=format, requested_by=actor
    )
    audit_record(
        actor=actor,
        obj=review,
        action="report_request",
        changes={"report": report.pk, "version": source.number, "appendix": with_appendix, "format": format},
    )
    return report


@transaction.atomic
def report_request(*, actor, review, with_appendix=False, format=ReportFormat.PDF):
    """Queue a rendering of the review's current version; the worker picks it up after commit.

    The same version already queued, rendering or rendered (a double click, a resent form) is not rendered
    twice: that request's file is returned. The row lock orders concurrent requests for one review."""
    ensure(permissions.can_render_review(actor, review))
    current = AnnualReview.objects.select_for_update().get(pk=review.pk)
    existing = (
        ReportFile.objects.filter(
            review=current, source_version__number=current.version, with_appendix=with_appendix, format=format
        )
        .exclude(status=ReportStatus.FAILED)
        .first()
    )
    if existing is not None:
        if report_is_stuck(existing):
            # Asked again for a render nobody is working on (the broker lost it, its worker died): a fresh
            # attempt now, not at the next sweep. The claim still lets only one render take the job.
            enqueue_on_commit(RENDER_TASK, existing.pk)
        return existing
    report = _report_create(actor=actor, review=review, with_appendix=with_appendix, format=format)
    # A broker outage must not turn the saved request into an error page: `reports_requeue` queues it later.
    enqueue_on_commit(RENDER_TASK, report.pk)
    return report


REQUEUE_AFTER = datetime.timedelta(minutes=2)


def reports_requeue(*, now=None):
    """Queue again the renders no worker has taken: still queued after REQUEUE_AFTER (the broker was down when
    they were requested) or left 'rendering' by a worker that died. Safe to repeat: rendering claims the job."""
    now = now or timezone.now()
    waiting = Q(status=ReportStatus.QUEUED, created_at__lt=now - REQUEUE_AFTER) | _abandoned(now)
    ids = list(ReportFile.objects.filter(waiting).order_by("pk").values_list("pk", flat=True))
    return sum(1 for report_id in ids if enqueue(RENDER_TASK, report_id))


def report_is_stuck(report, *, now=None):
    """Queued for longer than REQUEUE_AFTER, or rendering with a heartbeat older than REPORT_STALE_SECONDS."""
    now = now or timezone.now()
    if report.status == ReportStatus.QUEUED:
        return report.created_at < now - REQUEUE_AFTER
    if report.status == ReportStatus.RENDERING:
        alive_at = report.heartbeat_at or report.started_at
        return alive_at is None or alive_at < _stale_before(now)
    return False


@transaction.atomic
def report_request_sync(*, review, with_appendix=False, actor=None, format=ReportFormat.PDF):
    """A queued report row for the caller to render itself (`manage.py render_report`)."""
    if actor is not None:  # None: the render_report command, a system operation
        ensure(permissions.can_render_review(actor, review))
    return _report_create(actor=actor, review=review, with_appendix=with_appendix, format=format)


def _stale_before(now=None):
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)


def _abandoned(now=None):
    """Renders whose renderer stopped saying it is alive: its process died (a live one beats every
    REPORT_HEARTBEAT_SECONDS, well under REPORT_STALE_SECONDS)."""
    stale = _stale_before(now)
    return Q(status=ReportStatus.RENDERING) & (
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
    )


def report_claim(report_id, claim_token):
    """Take the job: one conditional UPDATE, so a task delivered twice renders once. Claimable: a queued job,
    a job this same task (the Celery task id: a redelivery after its worker died) already holds, or a job
    whose renderer's heartbeat stopped (its worker died)."""
    claimable = Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RENDERING, claimed_by=claim_token) | _abandoned()
    now = timezone.now()
    return bool(
        ReportFile.objects.filter(claimable, pk=report_id).update(
            status=ReportStatus.RENDERING, started_at=now, heartbeat_at=now, claimed_by=claim_token, error=""
        )
    )


def _report_held(report_id, claim_token):
    return ReportFile.objects.filter(pk=report_id, claimed_by=claim_token, status=ReportStatus.RENDERING)


def _final_name(report):
    return f"{REPORT_DIR}/{report.review_id}/{report.pk}-{secrets.token_hex(8)}.{report.format}"


def _write_atomically(name, data):
    """Write into a temporary file beside the target, then rename: a reader sees nothing or the whole file."""
    final_path = Path(report_storage.path(name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(dir=final_path.parent, prefix=".render-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_path, final_path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
    return final_path


def report_render(*, report_id, claim_token=None):
    """Render a claimed report into its file. Returns the report, or None if another worker has it.

    `claim_token` is the Celery task id (a redelivery of the same task takes its own claim back). Not one
    transaction: the claim must be visible to other workers while the (slow) rendering runs."""
    claim_token = claim_token or uuid4().hex
    if not report_claim(report_id, claim_token):
        return None
    report = ReportFile.objects.select_related("review__charter__unit", "source_version").get(pk=report_id)
    held = partial(_report_held, report_id, claim_token)
    with ClaimHeartbeat(held, f"report-{report_id}-heartbeat"):
        try:
            pdf, pages = report_docx(report) if report.format == ReportFormat.DOCX else report_pdf(report)
            name = _final_name(report)
            _write_atomically(name, pdf)
        except Exception as exc:  # any failure is shown on the page; the worker must not die on it
            logger.exception("Rendering report %s failed", report_id)
            finished = _report_finish(
                report, claim_token, status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            return report if finished else None
    if not _report_finish(report, claim_token, status=ReportStatus.READY, name=name, size=len(pdf), pages=pages):
        # Another render took the job over (this one looked dead): its file is the report's, not ours.
        report_storage.delete(name)
        return None
    return report


@transaction.atomic
def _report_finish(report, claim_token, *, status, name="", size=0, pages=0, error=""):
    """Record the outcome, only while this render still holds the claim. Returns whether it did."""
    report.status = status
    report.file.name = name
    report.size = size
    report.pages = pages
    report.error = error
    report.finished_at = timezone.now()
    held = ReportFile.objects.filter(pk=report.pk, claimed_by=claim_token, status=ReportStatus.RENDERING)
    if not held.update(status=status, file=name, size=size, pages=pages, error=error, finished_at=report.finished_at):
        return False
    audit_record(
        actor=None,
        obj=report.review,
        action="report_ready" if status == ReportStatus.READY else "report_failed",
        changes={"report": report.pk, "pages": pages} if status == ReportStatus.READY else {"report": report.pk},
        summary=error[:500],
    )
    return True
