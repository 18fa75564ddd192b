"""The Celery app and the one place where periodic jobs are declared."""

import logging
import os
import threading

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
        # Petition exports (voters.export_jobs): jobs the broker lost or whose worker died, every minute; the
        # files kept past EXPORT_RETENTION_DAYS, daily.
        "export-jobs-requeue": {
            "task": "voters.tasks.exports_requeue",
            "schedule": crontab(minute="*"),
        },
        "export-files-cleanup": {
            "task": "voters.tasks.exports_cleanup",
            "schedule": crontab(hour=3, minute=30),
        },
        # Also `manage.py suggestions train`: each province's suggestion model, learned from its answers.
        "suggestion-models-train": {
            "task": "voters.tasks.suggestion_models_train",
            "schedule": crontab(hour=2, minute=30),
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
    """A worker that (re)starts sweeps soon, in this process: a render its previous life left claimed is taken
    over as soon as the claim's heartbeat is stale (REPORT_STALE_SECONDS), a digest once its claim is older
    than REMINDER_CLAIM_TIMEOUT, without waiting for the next beat. Timers, not countdown tasks: a worker
    holding unacknowledged ETA messages was seen to crash in kombu when Redis went away."""
    from django.conf import settings

    def sweep(path):
        from django.db import connections
        from django.utils.module_loading import import_string

        try:
            import_string(path)()
        except Exception:
            logging.getLogger(__name__).warning("Start-up sweep %s failed", path, exc_info=True)
        finally:
            connections.close_all()

    for delay, path in (
        (settings.REPORT_STALE_SECONDS + 2, "charters.reviews.services.reports_requeue"),
        (settings.REMINDER_CLAIM_TIMEOUT + 5, "coordination.reminders.digests_requeue"),
        (settings.REPORT_STALE_SECONDS + 2, "voters.export_jobs.exports_requeue"),
    ):
        timer = threading.Timer(delay, sweep, args=[path])
        timer.daemon = True
        timer.start()
