"""Celery tasks of voter petitions: thin adapters that take primary keys and call services."""

from celery import shared_task

from coordination.models import AdministrativeUnit

from . import suggestions
from .export_jobs import export_run, exports_cleanup, exports_requeue


@shared_task(name="voters.tasks.export_job_run", bind=True, acks_late=True, reject_on_worker_lost=True)
def export_job_run(self, job_id):
    """Write one queued export. Safe to run twice: the job is claimed with a conditional UPDATE (the claim is
    the task id); a second delivery finds it taken and does nothing."""
    job = export_run(job_id=job_id, claim_token=self.request.id)
    return job.status if job is not None else "skipped"


@shared_task(name="voters.tasks.exports_requeue", acks_late=True)
def export_jobs_requeue():
    """Queue again the exports that never reached a worker (broker outage) or whose worker died."""
    return exports_requeue()


@shared_task(name="voters.tasks.exports_cleanup", acks_late=True)
def export_files_cleanup():
    """Delete the export files kept past EXPORT_RETENTION_DAYS."""
    return exports_cleanup()


@shared_task(name="voters.tasks.suggestion_models_train", acks_late=True)
def suggestion_models_train(province_id=None):
    """Train the suggestion model of one province (or of every province with forwarded petitions). Safe to run
    twice: each run stores the next version; the endpoint always reads the latest. Also `manage.py suggestions
    train`."""
    if province_id is not None:
        provinces = list(AdministrativeUnit.objects.filter(pk=province_id))
    else:
        provinces = suggestions.provinces_to_train()
    trained = {}
    for province in provinces:
        stored = suggestions.suggestion_model_train(province=province)
        trained[province.pk] = stored.version if stored is not None else None
    return trained
