"""Celery tasks of the voters app: thin adapters that take primary keys and call the app's functions."""

from celery import shared_task

from coordination.models import AdministrativeUnit

from . import suggestions


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
