"""Celery tasks of the shared core: thin adapters that take primary keys and call services."""

import smtplib
from datetime import date

from celery import shared_task
from django.core.cache import cache

from . import reminders
from .models import AdministrativeUnit

PING_DB_CACHE_PREFIX = "ping_db:"


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
    planned, queued = reminders.reminders_scan(date.fromisoformat(today_iso) if today_iso else None)
    return {"planned": planned, "queued": queued}


def smtp_error_is_transient(exc):
    """Connection trouble and 4xx replies are worth retrying; 5xx replies and bugs are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # SMTPServerDisconnected, refused/reset connections and timeouts are all OSError.
    return isinstance(exc, OSError)


@shared_task(
    name="coordination.tasks.reminder_digest_send", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6
)
def reminder_digest_send(self, user_id, day_iso):
    """Email one user's reminder digest for a day. The Celery task id is the claim on the ledger rows,
    so a redelivery after a lost worker takes its own claim back and sends what was not sent."""
    try:
        return reminders.digest_send(user_id=user_id, day=date.fromisoformat(day_iso), claim_token=self.request.id)
    except Exception as exc:
        if not smtp_error_is_transient(exc):
            raise
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc
