"""Celery task of the dashboard: the petition summary's refresh (its name predates this module; kept for the
messages already queued and for the beat schedule)."""

from datetime import date

from celery import shared_task
from django.core.cache import cache

from .summary import QUEUED_KEY, petition_summary_refresh


@shared_task(name="coordination.tasks.dashboard_summary_refresh", acks_late=True)
def dashboard_summary_refresh(today_iso=None, if_stale=False):
    """Rebuild the dashboard's petition summary (beat: every 10 minutes; also queued by a page that found
    it missing or for an older day). Idempotent; two runs queue on the summary's state row."""
    try:
        state = petition_summary_refresh(date.fromisoformat(today_iso) if today_iso else None, if_stale=if_stale)
    finally:
        cache.delete(QUEUED_KEY)
    return {"computed_for": state.computed_for.isoformat(), "rows": state.rows, "ms": state.duration_ms}
