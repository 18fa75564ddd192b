"""Petition exports too large for a request: a Celery job writes the file, the page shows its progress, the
requester gets a notification with the download link, the file is kept EXPORT_RETENTION_DAYS days.

Exactly once, whatever happens to the worker (the report renders' pattern, `charters.reviews.services`):
- the job is claimed with one conditional UPDATE (the claim is the Celery task id), so a message delivered
  twice writes one file; a redelivery of the same task after its worker died takes its own claim back;
- while it runs, a thread refreshes `heartbeat_at` every REPORT_HEARTBEAT_SECONDS; a job whose heartbeat is
  older than REPORT_STALE_SECONDS (its worker died) may be claimed again, and `exports_requeue` (every minute)
  queues it again, as it does a job still queued after REQUEUE_AFTER (the broker was down);
- the file is written under a temporary name and renamed; the outcome is recorded only while the run still
  holds the claim, so a run that was taken over (it looked dead) deletes its own file and records nothing.
"""

import datetime
import logging
import os
import secrets
import tempfile
import time
from functools import partial
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.audit import audit_record
from coordination.claims import ClaimHeartbeat
from coordination.models import Notification, ReminderLevel
from coordination.queueing import enqueue, enqueue_on_commit

from .exporting import csv_chunks, export_rows, xlsx_write
from .filters import PetitionFilter
from .models import ExportFormat, ExportJob, ExportStatus, export_storage_get
from .selectors import petition_list

logger = logging.getLogger(__name__)

RUN_TASK = "voters.tasks.export_job_run"
EXPORT_DIR = "exports"
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# Progress is written at most this often (seconds) while rows are written.
PROGRESS_EVERY = 1.0
# The query string kept with a job: the filter's parameters, bounded (a hostile URL cannot store megabytes).
MAX_PARAMS = 40
MAX_VALUE_LENGTH = 200


def export_params(querydict):
    """The filters of a request's query string as a JSON-safe dict of lists (`page` dropped, sizes bounded)."""
    params = {}
    for key in list(querydict.keys())[:MAX_PARAMS]:
        if key == "page" or len(key) > 50 or "\x00" in key:
            continue
        # No NUL: PostgreSQL's JSON cannot hold it (and no filter value has one).
        values = [value[:MAX_VALUE_LENGTH].replace("\x00", "") for value in querydict.getlist(key)[:MAX_PARAMS]]
        params[key] = values
    return params


def filtered_petitions(user, params, today=None):
    """The user's petitions filtered and ordered as `params` (from `export_params`) ask; what the list page
    shows for the same query string. Invalid filters are ignored, as on the page."""
    today = today or timezone.localdate()
    data = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        if isinstance(values, list):
            data.setlist(str(key), [str(value) for value in values])
    filterset = PetitionFilter(data or None, queryset=petition_list(user), user=user, today=today)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if "sort" not in data:
        queryset = queryset.order_by("-received_on", "-id")
    return queryset


# --- requesting ---------------------------------------------------------------------------------------------


@transaction.atomic
def export_request(*, actor, fmt, params, total=0):
    """Queue an export of the actor's petitions filtered by `params`; the worker picks it up after commit.

    The same export still waiting or being written (a double click, a reloaded page) is not queued twice."""
    if fmt not in ExportFormat.values:
        raise ValueError(f"unknown export format {fmt!r}")
    language = translation.get_language() or settings.LANGUAGE_CODE
    stored = {"query": params, "language": language}
    existing = (
        ExportJob.objects.select_for_update()
        .filter(requested_by=actor, format=fmt, params=stored, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING))
        .first()
    )
    if existing is not None:
        if export_is_stuck(existing):
            enqueue_on_commit(RUN_TASK, existing.pk)
        return existing
    job = ExportJob.objects.create(requested_by=actor, format=fmt, params=stored, total=total)
    audit_record(actor=actor, obj=job, action="export_request", changes={"format": fmt, "filters": params})
    # A broker outage must not turn the saved request into an error page: `exports_requeue` queues it later.
    enqueue_on_commit(RUN_TASK, job.pk)
    return job


def export_is_stuck(job, *, now=None):
    """Queued for longer than REQUEUE_AFTER, or running with a heartbeat older than REPORT_STALE_SECONDS."""
    now = now or timezone.now()
    if job.status == ExportStatus.QUEUED:
        return job.created_at < now - REQUEUE_AFTER
    if job.status == ExportStatus.RUNNING:
        alive_at = job.heartbeat_at or job.started_at
        return alive_at is None or alive_at < _stale_before(now)
    return False


def _stale_before(now=None):
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)


def _abandoned(now=None):
    stale = _stale_before(now)
    return Q(status=ExportStatus.RUNNING) & (
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
    )


def exports_requeue(*, now=None):
    """Queue again the jobs no worker has taken (queued for REQUEUE_AFTER) or whose worker died. Safe to
    repeat: running claims the job."""
    now = now or timezone.now()
    waiting = Q(status=ExportStatus.QUEUED, created_at__lt=now - REQUEUE_AFTER) | _abandoned(now)
    ids = list(ExportJob.objects.filter(waiting).order_by("pk").values_list("pk", flat=True))
    return sum(1 for job_id in ids if enqueue(RUN_TASK, job_id))


