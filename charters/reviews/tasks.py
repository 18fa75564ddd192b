"""Celery tasks of the annual reviews: thin adapters that take primary keys and call services.

Their names predate this module (they were charters' tasks); they are kept for the messages already
queued and for the beat schedule."""

from celery import shared_task

from .services import report_render, reports_requeue


@shared_task(name="charters.tasks.review_report_render", bind=True, acks_late=True, reject_on_worker_lost=True)
def review_report_render(self, report_id):
    """Render one queued report PDF. Safe to run twice: the service claims the job with a conditional UPDATE
    (the claim is the task id), and a second delivery finds it taken and does nothing; the same message
    redelivered after its worker died takes its own claim back."""
    report = report_render(report_id=report_id, claim_token=self.request.id)
    return report.status if report is not None else "skipped"


@shared_task(name="charters.tasks.review_reports_requeue", acks_late=True)
def review_reports_requeue():
    """Queue again the report renders that never reached a worker (broker outage) or whose worker died."""
    return reports_requeue()
