"""Celery tasks of the charters app: thin adapters that take primary keys and call services."""

from celery import shared_task
from django.utils import timezone

from .models import Charter, CharterStatus
from .services import tasks_generate


@shared_task(name="charters.tasks.work_programme_refresh", acks_late=True)
def work_programme_refresh(year=None):
    """Bring the year's work programme of every charter in force up to date (new council sessions, changed
    duties). Idempotent: the generator creates each occurrence once and only moves open future tasks."""
    year = year or timezone.localdate().year
    totals = {"created": 0, "updated": 0, "cancelled": 0}
    for charter_id in Charter.objects.filter(status=CharterStatus.IN_FORCE).values_list("pk", flat=True):
        charter = Charter.objects.get(pk=charter_id)
        for key, value in tasks_generate(charter=charter, year=year, actor=None).items():
            totals[key] += value
    return totals
