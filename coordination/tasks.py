"""Celery tasks of the shared core: thin adapters that take primary keys and call services."""

import logging
import smtplib
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import reminders
from .models import AdministrativeUnit

PING_DB_CACHE_PREFIX = "ping_db:"
# Written by the `heartbeat` task (beat every minute, run by a worker): /healthz shows its age.
HEARTBEAT_CACHE_KEY = "background:heartbeat"

logger = logging.getLogger(__name__)


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


@shared_task(bind=True, name="coordination.tasks.reminders_scan", acks_late=True, max_retries=10)
def reminders_scan(self, today_iso=None):
    """The daily scan (beat): record the reminders of today and of the days missed since the last completed
    scan, and queue one digest per recipient.

    Idempotent: a rerun or a concurrent run adds nothing and sends nothing twice. A database error (a failover
    at the scan minute) retries with backoff (30 s, 1, 2, 4… minutes, at most 15), for the same day."""
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    try:
        planned, queued = reminders.reminders_scan(today)
    except (OperationalError, InterfaceError) as exc:
        logger.warning("Reminder scan for %s failed on a database error; retrying", today, exc_info=True)
        raise self.retry(
            exc=exc, args=[today.isoformat()], kwargs={}, countdown=min(900, 30 * 2**self.request.retries)
        ) from exc
    return {"planned": planned, "queued": queued}


@shared_task(name="coordination.tasks.reminder_digests_requeue", acks_late=True)
def reminder_digests_requeue():
    """The digest sweep (beat every 5 minutes): queue again digests whose enqueue failed or whose worker died."""
    return reminders.digests_requeue()


@shared_task(name="coordination.tasks.heartbeat")
def heartbeat():
    """Beat → broker → worker → cache: the time this ran, for /healthz ("background" and its age)."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().timestamp(), timeout=24 * 3600)
    return True


def smtp_error_is_transient(exc):
    """Connection trouble and 4xx replies are worth retrying; 5xx replies and bugs are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # SMTPServerDisconnected, refused/reset connections and timeouts are all OSError.
    return isinstance(exc, OSError)


@shared_task(
    name="coordination.tasks.reminder_digest_send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
    soft_time_limit=max(1, settings.REMINDER_SEND_TIME_LIMIT - 10),
)
def reminder_digest_send(self, user_id, day_iso):
    """Email one user's reminder digest for a day. The Celery task id is the claim on the ledger rows,
    so a redelivery after a lost worker takes its own claim back and sends what was not sent. The hard time
    limit (REMINDER_SEND_TIME_LIMIT, enforced by the prefork pool) is shorter than REMINDER_CLAIM_TIMEOUT, so
    a claim older than that timeout belongs to a killed process and the digest sweep may take it over."""
    try:
        return reminders.digest_send(user_id=user_id, day=date.fromisoformat(day_iso), claim_token=self.request.id)
    except Exception as exc:
        if not smtp_error_is_transient(exc):
            raise
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
