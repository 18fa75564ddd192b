"""The Celery app and the one place where periodic jobs are declared."""

import os

from celery import Celery
from celery.schedules import crontab

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
        # Also `manage.py requeue_reports`: report renders requested while the broker was down.
        "report-renders-requeue": {
            "task": "charters.tasks.review_reports_requeue",
            "schedule": crontab(minute="*/5"),
        },
    }


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = beat_schedule()
