"""The Celery app and the one place where periodic jobs are declared."""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")

app = Celery("coordination")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule():
    """Periodic jobs; each also exists as a management command."""
    from django.conf import settings

    return {
        "daily-reminder-scan": {
            "task": "coordination.tasks.reminders_scan",
            "schedule": crontab(hour=settings.REMINDER_SCAN_HOUR, minute=settings.REMINDER_SCAN_MINUTE),
        },
        # Also `manage.py generate_tasks`: picks up new council sessions and changed charter duties.
        "daily-work-programme-refresh": {
            "task": "charters.tasks.work_programme_refresh",
            "schedule": crontab(hour=5, minute=45),
        },
        # Also `manage.py refresh_dashboard`: the dashboard's petition summary. Every 10 minutes, 00:00 included,
        # so "overdue" moves to the new day right after midnight.
        "dashboard-summary-refresh": {
            "task": "coordination.tasks.dashboard_summary_refresh",
            "schedule": crontab(minute="*/10"),
        },
        # Also `manage.py requeue_reports`: report renders requested while the broker was down, or whose
        # worker died (heartbeat older than REPORT_STALE_SECONDS). Every minute: one indexed query.
        "report-renders-requeue": {
            "task": "charters.tasks.review_reports_requeue",
            "schedule": crontab(minute="*"),
        },
        # Also `manage.py requeue_digests`: reminder digests whose enqueue failed (broker down) or whose
        # worker died mid-send (claim older than REMINDER_CLAIM_TIMEOUT).
        "reminder-digests-requeue": {
            "task": "coordination.tasks.reminder_digests_requeue",
            "schedule": crontab(minute="*/5"),
        },
        # /healthz shows how long ago beat, the broker and a worker last worked together.
        "background-heartbeat": {
            "task": "coordination.tasks.heartbeat",
            "schedule": crontab(minute="*"),
        },
    }


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = beat_schedule()


@worker_ready.connect
def _sweep_after_start(sender, **kwargs):
    """A worker that (re)starts sweeps soon: a render its previous life left claimed is taken over as soon as
    the claim's heartbeat is stale, not at the next beat; digests likewise once their claim is stale."""
    from django.conf import settings

    try:
        app.send_task("charters.tasks.review_reports_requeue", countdown=settings.REPORT_STALE_SECONDS + 2)
        app.send_task("coordination.tasks.reminder_digests_requeue", countdown=settings.REMINDER_CLAIM_TIMEOUT + 5)
    except Exception:
        logging.getLogger(__name__).warning("Could not queue the start-up sweeps", exc_info=True)
