"""Celery tasks of the shared core: thin adapters that take primary keys and call services."""

import logging
import smtplib
from datetime import date
from functools import partial

from celery import shared_task
from django.core.cache import cache

from .models import AdministrativeUnit

PING_DB_CACHE_PREFIX = "ping_db:"

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Queue `task` now; a broker outage is logged and swallowed (returns False), never raised, so the
    caller's committed work stands and a periodic job (e.g. the reminder scan) can queue it again."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # whatever the broker raises: the caller's transaction has already committed
        logger.warning("Could not queue %s%r; it will be picked up later", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs):
    """Queue `task` once the current transaction commits (see `enqueue`: a broker outage never turns a
    saved form into an error page)."""
    from django.db import transaction

    transaction.on_commit(partial(enqueue, task, *args, **kwargs))


@shared_task
def ping_db(token=""):
    """Count the administrative units through the ORM: proves a worker reaches the broker and the database.

    There is no result backend, so with a `token` the count is also left in the cache (Redis when
    configured) under `ping_db:<token>` for five minutes, where the caller can read it.
    Writes nothing to the database; safe to run any number of times.
    """
    count = AdministrativeUnit.objects.count()
    if token:
        cache.set(f"{PING_DB_CACHE_PREFIX}{token}", count, timeout=300)
    return count


@shared_task(name="coordination.tasks.reminders_scan", acks_late=True)
def reminders_scan(today_iso=None):
    """The daily scan (beat): record today's reminders and queue one digest per recipient.

    Idempotent: a rerun or a concurrent run adds nothing and sends nothing twice."""
    from .reminders import reminders_scan as scan

    planned, queued = scan(date.fromisoformat(today_iso) if today_iso else None)
    return {"planned": planned, "queued": queued}


def smtp_error_is_transient(exc):
    """Connection trouble and 4xx replies are worth retrying; 5xx replies and bugs are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # SMTPServerDisconnected, refused/reset connections and timeouts are all OSError.
    return isinstance(exc, OSError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6)
def reminder_digest_send(self, user_id, day_iso):
    """Email one user's reminder digest for a day. The Celery task id is the claim on the ledger rows,
    so a redelivery after a lost worker takes its own claim back and sends what was not sent."""
    from .reminders import digest_send

    try:
        return digest_send(user_id=user_id, day=date.fromisoformat(day_iso), claim_token=self.request.id)
    except Exception as exc:
        if not smtp_error_is_transient(exc):
            raise
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


@shared_task(name="coordination.tasks.dashboard_summary_refresh", acks_late=True)
def dashboard_summary_refresh(today_iso=None, if_stale=False):
    """Rebuild the dashboard's petition summary (beat: every 10 minutes; also queued by a page that found
    it missing or for an older day). Idempotent; two runs queue on the summary's state row."""
    from .dashboard_summary import QUEUED_KEY, petition_summary_refresh

    try:
        state = petition_summary_refresh(date.fromisoformat(today_iso) if today_iso else None, if_stale=if_stale)
    finally:
        cache.delete(QUEUED_KEY)
    return {"computed_for": state.computed_for.isoformat(), "rows": state.rows, "ms": state.duration_ms}
