"""Every write to annual reviews and their PDF reports: one transaction each, with an audit entry."""

import datetime
import logging
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.audit import audit_record, diff, snapshot
from coordination.tasks import enqueue_on_commit

from .models import Charter, CharterStatus
from .review_models import (
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
from .review_stats import statistics_compute
from .review_text import (
    introduction_default,
    narrative_prefill,
    recipients_default,
    signers_default,
    summary_default,
    symbol_default,
)
from .uploads import validate_pdf_upload

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = list(VERSIONED_FIELDS)
REPORT_DIR = "charters/reports"


class ReviewConflict(Exception):
    """Someone else saved the review since the form was opened (optimistic locking)."""

    message = gettext_lazy(
        "Someone else changed this review after you opened it. Your text is kept below: "
        "check the current version and save again."
    )

    def __str__(self):
        return str(self.message)


def _version_data(review):
    data = snapshot(review, EDITABLE_FIELDS)
    data["status"] = review.status
    data["stats"] = review.stats
    data["_version"] = review.version
    return data


def _figures_freeze(review, *, today=None):
    """Compute the figures and freeze the appendix's petitions with them (one snapshot per computation)."""
    from .review_report import appendix_rows_compute

    stats = statistics_compute(review.charter, review.year, kind=review.kind, today=today)
    as_of = datetime.date.fromisoformat(stats["as_of"])
    frozen = ReviewSnapshot.objects.create(
        review=review,
        as_of=as_of,
        rows=appendix_rows_compute(review.charter, review.year, review.kind, as_of),
    )
    stats["snapshot"] = frozen.pk
    return stats


def _version_save(review, *, actor, action):
    return ReviewVersion.objects.create(
        review=review, number=review.version, action=action, data=_version_data(review), created_by=actor
    )


def _bump(review, *, expected_version, fields):
    """Write `fields` only if nobody saved in between; raises ReviewConflict otherwise."""
    values = {name: getattr(review, name) for name in fields}
    values["updated_at"] = timezone.now()
    updated = AnnualReview.objects.filter(pk=review.pk, version=expected_version).update(
        version=expected_version + 1, **values
    )
    if not updated:
        raise ReviewConflict
    review.version = expected_version + 1
    review.updated_at = values["updated_at"]


def _parties(charter):
    return list(charter.party_links.select_related("agency").order_by("order", "id"))


@transaction.atomic
def review_create(*, actor, charter, year, kind=ReviewKind.ANNUAL, idempotency_token=None, today=None):
    """Generate a review: freeze the statistics, pre-fill the narrative, save version 1.

    The same idempotency token (a double-submitted form) returns the review created the first time."""
    if idempotency_token:
        existing = AnnualReview.objects.filter(idempotency_token=idempotency_token).first()
        if existing:
            return existing
    charter = Charter.objects.select_related("unit", "term").get(pk=charter.pk)
    if charter.status == CharterStatus.DRAFT:
        raise ValidationError(_("A charter that is not signed yet has nothing to review."))
    if AnnualReview.objects.filter(charter=charter, year=year, kind=kind).exists():
        raise ValidationError(_("A review of this charter for %(year)s already exists.") % {"year": year})
    parties = _parties(charter)
    stats = statistics_compute(charter, year, kind=kind, today=today)
    review = AnnualReview(
        charter=charter,
        year=year,
        kind=kind,
        symbol=symbol_default(parties),
        place=charter.unit.place_name,
        summary=summary_default(year, kind),
        introduction=introduction_default(charter, year, parties),
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
    from .review_report import appendix_rows_compute

    frozen = ReviewSnapshot.objects.create(
        review=review, as_of=as_of, rows=appendix_rows_compute(charter, year, kind, as_of)
    )
    review.stats["snapshot"] = frozen.pk
    review.save(update_fields=["stats"])
    _version_save(review, actor=actor, action="create")
    audit_record(
        actor=actor,
        obj=review,
        action="create",
        changes={"year": year, "kind": kind},
        summary=_("Review of %(year)s generated") % {"year": year},
    )
    return review


@transaction.atomic
def review_update(*, actor, review, version, **fields):
    """Save the header and narrative of a draft review; a new version is kept."""
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
    review = AnnualReview.objects.select_for_update().select_related("charter__unit").get(pk=review.pk)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be approved."))
    parties = party_agency_ids(review)
    if agency.pk not in parties:
        raise ValidationError(_("Only the charter's parties approve its review."))
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
    from .tasks import review_report_render

    current = AnnualReview.objects.select_for_update().get(pk=review.pk)
    existing = (
        ReportFile.objects.filter(
            review=current, source_version__number=current.version, with_appendix=with_appendix, format=format
        )
        .exclude(status=ReportStatus.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    report = _report_create(actor=actor, review=review, with_appendix=with_appendix, format=format)
    # A broker outage must not turn the saved request into an error page: `reports_requeue` queues it later.
    enqueue_on_commit(review_report_render, report.pk)
    return report


REQUEUE_AFTER = datetime.timedelta(minutes=2)


def reports_requeue(*, now=None):
    """Queue again the renders no worker has taken: still queued after REQUEUE_AFTER (the broker was down when
    they were requested) or left 'rendering' by a worker that died. Safe to repeat: rendering claims the job."""
    from coordination.tasks import enqueue

    from .tasks import review_report_render

    now = now or timezone.now()
    waiting = Q(status=ReportStatus.QUEUED, created_at__lt=now - REQUEUE_AFTER) | Q(
        status=ReportStatus.RENDERING, started_at__lt=_stale_before()
    )
    ids = list(ReportFile.objects.filter(waiting).order_by("pk").values_list("pk", flat=True))
    return sum(1 for report_id in ids if enqueue(review_report_render, report_id))


@transaction.atomic
def report_request_sync(*, review, with_appendix=False, actor=None, format=ReportFormat.PDF):
    """A queued report row for the caller to render itself (`manage.py render_report`)."""
    return _report_create(actor=actor, review=review, with_appendix=with_appendix, format=format)


def _stale_before():
    return timezone.now() - datetime.timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 900) + 60)


def report_claim(report_id):
    """Take the job: one conditional UPDATE, so a task delivered twice renders once. A render whose worker
    died (still 'rendering' after the task time limit) may be taken again."""
    claimable = Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RENDERING, started_at__lt=_stale_before())
    return bool(
        ReportFile.objects.filter(claimable, pk=report_id).update(
            status=ReportStatus.RENDERING, started_at=timezone.now(), error=""
        )
    )


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


def report_render(*, report_id):
    """Render a claimed report into its file. Returns the report, or None if another worker has it.

    Not one transaction: the claim must be visible to other workers while the (slow) rendering runs."""
    from .review_docx import report_docx
    from .review_report import report_pdf

    if not report_claim(report_id):
        return None
    report = ReportFile.objects.select_related("review__charter__unit", "source_version").get(pk=report_id)
    try:
        pdf, pages = report_docx(report) if report.format == ReportFormat.DOCX else report_pdf(report)
        name = _final_name(report)
        _write_atomically(name, pdf)
    except Exception as exc:  # any failure is shown on the page; the worker must not die on it
        logger.exception("Rendering report %s failed", report_id)
        _report_finish(report, status=ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return report
    _report_finish(report, status=ReportStatus.READY, name=name, size=len(pdf), pages=pages)
    return report


@transaction.atomic
def _report_finish(report, *, status, name="", size=0, pages=0, error=""):
    report.status = status
    report.file.name = name
    report.size = size
    report.pages = pages
    report.error = error
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "file", "size", "pages", "error", "finished_at"])
    audit_record(
        actor=None,
        obj=report.review,
        action="report_ready" if status == ReportStatus.READY else "report_failed",
        changes={"report": report.pk, "pages": pages} if status == ReportStatus.READY else {"report": report.pk},
        summary=error[:500],
    )
