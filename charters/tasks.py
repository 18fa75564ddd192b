"""Celery tasks of the charters app: thin adapters that take primary keys and call services."""

from celery import shared_task


@shared_task(name="charters.tasks.review_report_render", bind=True, acks_late=True, reject_on_worker_lost=True)
def review_report_render(self, report_id):
    """Render one queued report PDF. Safe to run twice: the service claims the job with a conditional UPDATE
    (the claim is the task id), and a second delivery finds it taken and does nothing; the same message
    redelivered after its worker died takes its own claim back."""
    from .reviews import report_render

    report = report_render(report_id=report_id, claim_token=self.request.id)
    return report.status if report is not None else "skipped"


@shared_task(name="charters.tasks.review_reports_requeue", acks_late=True)
def review_reports_requeue():
    """Queue again the report renders that never reached a worker (broker outage) or whose worker died."""
    from .reviews import reports_requeue

    return reports_requeue()


@shared_task(name="charters.tasks.work_programme_refresh", acks_late=True)
def work_programme_refresh(year=None):
    """Bring the year's work programme of every charter in force up to date (new council sessions, changed
    duties). Idempotent: the generator creates each occurrence once and only moves open future tasks."""
    from django.utils import timezone

    from .models import Charter, CharterStatus
    from .services import tasks_generate

    year = year or timezone.localdate().year
    totals = {"created": 0, "updated": 0, "cancelled": 0}
    for charter_id in Charter.objects.filter(status=CharterStatus.IN_FORCE).values_list("pk", flat=True):
        charter = Charter.objects.get(pk=charter_id)
        for key, value in tasks_generate(charter=charter, year=year, actor=None).items():
            totals[key] += value
    return totals