# --- running ------------------------------------------------------------------------------------------------


def export_claim(job_id, claim_token):
    """Take the job with one conditional UPDATE: queued, already ours (a redelivery), or abandoned."""
    claimable = Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, claimed_by=claim_token) | _abandoned()
    now = timezone.now()
    return bool(
        ExportJob.objects.filter(claimable, pk=job_id).update(
            status=ExportStatus.RUNNING, started_at=now, heartbeat_at=now, claimed_by=claim_token, error="", progress=0
        )
    )


def _held(job_id, claim_token):
    return ExportJob.objects.filter(pk=job_id, claimed_by=claim_token, status=ExportStatus.RUNNING)


def _counted(rows, job_id, claim_token):
    """Pass the rows through, writing the progress (rows so far) at most every PROGRESS_EVERY seconds."""
    last = time.monotonic()
    yield next(rows)  # the header
    for count, row in enumerate(rows, 1):
        yield row
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY:
            last = now
            _held(job_id, claim_token).update(progress=count, heartbeat_at=timezone.now())


def export_write(job, target, *, claim_token=""):
    """Write the job's rows into `target` (a path); returns the number of data rows."""
    user = job.requested_by
    query = (job.params or {}).get("query") or {}
    queryset = filtered_petitions(user, query)
    rows = _counted(export_rows(queryset, user), job.pk, claim_token)
    if job.format == ExportFormat.XLSX:
        return xlsx_write(target, rows)
    count = -2  # the byte order mark and the header
    with open(target, "w", encoding="utf-8", newline="") as handle:
        for chunk in csv_chunks(None, None, rows=rows):
            handle.write(chunk)
            count += 1
    return max(count, 0)


def export_run(*, job_id, claim_token=None):
    """Write a claimed job's file. Returns the job, or None when another run has it. Not one transaction: the
    claim and the progress must be visible to other connections while the rows are written."""
    claim_token = claim_token or uuid4().hex
    if not export_claim(job_id, claim_token):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    storage = export_storage_get()
    name = f"{EXPORT_DIR}/{job.requested_by_id}/{job.pk}-{secrets.token_hex(8)}.{job.format}"
    final_path = Path(storage.path(name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(dir=final_path.parent, prefix=".export-", suffix=".part")
    os.close(handle)
    language = (job.params or {}).get("language") or settings.LANGUAGE_CODE
    held = partial(_held, job.pk, claim_token)
    with ClaimHeartbeat(held, f"export-{job.pk}"), translation.override(language):
        try:
            rows = export_write(job, temp_path, claim_token=claim_token)
            os.replace(temp_path, final_path)
        except Exception as exc:  # shown on the page; the worker must not die on it
            logger.exception("Export %s failed", job_id)
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            finished = _finish(job, claim_token, status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
            return job if finished else None
        if not _finish(
            job, claim_token, status=ExportStatus.READY, name=name, rows=rows, size=final_path.stat().st_size
        ):
            storage.delete(name)  # another run took the job over: its file is the job's
            return None
    return job


@transaction.atomic
def _finish(job, claim_token, *, status, name="", rows=0, size=0, error=""):
    """Record the outcome (and notify the requester) only while this run still holds the claim."""
    now = timezone.now()
    expires = now + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS) if status == ExportStatus.READY else None
    fields = {"status": status, "file": name, "row_count": rows, "progress": rows, "size": size}
    fields.update(error=error[:2000], finished_at=now, expires_at=expires)
    if not _held(job.pk, claim_token).update(**fields):
        return False
    for key, value in fields.items():
        setattr(job, key, value)
    job.file.name = name
    audit_record(
        actor=None,
        obj=job,
        action="export_ready" if status == ExportStatus.READY else "export_failed",
        changes={"rows": rows, "size": size} if status == ExportStatus.READY else {},
        summary=error[:500],
    )
    language = (job.params or {}).get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        if status == ExportStatus.READY:
            title = _("Your export of %(count)s petitions is ready to download") % {
                "count": f"{rows:,}".replace(",", ".")
            }
        else:
            title = _("Your export of petitions failed")
    Notification.objects.create(
        recipient_id=job.requested_by_id,
        item_kind="export",
        item_key=f"export:{job.pk}",
        kind="export_ready" if status == ExportStatus.READY else "export_failed",
        level=ReminderLevel.HANDOFF,
        title=title[:500],
        url=reverse("voters:export_job", args=[job.pk]),
        due_date=timezone.localdate(expires) if expires else timezone.localdate(now),
        day=timezone.localdate(now),
    )
    return True


# --- keeping ------------------------------------------------------------------------------------------------


def exports_cleanup(*, now=None):
    """Delete the files kept past `expires_at` and mark their jobs expired (the daily sweep). Returns how many."""
    now = now or timezone.now()
    storage = export_storage_get()
    expired = list(ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lt=now).order_by("pk"))
    done = []
    for job in expired:
        with transaction.atomic():
            if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).update(
                status=ExportStatus.EXPIRED, file=""
            ):
                continue
            audit_record(actor=None, obj=job, action="export_expired", changes={"file": job.file.name})
        # After the commit: a failed update keeps its file; a crash here leaves a file no job points at.
        if job.file.name:
            storage.delete(job.file.name)
        done.append(job.pk)
    return len(done)
