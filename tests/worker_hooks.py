"""Loaded into the tests' real Celery worker (`celery worker --include tests.worker_hooks`, tests/realparts.py).

One worker process serves many tests, and the test database is emptied between them; pytest-django then
creates the content types again under new ids. Before each task the worker forgets the ids it cached, as a
freshly started worker would not have them. The production worker never loads this module.
"""

from celery.signals import task_prerun


@task_prerun.connect
def forget_cached_database_ids(**kwargs):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
