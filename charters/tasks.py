"""Celery tasks of the charters app: thin adapters that take primary keys and call services."""

from celery import shared_task


@shared_task(name="charters.tasks.review_report_render", acks_late=True, reject_on_worker_lost=True)
def review_report_render(report_id):
    """Render one queued report PDF. Safe to run twice: the service claims the job with a conditional UPDATE,
    and a second delivery finds it taken and does nothing."""
    from .reviews import report_render

    report = report_render(report_id=report_id)
    return report.status if report is not None else "skipped"
